import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestClient } from "./support/client";
import type { TestStack } from "./support/stack";
import { type ApiSuite, startSuite } from "./support/suite";

let suite: ApiSuite, stack: TestStack, client: TestClient;
beforeAll(async () => {
  suite = await startSuite({ BODY_LIMIT_BYTES: "2048" });
  stack = suite.stack;
  client = suite.client();
});
afterAll(() => suite?.stop());

const isProblem = (headers: Headers) =>
  expect(headers.get("content-type")).toContain("application/problem+json");

describe("HTTP conventions", () => {
  it("answers an unknown route with a 404 problem and a request id", async () => {
    const reply = await client.get("/no-such-route");
    expect(reply.status).toBe(404);
    isProblem(reply.headers);
    expect(reply.body).toMatchObject({ status: 404, code: "not_found" });
    expect(reply.headers.get("x-request-id")).toBe(reply.body.requestId);
  });

  it("keeps a sane incoming X-Request-Id and replaces a bogus one", async () => {
    const kept = await client.request("GET", "/backend/health/live", undefined, {
      "x-request-id": "trace-12345678",
    });
    expect(kept.headers.get("x-request-id")).toBe("trace-12345678");
    const replaced = await client.request("GET", "/backend/health/live", undefined, {
      "x-request-id": "<script>",
    });
    expect(replaced.headers.get("x-request-id")).not.toBe("<script>");
  });

  it("rejects malformed JSON with 400", async () => {
    const reply = await client.request("POST", "/backend/public/forms/x/submissions", "{not json");
    expect(reply.status).toBe(400);
    isProblem(reply.headers);
    expect(reply.body.code).toBe("malformed_json");
  });

  it("rejects a non-JSON body with 415", async () => {
    const reply = await client.request("POST", "/backend/public/forms/x/submissions", "a=b", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(reply.status).toBe(415);
    isProblem(reply.headers);
  });

  it("rejects a body over the limit with 413", async () => {
    const reply = await client.request("POST", "/backend/public/forms/x/submissions", {
      id: crypto.randomUUID(),
      answers: { big: "x".repeat(4096) },
    });
    expect(reply.status).toBe(413);
    isProblem(reply.headers);
  });

  it("counts a chunked body (no Content-Length) against the limit too", async () => {
    const chunk = new TextEncoder().encode(
      `{"id":"${crypto.randomUUID()}","answers":{"big":"${"x".repeat(4096)}"}}`,
    );
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await fetch(`${stack.url}/backend/public/forms/x/submissions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it("lists per-field errors for an invalid body with 422", async () => {
    const reply = await client.request("POST", "/backend/public/forms/x/submissions", { id: "not-a-uuid" });
    expect(reply.status).toBe(422);
    const paths = (reply.body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(["answers", "id"]);
  });

  it("answers an unexpected failure with a bare 500 and no internals", async () => {
    const original = stack.services.cache.hit;
    stack.services.cache.hit = async () => {
      throw new Error("connect 10.0.0.5 password=hunter2 failed");
    };
    try {
      const reply = await client.request("POST", "/backend/public/forms/x/submissions", {
        id: crypto.randomUUID(),
        answers: {},
      });
      expect(reply.status).toBe(500);
      isProblem(reply.headers);
      expect(reply.body.code).toBe("internal_error");
      expect(reply.body.requestId).toBe(reply.headers.get("x-request-id"));
      expect(reply.text).not.toContain("hunter2");
      expect(reply.text).not.toContain("at ");
    } finally {
      stack.services.cache.hit = original;
    }
  });

  it("reports readiness failures without connection details", async () => {
    const original = stack.services.database.ping;
    stack.services.database.ping = async () => {
      throw new Error("password=hunter2");
    };
    try {
      const ready = await client.get("/health/ready");
      expect(ready.status).toBe(503);
      expect(ready.body.checks.database.status).toBe("fail");
      expect(ready.text).not.toContain("hunter2");
    } finally {
      stack.services.database.ping = original;
    }
    expect((await client.get("/health/ready")).status).toBe(200);
  });

  it("sets security headers and a restrictive content security policy", async () => {
    const reply = await client.get("/health/live");
    expect(reply.headers.get("x-content-type-options")).toBe("nosniff");
    expect(reply.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(reply.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses cookie-authenticated writes from another site (CSRF)", async () => {
    const reply = await client.request(
      "POST",
      "/backend/orgs",
      { name: "x" },
      { origin: "https://evil.example" },
    );
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe("untrusted_origin");
  });

  it("publishes an OpenAPI 3.1 document and a reference page", async () => {
    const doc = await client.get("/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe("3.1.0");
    const post = doc.body.paths["/backend/public/forms/{slug}/submissions"].post;
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(["201", "200", "422", "429"]));
    expect(post.responses["422"].content["application/problem+json"]).toBeDefined();
    const page = await client.request("GET", "/backend/docs");
    expect(page.status).toBe(200);
    expect(page.text).toContain("swagger-ui-bundle.js");
    const asset = await client.request("GET", "/backend/docs/assets/swagger-ui-bundle.js");
    expect(asset.status).toBe(200);
  });
});
