import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { securityHeaders } from "@coleta/http-policy";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";
import { clientIp } from "../src/http/client-ip";
import type { TestClient } from "./support/client";
import { firstOrgId, publishedForm } from "./support/fixtures";
import type { TestStack } from "./support/stack";
import { type ApiSuite, startSuite } from "./support/suite";
import { type TempFiles, tempFiles } from "./support/temp-files";

// The edges of the HTTP layer that configuration shapes: proxy hops, CORS, the per-form rate
// limit, framing of the web pages, and the static server's confinement to its folder.

const PER_FORM_LIMIT = 3;
const CORS_ORIGIN = "https://embed.example.org";

let suite: ApiSuite, stack: TestStack, client: TestClient;
let site: TempFiles;

beforeAll(async () => {
  // A web build stand-in inside a folder that also holds a file the server must never hand out.
  site = tempFiles("coleta-site-", {
    "dist/index.html": "<html>workspace</html>",
    "dist/fill.html": "<html>fill</html>",
    "dist/assets/app-1a2b.js": "console.log(1)",
    "secret.txt": "top secret outside the web root",
  });
  suite = await startSuite({
    WEB_DIST_DIR: join(site.dir, "dist"),
    CORS_ORIGINS: CORS_ORIGIN,
    TRUST_PROXY_HOPS: "1",
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_FORM: String(PER_FORM_LIMIT),
  });
  stack = suite.stack;
  client = suite.client();
});
afterAll(async () => {
  await suite?.stop();
  site?.remove();
});

/** A GET with the path sent byte for byte (fetch would resolve `..` segments before sending). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${stack.url}/`, { path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("TRUST_PROXY_HOPS", () => {
  const addressWith = async (hops: number, forwardedFor?: string) => {
    const app = new Hono();
    app.get("/", (c) => c.text(clientIp(c, hops)));
    const headers: Record<string, string> = forwardedFor ? { "x-forwarded-for": forwardedFor } : {};
    return (await app.request("/", { headers })).text();
  };

  it("takes the N-th X-Forwarded-For entry from the right, ignoring what the client wrote further left", async () => {
    const chain = "6.6.6.6, 203.0.113.7 ,198.51.100.2";
    expect(await addressWith(1, chain)).toBe("198.51.100.2");
    expect(await addressWith(2, chain)).toBe("203.0.113.7");
    expect(await addressWith(2, "203.0.113.7,,198.51.100.2")).toBe("203.0.113.7");
  });

  it("ignores X-Forwarded-For with 0 hops, and falls back to the socket when the chain is short", async () => {
    // app.request has no socket, so the socket address reads "unknown".
    expect(await addressWith(0, "6.6.6.6")).toBe("unknown");
    expect(await addressWith(2, "198.51.100.2")).toBe("unknown");
    expect(await addressWith(1)).toBe("unknown");
  });

  it("accepts 0 to 10 and refuses anything else at start-up", () => {
    const load = (value: string) =>
      loadConfig({ TRUST_PROXY_HOPS: value, AUTH_SECRET: "x".repeat(32), DATA_DIR: tmpdir() });
    expect(load("2").env.TRUST_PROXY_HOPS).toBe(2);
    expect(loadConfig({ AUTH_SECRET: "x".repeat(32), DATA_DIR: tmpdir() }).env.TRUST_PROXY_HOPS).toBe(0);
    for (const bad of ["-1", "11", "1.5", "two"]) expect(() => load(bad), bad).toThrow(/TRUST_PROXY_HOPS/);
  });
});

describe("per-form submission rate limit", () => {
  it("caps one form's submissions per minute across client addresses, leaving other forms alone", async () => {
    const owner = suite.client();
    await owner.signUp();
    const orgId = await firstOrgId(owner);
    const busy = await publishedForm(owner, orgId);
    const quiet = await publishedForm(owner, orgId);
    const submit = (slug: string, ip: string) =>
      client.request(
        "POST",
        `/backend/public/forms/${slug}/submissions`,
        { id: crypto.randomUUID(), answers: { name: "Ana" } },
        { "x-forwarded-for": ip },
      );
    // Every submission from another address: the per-address limit never applies.
    for (let i = 0; i < PER_FORM_LIMIT; i++) {
      expect((await submit(busy.slug, `203.0.113.${i + 1}`)).status).toBe(201);
    }
    const limited = await submit(busy.slug, "203.0.113.200");
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await submit(quiet.slug, "203.0.113.201")).status).toBe(201);
  });
});

describe("CORS_ORIGINS", () => {
  it("answers a preflight from a listed origin with credentials allowed", async () => {
    const preflight = await client.request("OPTIONS", "/backend/me", undefined, {
      origin: CORS_ORIGIN,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(CORS_ORIGIN);
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
    const read = await client.request("GET", "/backend/health/live", undefined, { origin: CORS_ORIGIN });
    expect(read.headers.get("access-control-allow-origin")).toBe(CORS_ORIGIN);
  });

  it("grants nothing to an origin that is not listed", async () => {
    const other = await client.request("OPTIONS", "/backend/me", undefined, {
      origin: "https://elsewhere.example",
      "access-control-request-method": "POST",
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const read = await client.request("GET", "/backend/health/live", undefined, {
      origin: "https://elsewhere.example",
    });
    expect(read.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("framing (embed) policy", () => {
  const expectHeaders = (headers: Headers, framing: "self" | "anyone") => {
    for (const [name, value] of Object.entries(securityHeaders(framing))) {
      expect(headers.get(name), name).toBe(value);
    }
  };

  it("lets any site frame the respondent page, and nothing else", async () => {
    const fill = await client.request("GET", "/frontend/f/census-2026");
    expect(fill.status).toBe(200);
    expect(fill.text).toContain("fill");
    expect(fill.headers.get("content-security-policy")).toMatch(/frame-ancestors \*$/);
    expect(fill.headers.get("x-frame-options")).toBeNull();
    expectHeaders(fill.headers, "anyone");

    for (const path of [
      "/frontend/",
      "/frontend/orgs/1/forms",
      "/frontend/assets/app-1a2b.js",
      "/backend/health/live",
    ]) {
      const reply = await client.request("GET", path);
      expect(reply.status, path).toBe(200);
      expect(reply.headers.get("content-security-policy"), path).toMatch(/frame-ancestors 'self'$/);
      expect(reply.headers.get("x-frame-options"), path).toBe("SAMEORIGIN");
      expectHeaders(reply.headers, "self");
    }
  });
});

describe("static web server", () => {
  it("serves files of the build and never a file outside it, however the path is spelled", async () => {
    expect((await rawGet("/frontend/assets/app-1a2b.js")).body).toBe("console.log(1)");
    for (const path of [
      "/frontend/../secret.txt",
      "/frontend/assets/../../secret.txt",
      "/frontend/%2e%2e/secret.txt",
      "/frontend/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
      "/frontend/%252e%252e%252fsecret.txt",
      "/frontend/..%5csecret.txt",
      "/frontend/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    ]) {
      const reply = await rawGet(path);
      expect(reply.body, path).not.toContain("top secret");
      expect(reply.body, path).not.toContain("root:");
      expect([200, 400, 404], path).toContain(reply.status);
    }
  });
});
