import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi } from "./support/stack";
import { type FormSuite, startFormSuite } from "./support/suite";

let suite: FormSuite;
beforeAll(async () => {
  suite = await startFormSuite();
});
afterAll(() => suite?.stop());

describe("operations", () => {
  it("exposes Prometheus metrics by route pattern, submissions by outcome, pool and event loop", async () => {
    const { owner, slug } = suite;
    await owner.submit(slug, { name: "ok" });
    await owner.submit(slug, { nope: 1 });
    await owner.submit(`${slug}-missing`, {});

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
    const own = await startFormSuite();
    const first = own.stack;
    const query = first.services.database.query;
    // Slow the database down so the submission is still in flight when the stop begins.
    first.services.database.query = async (text, params) => {
      await new Promise((r) => setTimeout(r, 400));
      return query(text, params);
    };
    const id = randomUUID();
    const inflight = own.owner.submit(own.slug, { name: "late" }, id);
    await new Promise((r) => setTimeout(r, 100));
    await first.stop();
    expect((await inflight).status).toBe(201);
    await expect(fetch(`${first.url}/backend/health/live`)).rejects.toThrow();

    const second = await startApi(own.database, { MIGRATE_ON_START: "false" });
    try {
      const [row] = await second.services.database.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM submission WHERE id = $1",
        [id],
      );
      expect(row?.n).toBe(1);
    } finally {
      await second.stop();
      await own.database.drop();
    }
  });
});
