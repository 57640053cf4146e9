/** @jsxImportSource preact */
// A file question. The browser's own file input speaks the browser's language ("Choose File / No file
// chosen" on a phone set to English), so it stays in the page only as a visually hidden, focusable
// input; what the respondent sees is a button-styled label and a status line in the form's language.
import { downscaleImage, keepFile } from "./device-files";
import { controlAttrs, FieldFrame, type FieldProps, inputId } from "./field-parts";
import { type DeviceFileAnswer, type LooseField, maxFiles } from "./logic";
import { formatBytes } from "./messages";

/**
 * Picked files become `{ uploadId, name, size, type }` answers; their bytes (photos scaled down on
 * the device when the question asks for it) wait in device-files.ts for the outbox to upload them.
 */
async function pickFiles(field: LooseField, list: File[], onChange: (value: unknown) => void) {
  const max = field.imageMaxDimension;
  const items: DeviceFileAnswer[] = await Promise.all(
    list.map(async (file) => {
      const blob = max ? await downscaleImage(file, max) : file;
      const type = blob.type || file.type || "application/octet-stream";
      return { uploadId: keepFile(blob), name: file.name, size: blob.size, type };
    }),
  );
  onChange(items.length ? items : undefined);
}

export function FileField(p: FieldProps) {
  const f = p.field;
  const id = inputId(p.idPrefix, f.id);
  const files = Array.isArray(p.value) ? (p.value as Partial<DeviceFileAnswer>[]) : [];
  const accept = Array.isArray(f.accept) ? f.accept.join(",") : f.accept;
  const many = maxFiles(f) > 1;
  const [buttonId, chosenId, noteId] = [`${id}-button`, `${id}-chosen`, `${id}-note`];
  return (
    <FieldFrame {...p}>
      <div class="cf-file">
        <input
          {...controlAttrs(p, { extra: `${chosenId} ${noteId}` })}
          class="visually-hidden cf-file-input"
          type="file"
          accept={accept || undefined}
          multiple={many}
          // Read as "<question>, <Choose a file>, button", then what is chosen.
          aria-labelledby={`${id}-label ${buttonId}`}
          onChange={(e) =>
            void pickFiles(f, Array.from((e.currentTarget as HTMLInputElement).files ?? []), p.onChange)
          }
        />
        <label id={buttonId} for={id} class="cf-button cf-secondary cf-file-button">
          {p.t(many ? "file.chooseMany" : "file.choose")}
        </label>
        <span id={chosenId} class="cf-file-chosen">
          {files.length ? p.t.count("file.count", files.length) : p.t("file.none")}
        </span>
      </div>
      {files.length ? (
        <ul class="cf-files">
          {files.map((file) => (
            <li key={file.uploadId ?? file.name}>
              {p.t("file.selected", { name: String(file.name), size: formatBytes(p.locale, file.size ?? 0) })}
            </li>
          ))}
        </ul>
      ) : null}
      <p class="cf-note" id={noteId}>
        {p.t("file.note")}
      </p>
    </FieldFrame>
  );
}
