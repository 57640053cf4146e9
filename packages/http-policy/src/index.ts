// The security headers of every response Coleta sends, defined once. The API sets them itself
// (apps/api/src/http/security-headers.ts); in AWS, CloudFront adds them to the web app's files
// (infra/aws/lib/constructs/edge.ts); in the compose stack, nginx does (deploy/compose/nginx.conf,
// generated from here by deploy/compose/security-headers.ts). Change a value here and all three follow.

import { mapTileOrigin } from "./map-tiles";

export { MAP_TILES, type MapTiles, mapTileOrigin } from "./map-tiles";

/**
 * Who may show a page inside a frame: only the app itself, or any site. Only the respondent page
 * (/frontend/f/*) is `anyone`, for the share panel's embed snippet.
 */
export type Framing = "self" | "anyone";

/** Content-Security-Policy directives shared by every page; frame-ancestors is added per framing. */
export const CSP_DIRECTIVES = [
  "default-src 'self'",
  // The workspace map's basemap tiles come from the tile server (map-tiles.ts).
  ["img-src 'self' data: blob:", mapTileOrigin()].filter(Boolean).join(" "),
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
] as const;

export function contentSecurityPolicy(framing: Framing): string {
  return [...CSP_DIRECTIVES, `frame-ancestors ${framing === "anyone" ? "*" : "'self'"}`].join("; ");
}

/** Strict-Transport-Security, structured because CloudFront takes it as fields. */
export const HSTS = { maxAgeSeconds: 31_536_000, includeSubDomains: true } as const;

/**
 * strict-origin-when-cross-origin: other sites learn at most our origin, never a path (form slugs,
 * invitation tokens in /frontend/invite/<token>), while same-origin requests keep their full
 * Referer. It is what production has sent since launch; the API's former `no-referrer` was the
 * odd copy out.
 */
export const REFERRER_POLICY = "strict-origin-when-cross-origin";

/** Sent with X-Frame-Options for pages only the app itself may frame (older browsers ignore CSP's). */
export const FRAME_OPTIONS = "SAMEORIGIN";

/** Headers beyond those CloudFront's security-headers behaviour knows by name. */
export const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "X-Permitted-Cross-Domain-Policies": "none",
} as const;

/** Every security header, by name, for a page with the given framing. */
export function securityHeaders(framing: Framing): Record<string, string> {
  return {
    "Strict-Transport-Security": `max-age=${HSTS.maxAgeSeconds}${HSTS.includeSubDomains ? "; includeSubDomains" : ""}`,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": REFERRER_POLICY,
    ...ISOLATION_HEADERS,
    "Content-Security-Policy": contentSecurityPolicy(framing),
    ...(framing === "self" ? { "X-Frame-Options": FRAME_OPTIONS } : {}),
  };
}
