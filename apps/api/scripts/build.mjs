// Bundles the API into dist/: our code and the workspace packages are inlined, npm dependencies
// stay external (they are installed in node_modules, and some ship WASM/data files).
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const external = Object.keys(pkg.dependencies).filter((name) => !name.startsWith("@coleta/"));

rmSync("dist", { recursive: true, force: true });
const result = await build({
  entryPoints: { server: "src/server.ts", migrate: "src/migrate.ts" },
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
console.log("built apps/api/dist (server.js, migrate.js, drizzle/)");
