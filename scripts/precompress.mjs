#!/usr/bin/env node
// Writes brotli (.br) and gzip (.gz) copies of the text files in a folder, beside the originals,
// once at build time, so the server only picks a file (apps/api/src/http/precompressed.ts) and
// never compresses per request. Used by the web build (apps/web/vite.config.ts) and the API build
// (the Swagger UI assets, apps/api/scripts/build.mjs).
// Usage: node scripts/precompress.mjs <dir>
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Text formats worth compressing. Source maps are left out: only developer tools fetch them. */
export const COMPRESSIBLE = new Set([
  ".html",
  ".js",
  ".mjs",
  ".css",
  ".svg",
  ".json",
  ".webmanifest",
  ".txt",
  ".ico",
]);
/** Below this, headers cost more than compression saves. */
const MIN_BYTES = 512;

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile() && COMPRESSIBLE.has(extname(entry.name))) yield path;
  }
}

/** Returns { files, bytes, br, gz } totals, for the build log. */
export async function precompressDir(dir) {
  const totals = { files: 0, bytes: 0, br: 0, gz: 0 };
  for await (const path of files(dir)) {
    const { size } = await stat(path);
    if (size < MIN_BYTES) continue;
    const body = await readFile(path);
    const [br, gzipped] = await Promise.all([
      brotli(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: size,
        },
      }),
      gz(body, { level: 9 }),
    ]);
    // A copy that is not smaller is not written: the server then sends the original.
    if (br.length < size) await writeFile(`${path}.br`, br);
    if (gzipped.length < size) await writeFile(`${path}.gz`, gzipped);
    totals.files++;
    totals.bytes += size;
    totals.br += Math.min(br.length, size);
    totals.gz += Math.min(gzipped.length, size);
  }
  return totals;
}

export function describeTotals(label, t) {
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  return `${label}: ${t.files} files, ${kb(t.bytes)} → ${kb(t.br)} brotli / ${kb(t.gz)} gzip`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: node scripts/precompress.mjs <dir>");
    process.exit(1);
  }
  console.log(describeTotals(`precompressed ${dir}`, await precompressDir(resolve(dir))));
}
