export type { FormRendererProps } from "./FormRenderer";
export { FormRenderer } from "./FormRenderer";
export type { Issue } from "./logic";
export { issueMessage } from "./messages";
export type { FormPreviewHandle, FormPreviewOptions } from "./mount";
export { mountFormPreview } from "./mount";
