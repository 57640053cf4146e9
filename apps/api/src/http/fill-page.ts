import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { Context } from "hono";
import { acceptedEncodings, hasEtag } from "./precompressed";

// The respondent page (`/f/<slug>` → fill.html) served with the published form in it, so a phone
// does not wait for the page's script to ask for the form: one round trip less before the first
// question shows (docs/web-fill.md, "Load time"). Static hosts (CloudFront, nginx) serve fill.html as
// it is; the page then fetches the form itself.

/** Id of the element the page reads the form from (apps/web/src/fill/api.ts, EMBEDDED_FORM_ID). */
export const EMBEDDED_FORM_ID = "coleta-form";

/** The page never waits longer than this for the form: without it, the page asks for it itself. */
export const EMBED_WAIT_MS = 1000;

/**
 * `value` as JSON that is inert inside a `<script>` element: no `<` (so neither `</script>` nor
 * `<!--` can end or change the element), no `>` or `&`, and no U+2028/U+2029. Each is written as its
 * \u escape, which JSON.parse reads back as the same character.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The page's HTML with `form` in a `<script type="application/json">` before `</body>`. */
export function withEmbeddedForm(html: string, form: unknown): string {
  const tag = `<script type="application/json" id="${EMBEDDED_FORM_ID}">${jsonForScript(form)}</script>`;
  const at = html.lastIndexOf("</body>");
  return at < 0 ? html + tag : html.slice(0, at) + tag + html.slice(at);
}

/** What `lookup` finds within EMBED_WAIT_MS; null when it finds nothing, fails or is slower. */
export async function lookupWithin<T>(
  lookup: () => Promise<T | null>,
  ms = EMBED_WAIT_MS,
): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([lookup().catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Serves `file` (fill.html) with `form` embedded. The page differs per form, so it is compressed per
 * request (brotli at a fast level, else gzip), and revalidated like the static HTML: an ETag of its
 * content, 304 when unchanged. Null when the file does not exist.
 */
export async function serveFillPage(c: Context, file: string, form: unknown): Promise<Response | null> {
  let html: string;
  try {
    html = await readFile(file, "utf8");
  } catch {
    return null;
  }
  const page = Buffer.from(withEmbeddedForm(html, form));
  const accepted = acceptedEncodings(c.req.header("accept-encoding"));
  const encoding = accepted.has("br") ? "br" : accepted.has("gzip") ? "gzip" : null;
  const hash = createHash("sha256").update(page).digest("base64url").slice(0, 22);
  const headers: Record<string, string> = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-cache",
    Vary: "Accept-Encoding",
    ETag: `"${hash}${encoding ? `-${encoding}` : ""}"`,
  };
  if (encoding) headers["Content-Encoding"] = encoding;
  if (hasEtag(c, headers.ETag as string)) return c.body(null, 304, headers);
  const body =
    encoding === "br"
      ? await brotli(page, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 5,
            [constants.BROTLI_PARAM_SIZE_HINT]: page.length,
          },
        })
      : encoding === "gzip"
        ? await gzipAsync(page)
        : page;
  headers["Content-Length"] = String(body.length);
  if (c.req.method === "HEAD") return c.body(null, 200, headers);
  return c.body(new Uint8Array(body), 200, headers);
}
