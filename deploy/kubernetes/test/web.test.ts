import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WEB_PORT, webNginxConf } from "../src/charts/web.ts";
import { imageByDigest } from "../src/images.ts";

describe("web nginx configuration (derived from deploy/compose/nginx.conf)", () => {
  const compose = readFileSync(new URL("../../compose/nginx.conf", import.meta.url), "utf8");
  const conf = webNginxConf();

  it("keeps every /frontend location of the compose file and drops the API", () => {
    const frontend = compose.split("\n").filter((l) => /^\s*location .*\/frontend/.test(l));
    expect(frontend.length).toBeGreaterThan(3);
    for (const line of frontend) expect(conf).toContain(line);
    const directives = conf.replace(/^\s*#.*$/gm, "");
    expect(directives).not.toMatch(/upstream|proxy_pass|\/backend/);
    expect(conf).toContain(`listen ${WEB_PORT};`);
  });

  it("balances braces", () => {
    expect(conf.match(/\{/g)?.length).toBe(conf.match(/\}/g)?.length);
  });

  it("refuses a compose file whose /backend routing it does not recognise", () => {
    expect(() => webNginxConf("server {\n    listen 80;\n    proxy_pass http://x/backend;\n}\n")).toThrow(
      /changed shape/,
    );
  });
});

describe("image references", () => {
  it("accept digests only", () => {
    expect(imageByDigest("r/coleta-api", `sha256:${"a".repeat(64)}`, "t")).toBe(
      `r/coleta-api@sha256:${"a".repeat(64)}`,
    );
    expect(() => imageByDigest("r/coleta-api", "latest", "t")).toThrow(/digest/);
  });
});
