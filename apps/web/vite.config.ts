import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Two entries on one base path: the workspace (React) and the respondent fill page (Preact, kept
// small). Files under src/fill and src/renderer declare `@jsxImportSource preact` themselves, so the
// React plugin must leave them alone.
export default defineConfig({
  base: "/frontend/",
  plugins: [react({ exclude: [/src\/fill\//, /src\/renderer\//] })],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    manifest: true,
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, "index.html"),
        fill: resolve(import.meta.dirname, "fill.html"),
      },
    },
  },
  server: {
    proxy: { "/backend": "http://localhost:3000" },
  },
});
