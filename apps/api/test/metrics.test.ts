import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { firstOrgId, publishedForm } from "./support/fixtures";
import { startApi, type TestDatabase, type TestStack, testDatabase } from "./support/stack";

let database: TestDatabase;
let stack: TestStack;

beforeAll(async () => {
  database = await testDatabase();
  stack = await startApi(database);
});
afterAll(async () => {
  await stack?.stop();
  await database?.drop();
});

describe("operations", () => {
  it("exposes Prometheus metrics by route pattern, submissions by outcome, pool and event loop", async () => {
    const owner = new TestClient(stack.url);
    await owner.signUp();
    const orgId = await firstOrgId(owner);
    const { slug } = await publishedForm(owner, orgId);
    await owner.post(`/public/forms/${slug}/submissions`, { id: randomUUID(), answers: { name: "ok" } });
    await owner.post(`/public/forms/${slug}/submissions`, { id: randomUUID(), answers: { nope: 1 } });
    await owner.post(`/public/forms/${slug}-missing/submissions`, { id: randomUUID(), answers: {} });

    const reply = await owner.request("GET", "/backend/metrics");
    expect(reply.headers.get("content-type")).toContain("text/plain");
    const text = reply.text;
    expect(text).toMatch(
      /http_requests_total\{method="POST",route="\/backend\/public\/forms\/:slug\/submissions",status="201"\} 1/,
    );
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.1",method="POST",route="/backend/public/forms/:slug/submissions",status="201"}',
    );
    expect(text).toContain('coleta_submissions_accepted_total{outcome="created"} 1');
    expect(text).toContain('coleta_submissions_rejected_total{reason="validation"} 1');
    expect(text).toContain('coleta_submissions_rejected_total{reason="not_found"} 1');
    expect(text).toMatch(/coleta_db_pool_connections\{state="in_use"\}/);
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    expect(text).toContain("process_resident_memory_bytes");
    expect(text).not.toContain(slug); // ids and slugs never become label values

    if (existsSync("/usr/bin/promtool")) {
      // promtool parses the exposition and lints names; prom-client's own default process metrics
      // carry a known naming quirk (nodejs_active_*_total gauges), so only our metrics must be clean.
      const lint = spawnSync("/usr/bin/promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
      const problems = `${lint.stdout}${lint.stderr}`
        .split("\n")
        .filter((line) => line.trim() && !/^nodejs_active_/.test(line.trim()));
      expect(problems).toEqual([]);
    }
  });

  it("finishes in-flight requests on shutdown, then refuses new connections", async () => {
    // Its own database, reopened after the stop to check the row (the embedded one takes one process).
    const own = await testDatabase();
    const first = await startApi(own);
    const owner = new TestClient(first.url);
    await owner.signUp();
    const { slug: ownSlug } = await publishedForm(owner, await firstOrgId(owner));
    const query = first.services.database.query;
    // Slow the database down so the submission is still in flight when the stop begins.
    first.services.database.query = async (text, params) => {
      await new Promise((r) => setTimeout(r, 400));
      return query(text, params);
    };
    const id = randomUUID();
    const inflight = owner.post(`/public/forms/${ownSlug}/submissions`, { id, answers: { name: "late" } });
    await new Promise((r) => setTimeout(r, 100));
    await first.stop();
    expect((await inflight).status).toBe(201);
    await expect(fetch(`${first.url}/backend/health/live`)).rejects.toThrow();

    const second = await startApi(own, { MIGRATE_ON_START: "false" });
    try {
      const [row] = await second.services.database.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM submission WHERE id = $1",
        [id],
      );
      expect(row?.n).toBe(1);
    } finally {
      await second.stop();
      await own.drop();
    }
  });
});
