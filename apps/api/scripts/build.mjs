// Bundles the API into dist/: our code and the workspace packages are inlined, npm dependencies
// stay external (they are installed in node_modules, and some ship WASM/data files).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import getAbsoluteFSPath from "swagger-ui-dist/absolute-path.js";
import { describeTotals, precompressDir } from "../../../scripts/precompress.mjs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const external = Object.keys(pkg.dependencies).filter((name) => !name.startsWith("@coleta/"));

rmSync("dist", { recursive: true, force: true });
const result = await build({
  entryPoints: { server: "src/server.ts", migrate: "src/migrate.ts", "lake-export": "src/lake/cli.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external: [...external, ...external.map((name) => `${name}/*`)],
  // Bundled ESM still meets CommonJS-only packages through `require`; give it one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
  metafile: true,
});
// What the bundle imports at run time, for the Docker test that checks production deps cover it.
writeFileSync("dist/meta.json", JSON.stringify(result.metafile));
cpSync("drizzle", "dist/drizzle", { recursive: true });
// The API reference's Swagger UI (1.7 MB of JS), with brotli/gzip copies (src/docs/routes.ts).
mkdirSync("dist/docs-assets");
for (const file of [
  "swagger-ui.css",
  "swagger-ui-bundle.js",
  "swagger-ui-standalone-preset.js",
  "favicon-32x32.png",
])
  cpSync(join(getAbsoluteFSPath(), file), join("dist/docs-assets", file));
console.log(describeTotals("precompressed dist/docs-assets", await precompressDir("dist/docs-assets")));
console.log("built apps/api/dist (server.js, migrate.js, lake-export.js, drizzle/)");
