import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, MAP_TILES, mapTileOrigin, securityHeaders } from "./index";

describe("security headers", () => {
  it("lets any site frame only pages declared embeddable", () => {
    expect(contentSecurityPolicy("anyone")).toMatch(/; frame-ancestors \*$/);
    expect(contentSecurityPolicy("self")).toMatch(/; frame-ancestors 'self'$/);
    expect(securityHeaders("anyone")).not.toHaveProperty("X-Frame-Options");
    expect(securityHeaders("self")["X-Frame-Options"]).toBe("SAMEORIGIN");
  });

  it("never allows plugins, foreign scripts or a foreign <base>", () => {
    const csp = contentSecurityPolicy("self");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("base-uri 'self'");
    expect(csp).not.toMatch(/unsafe-eval/);
  });

  it("sends the same non-framing headers whatever the framing", () => {
    const { "Content-Security-Policy": _a, "X-Frame-Options": _b, ...self } = securityHeaders("self");
    const { "Content-Security-Policy": _c, ...anyone } = securityHeaders("anyone");
    expect(self).toEqual(anyone);
    expect(self["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(self["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
  });

  it("allows the map's tile server for images only", () => {
    const origin = mapTileOrigin();
    expect(origin).toBe(new URL(MAP_TILES.url ?? "").origin);
    const directives = contentSecurityPolicy("self").split("; ");
    expect(directives.find((d) => d.startsWith("img-src"))?.split(" ")).toContain(origin);
    expect(directives.filter((d) => d.includes(origin ?? "-"))).toHaveLength(1);
    expect(mapTileOrigin({ url: null, attribution: "" })).toBeNull();
  });
});
