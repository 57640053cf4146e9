import type { ComponentId } from "@coleta/monitoring";

/** The components judged by HTTP traffic; the others (database, cache) are judged by the prober. */
export const HTTP_COMPONENTS = ["public_forms", "submissions", "workspace", "exports"] as const;
export type HttpComponentId = (typeof HTTP_COMPONENTS)[number] & ComponentId;
export const DEPENDENCIES = ["database", "cache"] as const;
export type DependencyId = (typeof DEPENDENCIES)[number] & ComponentId;

const WORKSPACE_PREFIXES = ["/orgs", "/me", "/auth/", "/setup", "/invitations"];

/**
 * Which status-board component a finished request belongs to, from its route pattern (hono's
 * routePath, e.g. `/backend/public/forms/:slug`), never from the URL. Null for requests the board
 * does not watch (health checks, metrics, docs, the board itself, static files, unmatched paths).
 */
export function classifyRequest(apiBasePath: string, method: string, route: string): HttpComponentId | null {
  if (!route.startsWith(`${apiBasePath}/`)) return null;
  const path = route.slice(apiBasePath.length);
  if (path === "/public/forms/:slug") return method === "GET" ? "public_forms" : null;
  if (path === "/public/forms/:slug/submissions") return method === "POST" ? "submissions" : null;
  if (path.endsWith("/submissions/export") && path.startsWith("/orgs/")) return "exports";
  for (const prefix of WORKSPACE_PREFIXES) {
    if (path === prefix || path.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`)) return "workspace";
  }
  return null;
}
