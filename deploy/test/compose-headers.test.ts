import { readFileSync } from "node:fs";
import { securityHeaders } from "@coleta/http-policy";
import { describe, expect, it } from "vitest";
import { NGINX_CONF, renderNginxConf } from "../compose/security-headers.ts";
import { matchLocation, one, parseNginx } from "./lib/nginx.ts";

// compose's nginx must send on /frontend what CloudFront sends in AWS: the headers of
// @coleta/http-policy, generated into nginx.conf by deploy/compose/security-headers.ts.

const committed = readFileSync(NGINX_CONF, "utf8");
const server = one(parseNginx(committed), "server");
const headersAt = (uri: string): Record<string, string> => {
  const location = matchLocation(server, uri);
  if (!location) throw new Error(`no location for ${uri}`);
  return Object.fromEntries(
    location.body
      .filter((d) => d.name === "add_header")
      .map((d) => [d.args[0] as string, d.args[1] as string]),
  );
};
const withoutCacheControl = ({ "Cache-Control": _, ...rest }: Record<string, string>) => rest;

describe("compose nginx security headers", () => {
  it("are current: `npm run compose:headers` would not change nginx.conf", () => {
    expect(renderNginxConf(committed)).toBe(committed);
  });

  it("let any site frame the respondent page and nothing else under /frontend", () => {
    expect(withoutCacheControl(headersAt("/frontend/f/census-2026"))).toEqual(securityHeaders("anyone"));
    for (const uri of [
      "/frontend/",
      "/frontend/orgs/1/forms",
      "/frontend/assets/index-3f2a1b.js",
      "/frontend/fill.html",
      "/frontend/status",
    ]) {
      expect(withoutCacheControl(headersAt(uri)), uri).toEqual(securityHeaders("self"));
    }
  });

  it("leave /backend to the API, which sends the same headers itself", () => {
    expect(headersAt("/backend/health/live")).toEqual({});
  });

  it("rewrite a stale block and keep everything around it", () => {
    const stale = [
      "location /x/ {",
      "    # BEGIN security headers (anyone)",
      '    add_header X-Old "1" always;',
      "    # END security headers",
      "    try_files $uri =404;",
      "}",
    ].join("\n");
    const rendered = renderNginxConf(stale);
    expect(rendered).not.toContain("X-Old");
    expect(rendered).toContain("frame-ancestors *");
    expect(rendered.split("\n").at(-2)).toBe("    try_files $uri =404;");
    expect(() => renderNginxConf("# BEGIN security headers (self)\n")).toThrow(/without/);
  });
});
