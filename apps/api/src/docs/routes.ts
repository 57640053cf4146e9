import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { OpenAPIHono } from "@hono/zod-openapi";
// absolute-path.js only: the package index would load the whole Swagger UI bundle into the API.
import getAbsoluteFSPath from "swagger-ui-dist/absolute-path.js";
import type { AppEnv } from "../context";
import { servePrecompressed } from "../http/precompressed";

/**
 * The built API (apps/api/dist) carries the assets with brotli/gzip copies (scripts/build.mjs);
 * from source (tsx) they come straight from the package, uncompressed.
 */
function assetDir(): string {
  const built = join(dirname(fileURLToPath(import.meta.url)), "docs-assets");
  return existsSync(join(built, "swagger-ui-bundle.js")) ? built : getAbsoluteFSPath();
}

const ASSETS = new Set([
  "swagger-ui.css",
  "swagger-ui-bundle.js",
  "swagger-ui-standalone-preset.js",
  "favicon-32x32.png",
]);
const TYPES: Record<string, string> = { css: "text/css", js: "text/javascript", png: "image/png" };

/**
 * OpenAPI 3.1 generated from the route schemas, and a reference page whose assets are served from
 * the installed swagger-ui-dist package: it works offline and with a strict Content-Security-Policy.
 */
export function mountDocs(app: OpenAPIHono<AppEnv>, basePath: string, version: string): void {
  app.doc31(`${basePath}/openapi.json`, {
    openapi: "3.1.0",
    info: {
      title: "Coleta API",
      version,
      description:
        "Form building, publishing and submission collection. Errors are RFC 9457 problem+json. See docs/api.md for conventions.",
    },
    servers: [{ url: "/" }],
  });

  app.get(`${basePath}/docs`, (c) =>
    c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Coleta API reference</title><link rel="stylesheet" href="${basePath}/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="${basePath}/docs/assets/swagger-ui-bundle.js"></script>
<script src="${basePath}/docs/assets/init.js"></script></body></html>`),
  );

  app.get(`${basePath}/docs/assets/init.js`, (c) => {
    c.header("Content-Type", "text/javascript");
    return c.body(`SwaggerUIBundle({ url: "${basePath}/openapi.json", dom_id: "#ui", deepLinking: true });`);
  });

  const assets = assetDir();
  app.get(`${basePath}/docs/assets/:file`, async (c) => {
    const file = c.req.param("file");
    if (!ASSETS.has(file)) return c.notFound();
    const response = await servePrecompressed(c, join(assets, file), {
      contentType: TYPES[file.split(".").pop() ?? ""] ?? "application/octet-stream",
      // Not content-hashed: cached for a day, then revalidated (ETag → 304).
      cacheControl: "public, max-age=86400",
    });
    return response ?? c.notFound();
  });
}
