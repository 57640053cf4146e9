import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import { problemResponse } from "../errors/problem";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF protection for cookie sessions: a browser always sends Origin on cross-site unsafe requests,
 * so an unsafe request whose Origin is not one of ours is refused. Requests without Origin come from
 * non-browser clients, which cannot be tricked into sending a victim's cookie. Public submission
 * routes are exempt: they carry no session and forms may be embedded on other sites.
 */
export function originGuard(trustedOrigins: string[], exemptPrefix: string): MiddlewareHandler<AppEnv> {
  const trusted = new Set(trustedOrigins);
  return async (c, next) => {
    if (!SAFE.has(c.req.method) && !c.req.path.startsWith(exemptPrefix)) {
      const origin = c.req.header("origin");
      const crossSite = origin ? !trusted.has(origin) : c.req.header("sec-fetch-site") === "cross-site";
      if (crossSite) {
        return problemResponse(
          c,
          403,
          "untrusted_origin",
          "This request came from a site that is not trusted.",
        );
      }
    }
    await next();
  };
}
