import { API_BASE } from "../../config";
import { formPath } from "../api";

interface StoredFile {
  uploadId?: unknown;
  name?: unknown;
  type?: unknown;
}

/** Where an owner downloads file `index` of a file answer (the API checks the permission). */
export function fileUrl(
  orgId: string,
  formId: string,
  submissionId: string,
  fieldId: string,
  index: number,
): string {
  return `${API_BASE}${formPath(orgId, formId)}/submissions/${encodeURIComponent(submissionId)}/files/${encodeURIComponent(fieldId)}/${index}`;
}

// The types the API serves inline (apps/api/src/uploads/file-names.ts); others download.
const PREVIEWABLE = /^image\/(png|jpeg|gif|webp|avif|bmp)$/;

/**
 * A file answer as thumbnails (images) or file names, each opening the file. The browser scales
 * the original down; `loading="lazy"` keeps a long table from fetching every photo at once.
 */
export function FileAnswers({
  orgId,
  formId,
  submissionId,
  fieldId,
  value,
  size,
}: {
  orgId: string;
  formId: string;
  submissionId: string;
  fieldId: string;
  value: unknown;
  size: "thumb" | "large";
}) {
  if (!Array.isArray(value) || value.length === 0) return null;
  return (
    <ul className={`file-answers file-answers-${size}`}>
      {(value as StoredFile[]).map((file, index) => {
        const name = typeof file?.name === "string" ? file.name : `#${index + 1}`;
        const href = fileUrl(orgId, formId, submissionId, fieldId, index);
        // Answers from before uploads existed carry a name only: nothing to open.
        if (typeof file?.uploadId !== "string") {
          // biome-ignore lint/suspicious/noArrayIndexKey: a stored answer never reorders; old items have no id.
          return <li key={index}>{name}</li>;
        }
        const image = typeof file.type === "string" && PREVIEWABLE.test(file.type);
        return (
          <li key={file.uploadId}>
            <a href={href} target="_blank" rel="noopener" title={name}>
              {image ? <img src={href} alt={name} loading="lazy" decoding="async" /> : name}
            </a>
          </li>
        );
      })}
    </ul>
  );
}
