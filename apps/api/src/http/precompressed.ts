import { readFile, stat } from "node:fs/promises";
import type { Context } from "hono";

// Serves a file from disk, choosing a copy compressed at build time (scripts/precompress.mjs writes
// `file.br` and `file.gz` beside `file`) by the request's Accept-Encoding. Nothing is compressed per
// request. Responses carry Vary: Accept-Encoding (caches keep one copy per encoding) and an ETag, so
// HTML marked no-cache is revalidated with a 304 instead of downloaded again.

const ENCODINGS = [
  { name: "br", suffix: ".br" },
  { name: "gzip", suffix: ".gz" },
] as const;

/** The encodings the client accepts (q > 0), from an Accept-Encoding header. */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [token = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (token && (!q || Number(q.slice(2)) > 0)) accepted.add(token);
  }
  return accepted;
}

/** True when the request already holds this representation (If-None-Match): answer 304. */
export function hasEtag(c: Context, etag: string): boolean {
  const ifNoneMatch = c.req.header("if-none-match");
  return Boolean(ifNoneMatch?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag));
}

async function fileStat(path: string) {
  try {
    const info = await stat(path);
    return info.isFile() ? info : null;
  } catch {
    return null;
  }
}

export interface ServeOptions {
  contentType: string;
  cacheControl: string;
}

/** The response for `path`, or null when the file does not exist. */
export async function servePrecompressed(
  c: Context,
  path: string,
  options: ServeOptions,
): Promise<Response | null> {
  const original = await fileStat(path);
  if (!original) return null;
  const accepted = acceptedEncodings(c.req.header("accept-encoding"));
  let chosen: { path: string; size: number; encoding?: string } = { path, size: original.size };
  for (const { name, suffix } of ENCODINGS) {
    if (!accepted.has(name)) continue;
    const copy = await fileStat(path + suffix);
    if (copy) {
      chosen = { path: path + suffix, size: copy.size, encoding: name };
      break;
    }
  }
  // One tag per representation: the original's version plus the encoding.
  const etag = `"${original.size.toString(36)}-${Math.floor(original.mtimeMs).toString(36)}${chosen.encoding ? `-${chosen.encoding}` : ""}"`;
  const headers: Record<string, string> = {
    "Content-Type": options.contentType,
    "Cache-Control": options.cacheControl,
    Vary: "Accept-Encoding",
    ETag: etag,
  };
  if (chosen.encoding) headers["Content-Encoding"] = chosen.encoding;
  if (hasEtag(c, etag)) return c.body(null, 304, headers);
  headers["Content-Length"] = String(chosen.size);
  // Through the context, not a bare Response: headers set earlier (security headers, request id)
  // must reach the client too.
  if (c.req.method === "HEAD") return c.body(null, 200, headers);
  return c.body(await readFile(chosen.path), 200, headers);
}
