import { extname, join, normalize, sep } from "node:path";
import type { Hono } from "hono";
import type { AppEnv } from "../context";
import { lookupWithin, serveFillPage } from "./fill-page";
import { servePrecompressed } from "./precompressed";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".map": "application/json",
  ".webmanifest": "application/manifest+json",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** The public body of a form that takes responses (public/public-form.ts), or null. */
export type OpenFormLookup = (slug: string) => Promise<unknown | null>;

/** The slug of a fill page path (`f/<slug>`), within the bounds of the API's slug parameter. */
function fillSlug(rel: string): string | null {
  const slug = /^f\/([^/]+)\/?$/.exec(rel)?.[1];
  return slug && slug.length <= 100 ? slug : null;
}

/**
 * Serves the built web app locally the way CloudFront does in production: files under the web base
 * path, `/f/<slug>` → fill.html, `/status` → status.html, any other path without an extension →
 * index.html, `/` → redirect. With `openForm`, a fill page of a form that takes responses comes with
 * the form in it (http/fill-page.ts), which saves the phone a round trip.
 */
export function mountWeb(
  app: Hono<AppEnv>,
  webBasePath: string,
  distDir: string,
  openForm?: OpenFormLookup,
): void {
  const root = normalize(distDir);
  app.get("/", (c) => c.redirect(`${webBasePath}/`, 302));
  app.get(webBasePath, (c) => c.redirect(`${webBasePath}/`, 301));
  app.get(`${webBasePath}/*`, async (c) => {
    const rel = decodeURIComponent(c.req.path.slice(webBasePath.length + 1));
    let file = normalize(join(root, rel));
    if (!file.startsWith(root + sep) && file !== root) return c.notFound();
    const isAsset = extname(rel) !== "";
    if (!isAsset) file = join(root, rel === "f" || rel.startsWith("f/") ? "fill.html" : "index.html");
    if (rel === "status" || rel === "status/") file = join(root, "status.html"); // the status board page
    // The precompressed copies are served by negotiation, never asked for by name.
    if (file.endsWith(".br") || file.endsWith(".gz")) return c.notFound();
    const slug = isAsset || !openForm ? null : fillSlug(rel);
    const form = slug && openForm ? await lookupWithin(() => openForm(slug)) : null;
    if (form) {
      const page = await serveFillPage(c, file, form);
      if (page) return page;
    }
    const response = await servePrecompressed(c, file, {
      contentType: TYPES[extname(file)] ?? "application/octet-stream",
      // Hashed assets never change; everything else (HTML, the service worker) is revalidated
      // (ETag → 304) so a deploy is picked up at once.
      cacheControl: isAsset && rel.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache",
    });
    return response ?? c.notFound();
  });
}
