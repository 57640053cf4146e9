import { FILE_NAME_MAX_LENGTH } from "@coleta/forms";
import { unsafeTextReason } from "../http/text-safety";

/**
 * The file name a client sent in `X-File-Name` (percent-encoded UTF-8, since headers are ASCII),
 * reduced to a plain name: any folder part is dropped (`../../etc/passwd` → `passwd`), control
 * characters are removed. Null when nothing usable is left. The name is only ever shown and offered
 * as a download name; storage keys never come from it.
 */
export function cleanFileName(header: string | undefined): string | null {
  if (header === undefined) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(header);
  } catch {
    return null;
  }
  if (unsafeTextReason(decoded)) return null;
  const base = decoded.split(/[/\\]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  const name = base.replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim();
  if (name === "" || name === "." || name === "..") return null;
  return [...name].slice(0, FILE_NAME_MAX_LENGTH).join("");
}

/** A MIME type as a Content-Type header gives it, lower case, parameters dropped; null if malformed. */
export function cleanContentType(header: string | undefined): string | null {
  const type = (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(type) ? type : null;
}

// Types a browser may render from our origin without running anything: raster images, audio,
// video, PDF (rendered in its own sandboxed viewer), plain text. Everything else (HTML, SVG, XML,
// JavaScript…) is served as application/octet-stream, so it can only be downloaded.
const INLINE =
  /^(image\/(png|jpeg|gif|webp|avif|bmp|heic|heif)|audio\/[a-z0-9.+-]+|video\/[a-z0-9.+-]+|application\/pdf)$/;

/** The Content-Type and Content-Disposition to serve an upload with. */
export function downloadHeaders(name: string, contentType: string): Record<string, string> {
  const inline = INLINE.test(contentType);
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return {
    "Content-Type": inline ? contentType : "application/octet-stream",
    "Content-Disposition": `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encoded}`,
    // Even an inline file may not run scripts or load anything.
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; media-src 'self'; sandbox",
    "X-Content-Type-Options": "nosniff",
  };
}
