import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Entries on one base path: the workspace (React), the respondent fill page and the status board
// (Preact, kept small). Files under src/fill, src/renderer and src/status declare
// `@jsxImportSource preact` themselves, so the React plugin must leave them alone.
export default defineConfig({
  base: "/frontend/",
  plugins: [react({ exclude: [/src\/fill\//, /src\/renderer\//, /src\/status\//] })],
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
    proxy: { "/backend": "http://localhost:3000" },
  },
});
