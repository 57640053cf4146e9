import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";

const CSP_BASE =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'";

const COMMON: Record<string, string> = {
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "X-Permitted-Cross-Domain-Policies": "none",
};

/**
 * Security headers, set before the handler runs. (Setting them on the finished response, as a
 * post-processing middleware does, makes the Node adapter rebuild every response as a full fetch
 * Response, which cost more than the rest of a request.) Only the respondent page may be framed by
 * other sites, for the share panel's embed snippet.
 */
export function securityHeaders(embeddablePrefix: string): MiddlewareHandler<AppEnv> {
  const framedAnywhere = `${CSP_BASE}; frame-ancestors *`;
  const framedBySelf = `${CSP_BASE}; frame-ancestors 'self'`;
  return async (c, next) => {
    for (const name in COMMON) c.header(name, COMMON[name]);
    const embeddable = c.req.path.startsWith(embeddablePrefix);
    c.header("Content-Security-Policy", embeddable ? framedAnywhere : framedBySelf);
    if (!embeddable) c.header("X-Frame-Options", "SAMEORIGIN");
    await next();
  };
}
