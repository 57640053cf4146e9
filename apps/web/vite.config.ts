import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { describeTotals, precompressDir } from "../../scripts/precompress.mjs";
import { apiBasePath, basePathConfig } from "./base-paths.ts";

/** Brotli and gzip copies of every text file, written once after the build (served by the API). */
function precompress(): Plugin {
  let outDir = "";
  return {
    name: "coleta-precompress",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      this.info(describeTotals("precompressed", await precompressDir(outDir)));
    },
  };
}

// Entries on one base path: the workspace (React), the respondent fill page and the status board
// (Preact, kept small). Files under src/fill, src/renderer and src/status declare
// `@jsxImportSource preact` themselves, so the React plugin must leave them alone.
export default defineConfig({
  ...basePathConfig,
  plugins: [react({ exclude: [/src\/fill\//, /src\/renderer\//, /src\/status\//] }), precompress()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    manifest: true,
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, "index.html"),
        fill: resolve(import.meta.dirname, "fill.html"),
        // The status board (/frontend/status): Preact like the fill page, see docs/monitoring.md.
        status: resolve(import.meta.dirname, "status.html"),
      },
    },
  },
  server: {
    proxy: { [apiBasePath]: "http://localhost:3000" },
  },
});
