import { COMPONENT_IDS, STATUS_CACHE_SECONDS, STATUS_MIN_REQUESTS } from "@coleta/monitoring";
import { describe, expect, it } from "vitest";
import { firstOrgId, publishedForm } from "../../test/support/fixtures";
import { startSuite, useSuite } from "../../test/support/suite";
import { startColeta } from "../start";
import type { StatusDocument } from "./schemas";

const TOKEN = "a-status-token-of-some-length";

describe("GET /backend/status (public board, memory cache)", () => {
  const suite = useSuite(() =>
    startSuite({
      TEAM_BACKEND_CONTACT: "backend-oncall@example.org",
      TEAM_PLATFORM_NAME: "Plataforma & Infra",
      RUNBOOK_BASE_URL: "https://runbooks.example.org/coleta/",
      STATUS_TIMEZONE: "UTC",
    }),
  );

  it("answers without sign-in: every component, in the asked language, cacheable for a few seconds", async () => {
    const reply = await suite.client().request<StatusDocument>("GET", "/backend/status?lang=pt-BR");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("cache-control")).toBe(`public, max-age=${STATUS_CACHE_SECONDS}`);
    const doc = reply.body;
    expect(doc.status).toBe("ok");
    expect(doc.lang).toBe("pt-BR");
    expect(Date.parse(doc.updatedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(doc.components.map((c) => c.id)).toEqual([...COMPONENT_IDS]);
    const submissions = doc.components.find((c) => c.id === "submissions");
    expect(submissions).toMatchObject({
      name: "Recebimento de respostas",
      status: "ok",
      message: "As respostas estão sendo recebidas.",
      team: { id: "backend", name: "Time de backend", contact: "backend-oncall@example.org" },
      call: null,
      runbook: "https://runbooks.example.org/coleta/status-submissions.md",
    });
    const cache = doc.components.find((c) => c.id === "cache");
    expect(cache?.status).toBe("ok"); // the memory cache has nothing to lose
    expect(cache?.team.name).toBe("Plataforma & Infra");
    expect(doc.scope).toBe("this-replica");
    // Nothing internal: no hosts, ports, connection strings or driver messages.
    expect(reply.text).not.toMatch(/127\.0\.0\.1|localhost|postgres:|redis:|ECONN|password/i);
  });

  it("follows Accept-Language when no ?lang is given, English otherwise", async () => {
    const client = suite.client();
    const pt = await client.request<StatusDocument>("GET", "/backend/status", undefined, {
      "accept-language": "pt-BR,pt;q=0.9",
    });
    expect(pt.body.components[0]?.name).toBe("Formulários públicos");
    expect(pt.headers.get("vary")).toMatch(/Accept-Language/);
    const en = await client.request<StatusDocument>("GET", "/backend/status", undefined, {
      "accept-language": "de-DE",
    });
    expect(en.body.components[0]?.name).toBe("Public forms");
  });

  it("counts public traffic into its components (4xx are not errors)", async () => {
    const owner = suite.client();
    await owner.signUp();
    const { slug } = await publishedForm(owner, await firstOrgId(owner));
    const visitor = suite.client();
    for (let i = 0; i < STATUS_MIN_REQUESTS + 2; i++) {
      expect((await visitor.get(`/public/forms/${slug}`)).status).toBe(200);
    }
    for (let i = 0; i < STATUS_MIN_REQUESTS; i++) {
      const reply = await visitor.submit(slug, {});
      expect(reply.status).toBe(422); // "name" is required: the respondent's mistake, not ours
    }
    const { status } = suite.stack.services;
    const doc = status.document(await status.refresh(), "en");
    const forms = doc.components.find((c) => c.id === "public_forms");
    expect(forms?.signals.requests).toBe(STATUS_MIN_REQUESTS + 2);
    expect(forms?.signals.p95Ms).toEqual(expect.any(Number));
    const submissions = doc.components.find((c) => c.id === "submissions");
    expect(submissions?.signals).toMatchObject({ requests: STATUS_MIN_REQUESTS, errors: 0 });
    expect(submissions?.status).toBe("ok");
    expect(doc.components.find((c) => c.id === "workspace")?.signals.requests).toBeGreaterThan(0);
  });

  it("exports the status gauges and dependency checks to Prometheus", async () => {
    await suite.stack.services.status.refresh();
    const metrics = await suite.client().request("GET", "/backend/metrics");
    for (const id of COMPONENT_IDS)
      expect(metrics.text).toContain(`coleta_status_level{component="${id}"} 0`);
    expect(metrics.text).toContain('coleta_dependency_up{dependency="database"} 1');
    expect(metrics.text).toContain('coleta_dependency_up{dependency="cache"} 1');
    expect(metrics.text).toMatch(/coleta_dependency_checks_total\{dependency="database",result="ok"\} [1-9]/);
    expect(metrics.text).toContain('coleta_dependency_checks_total{dependency="cache",result="fail"} 0');
  });

  it("is documented in the OpenAPI document", async () => {
    const doc = await suite
      .client()
      .request<{ paths: Record<string, unknown> }>("GET", "/backend/openapi.json");
    expect(doc.body.paths).toHaveProperty("/backend/status");
  });
});

describe("STATUS_BOARD=token and off", () => {
  // Each on a database of its own (the embedded database serves one process).
  const protectedApi = useSuite(() => startSuite({ STATUS_BOARD: "token", STATUS_TOKEN: TOKEN }));
  const offApi = useSuite(() => startSuite({ STATUS_BOARD: "off" }));

  it("token: 401 problem+json without or with a wrong token; 200 with a Bearer header or ?token=", async () => {
    const client = protectedApi.client();
    for (const headers of [
      {} as Record<string, string>,
      { authorization: "Bearer wrong-token-of-some-length" },
      { authorization: TOKEN },
    ]) {
      const reply = await client.request("GET", "/backend/status", undefined, headers);
      expect(reply.status).toBe(401);
      expect(reply.headers.get("content-type")).toContain("application/problem+json");
      expect(reply.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(reply.body).toMatchObject({ status: 401, code: "status_token_required" });
    }
    expect((await client.request("GET", "/backend/status?token=nope")).status).toBe(401);
    const bearer = await client.request("GET", "/backend/status", undefined, {
      authorization: `Bearer ${TOKEN}`,
    });
    expect(bearer.status).toBe(200);
    expect(bearer.headers.get("cache-control")).toBe(`private, max-age=${STATUS_CACHE_SECONDS}`);
    const query = await client.request<StatusDocument>("GET", `/backend/status?token=${TOKEN}&lang=en`);
    expect(query.status).toBe(200);
    expect(query.body.components).toHaveLength(COMPONENT_IDS.length);
  });

  it("off: the route does not exist", async () => {
    const reply = await offApi.client().request("GET", "/backend/status");
    expect(reply.status).toBe(404);
    expect(reply.headers.get("content-type")).toContain("application/problem+json");
  });

  it("token mode without a token refuses to start, naming the variable", async () => {
    const env = {
      LOG_LEVEL: "silent",
      AUTH_SECRET: "x".repeat(32),
      DATA_DIR: "/nonexistent/coleta-status-test",
    };
    await expect(startColeta({ ...env, STATUS_BOARD: "token" })).rejects.toThrow(
      "Invalid configuration: STATUS_TOKEN: required when STATUS_BOARD is token",
    );
    await expect(startColeta({ ...env, STATUS_TIMEZONE: "Mars/Olympus" })).rejects.toThrow(
      /STATUS_TIMEZONE: expected an IANA time zone/,
    );
  });
});
