import type { FileUrl } from "@coleta/forms";
import type { Config } from "../config";

/**
 * The absolute URL owners download file `index` of an answer from (GET …/files/{fieldId}/{index}),
 * for exports: the one place that spells the route outside its definition in routes.ts.
 */
export function ownerFileUrl(config: Config, orgId: string, formId: string): FileUrl {
  const base = `${config.baseUrl}${config.apiBasePath}/orgs/${orgId}/forms/${formId}/submissions`;
  return (submissionId, fieldId, index) => `${base}/${submissionId}/files/${fieldId}/${index}`;
}
