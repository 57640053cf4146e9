#!/usr/bin/env node
// Budget check for the respondent fill page: the gzipped size of every JS file dist/fill.html loads
// (its <script type="module"> and <link rel="modulepreload"> tags, plus their static imports followed
// through dist/.vite/manifest.json) must stay ≤ 60 KB. CSS is reported but not counted.
// Usage: node scripts/check-bundle-size.mjs [distDir] [--budget-kb=60]
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const dist = resolve(
  args.find((a) => !a.startsWith("--")) ?? join(dirname(fileURLToPath(import.meta.url)), "..", "dist"),
);
const budgetKb = Number(args.find((a) => a.startsWith("--budget-kb="))?.split("=")[1] ?? 60);
const BASE = "/frontend/";

const html = readFileSync(join(dist, "fill.html"), "utf8");
const manifestPath = join(dist, ".vite", "manifest.json");
const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, "utf8")) : {};
const byFile = new Map(Object.values(manifest).map((chunk) => [chunk.file, chunk]));

const toDistPath = (url) => {
  const path = url.split(/[?#]/)[0];
  return path.startsWith(BASE) ? path.slice(BASE.length) : path.replace(/^\.?\//, "");
};

const attr = (tag, name) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, "i").exec(tag)?.[1];
const js = new Set();
const css = new Set();
for (const [tag] of html.matchAll(/<(script|link)\b[^>]*>/gi)) {
  const isScript = /^<script/i.test(tag);
  const rel = attr(tag, "rel");
  if (isScript && attr(tag, "src")) js.add(toDistPath(attr(tag, "src")));
  else if (!isScript && rel === "modulepreload") js.add(toDistPath(attr(tag, "href")));
  else if (!isScript && rel === "stylesheet") css.add(toDistPath(attr(tag, "href")));
}

// Follow static imports (what the browser fetches before the page runs).
const queue = [...js];
while (queue.length) {
  const chunk = byFile.get(queue.pop());
  for (const key of chunk?.imports ?? []) {
    const file = manifest[key]?.file;
    if (file && !js.has(file)) {
      js.add(file);
      queue.push(file);
    }
  }
  for (const file of chunk?.css ?? []) css.add(file);
}

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let total = 0;
console.log("Fill page (dist/fill.html) loads:");
for (const file of [...js].sort()) {
  const size = gz(file);
  total += size;
  console.log(`  ${file.padEnd(48)} ${kb(size).padStart(10)} gzip`);
}
let cssTotal = 0;
for (const file of [...css].sort()) {
  const size = gz(file);
  cssTotal += size;
  console.log(`  ${file.padEnd(48)} ${kb(size).padStart(10)} gzip (css, not counted)`);
}
console.log(`Fill page JS total: ${kb(total)} gzip (budget ${budgetKb} KB); CSS ${kb(cssTotal)} gzip`);
if (js.size === 0) {
  console.error("No scripts found in dist/fill.html: is the build broken?");
  process.exit(1);
}
if (total > budgetKb * 1024) {
  console.error(`Fill page JS is over budget by ${kb(total - budgetKb * 1024)}.`);
  process.exit(1);
}
