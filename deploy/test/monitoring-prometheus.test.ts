// A real Prometheus (Debian's /usr/bin/prometheus) scrapes a real Coleta API started in this process,
// under a little traffic, with the committed rule files loaded. Then every Grafana query and every
// rule expression is evaluated through Prometheus' HTTP API: none may fail, and each must return
// series. Alert expressions are legitimately empty while all is well, so for alerts the full
// expression must evaluate without error and each of its signals (the series compared with the
// thresholds, see deploy/monitoring/src/rules.ts) must return series.
// The API's ambient module declarations, for `tsc -p deploy` (the API is compiled from source here).
/// <reference path="../../apps/api/src/types/swagger-ui-dist.d.ts" />
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type RunningColeta, startColeta } from "../../apps/api/src/start";
import { freePort } from "../../apps/api/src/status/testing/net";
import { TestClient } from "../../apps/api/test/support/client";
import { firstOrgId, publishedForm } from "../../apps/api/test/support/fixtures";
import { createDatabase } from "../../apps/api/test/support/postgres";
import { GENERATED_DIR, PATHS } from "../monitoring/src/generate.ts";
import { DASHBOARDS } from "../monitoring/src/grafana/dashboards.ts";
import { prometheusConfig } from "../monitoring/src/prometheus.ts";
import { ALERT_RULES } from "../monitoring/src/rules.ts";
import { dashboardQueries } from "../monitoring/src/validate.ts";

const PROMETHEUS = process.env.PROMETHEUS ?? "/usr/bin/prometheus";
const havePromethus = existsSync(PROMETHEUS);
if (!havePromethus) {
  const message = `${PROMETHEUS} not found: install Debian's "prometheus" package (live Prometheus test skipped)`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}

/** Grafana's $__rate_interval at this test's 1 s scrape interval (≥ 4 scrapes). */
const RATE_INTERVAL = "1m";
/** How long evaluations may keep returning nothing after the traffic before it counts as a failure. */
const SETTLE_MS = 30_000;

const generated = (path: string) => join(GENERATED_DIR, path);

interface Check {
  kind: "dashboard" | "recording rule" | "recorded series" | "alert expression" | "alert signal";
  name: string;
  expr: string;
  /** False for alert expressions: they must evaluate, and are empty while nothing is wrong. */
  needsSeries: boolean;
}

interface RuleYaml {
  record?: string;
  alert?: string;
  expr: string;
}
const ruleGroups = [PATHS.recordingRules, PATHS.alertRules].flatMap(
  (p) =>
    (parse(readFileSync(generated(p), "utf8")) as { groups: { name: string; rules: RuleYaml[] }[] }).groups,
);
const committedRules = ruleGroups.flatMap((g) => g.rules);

const checks: Check[] = [
  ...DASHBOARDS.flatMap((d) => {
    const dashboard = JSON.parse(
      readFileSync(generated(`${PATHS.grafanaDashboardsDir}/${d.file}`), "utf8"),
    ) as Dashboard;
    return dashboardQueries(dashboard).map((q) => ({
      kind: "dashboard" as const,
      name: `${dashboard.title} / ${q.panel} / ${q.refId}`,
      expr: q.expr.replaceAll("$__rate_interval", RATE_INTERVAL),
      needsSeries: true,
    }));
  }),
  ...committedRules.flatMap((r): Check[] =>
    r.record
      ? [
          { kind: "recording rule", name: r.record, expr: r.expr, needsSeries: true },
          { kind: "recorded series", name: r.record, expr: r.record, needsSeries: true },
        ]
      : [{ kind: "alert expression", name: r.alert as string, expr: r.expr, needsSeries: false }],
  ),
  ...ALERT_RULES.flatMap((r) =>
    r.signals.map((s, i) => ({
      kind: "alert signal" as const,
      name: `${r.alert} #${i + 1}`,
      expr: s,
      needsSeries: true,
    })),
  ),
];

interface Outcome {
  error?: string;
  series: number;
}

const outcomes = new Map<Check, Outcome>();
let rulesState: { name: string; health: string; lastError?: string }[] = [];
let api: RunningColeta | undefined;
let prometheus: ChildProcess | undefined;
let prometheusLog = "";
let promUrl = "";
const cleanups: (() => Promise<void> | void)[] = [];

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

async function promApi<T>(path: string, form?: Record<string, string>): Promise<T> {
  const response = await fetch(`${promUrl}${path}`, {
    method: form ? "POST" : "GET",
    body: form ? new URLSearchParams(form) : undefined,
    signal: AbortSignal.timeout(5_000),
  });
  return (await response.json()) as T;
}

async function evaluate(expr: string): Promise<Outcome> {
  try {
    const r = await promApi<{
      status: string;
      error?: string;
      data?: { resultType: string; result: unknown };
    }>("/api/v1/query", { query: expr });
    if (r.status !== "success") return { error: r.error ?? r.status, series: 0 };
    const result = r.data?.result;
    return { series: Array.isArray(result) ? result.length : result === undefined ? 0 : 1 };
  } catch (error) {
    return { error: String(error), series: 0 };
  }
}

/** Polls `probe` every `everyMs` until it returns true or `ms` pass; returns whether it did. */
async function until(ms: number, probe: () => Promise<boolean>, everyMs = 500): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await probe().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

async function startDatabase(): Promise<Record<string, string>> {
  const dataDir = mkdtempSync(join(tmpdir(), "coleta-monitoring-data-"));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = process.env.TEST_DATABASE_URL;
  if (!server) return { DATA_DIR: dataDir }; // embedded PGlite: slower to start, same API
  // A private database on the test server, dropped at the end (migrations run at start).
  const db = await createDatabase(server);
  cleanups.push(() => db.drop());
  return { DATA_DIR: dataDir, DATABASE_URL: db.url };
}

async function startPrometheus(apiPort: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "coleta-prometheus-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const config = prometheusConfig({
    apiTargets: [`127.0.0.1:${apiPort}`],
    scrapeInterval: "1s",
    scrapeTimeout: "1s",
    evaluationInterval: "1s",
    ruleFiles: [generated(PATHS.recordingRules), generated(PATHS.alertRules)],
  });
  writeFileSync(join(dir, "prometheus.yml"), stringify(config));
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  prometheus = child;
  const keep = (chunk: Buffer) => {
    prometheusLog = (prometheusLog + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const ready = await until(20_000, async () => {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${prometheusLog}`);
    return (await fetch(`${promUrl}/-/ready`, { signal: AbortSignal.timeout(2_000) })).ok;
  });
  if (!ready) throw new Error(`prometheus not ready after 20 s: ${prometheusLog}`);
}

async function stopPrometheus(): Promise<void> {
  const child = prometheus;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const clean = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!clean) {
    child.kill("SIGKILL");
    await Promise.race([exited, sleep(5_000)]);
  }
}

/** Sign-up, a published form, answers (good, invalid, to a missing form), pages and an export. */
async function traffic(client: TestClient, orgId: string, formId: string, slug: string) {
  const submit = (answers: Record<string, unknown>, to = slug) =>
    client.post(`/public/forms/${to}/submissions`, { id: randomUUID(), answers });
  const replies = await Promise.all([
    submit({ name: "Ana" }),
    submit({ name: "Bia", age: 31 }),
    submit({ name: "Caio", fruit: "pear" }),
    submit({ nope: 1 }),
    submit({ name: "Davi" }, `${slug}-missing`),
    client.get(`/public/forms/${slug}`),
    client.get("/me"),
    client.get(`/orgs/${orgId}`),
    client.get(`/orgs/${orgId}/forms`),
    client.get(`/orgs/${orgId}/forms/${formId}/submissions/export?format=csv`),
    client.get("/health/ready"),
    client.get("/no-such-page"),
  ]);
  return replies.map((r) => r.status);
}

describe.skipIf(!havePromethus)("a real Prometheus scraping a real API", () => {
  beforeAll(async () => {
    const database = await startDatabase();
    api = await startColeta({
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "silent",
      AUTH_SECRET: "monitoring-test-secret-at-least-32-characters",
      WEB_DIST_DIR: "/nonexistent-web-dist",
      RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "100000",
      RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_FORM: "1000000",
      // The status prober checks the database and cache every second (coleta_dependency_*).
      STATUS_PROBE_INTERVAL_MS: "1000",
      ...database,
    });
    await startPrometheus(api.port);

    const up = await until(20_000, async () => {
      const t = await promApi<{ data: { activeTargets: { health: string }[] } }>("/api/v1/targets");
      return t.data.activeTargets.some((x) => x.health === "up");
    });
    if (!up) throw new Error(`Prometheus cannot scrape the API: ${prometheusLog}`);

    const client = new TestClient(api.url);
    await client.signUp();
    const orgId = await firstOrgId(client);
    const { formId, slug } = await publishedForm(client, orgId);
    const first = await traffic(client, orgId, formId, slug);
    expect(first).toEqual([201, 201, 201, 422, 404, 200, 200, 200, 200, 200, 200, 404]);
    await sleep(2_500); // a few scrapes between the two rounds, so rate() sees increases
    await traffic(client, orgId, formId, slug);

    const names = committedRules.map((r) => r.record ?? r.alert);
    await until(SETTLE_MS, async () => {
      const r = await promApi<{ data: { groups: { rules: typeof rulesState }[] } }>("/api/v1/rules");
      rulesState = r.data.groups.flatMap((g) => g.rules);
      return names.every((n) => rulesState.some((s) => s.name === n && s.health === "ok"));
    });

    // Evaluate everything until each check has series (or the time is up), a few at a time.
    let pending = [...checks];
    await until(
      SETTLE_MS,
      async () => {
        const next: Check[] = [];
        for (let i = 0; i < pending.length; i += 8) {
          const batch = pending.slice(i, i + 8);
          const results = await Promise.all(batch.map((c) => evaluate(c.expr)));
          batch.forEach((c, j) => {
            const outcome = results[j] as Outcome;
            outcomes.set(c, outcome);
            if (outcome.error || (c.needsSeries && outcome.series === 0)) next.push(c);
          });
        }
        pending = next;
        return pending.length === 0;
      },
      1_000,
    );
  }, 240_000);

  afterAll(async () => {
    await stopPrometheus();
    await api?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
  }, 60_000);

  it("loads every committed rule, and every rule evaluates with health ok", () => {
    const names = committedRules.map((r) => r.record ?? r.alert);
    const loaded = rulesState.map((r) => r.name);
    expect(loaded.sort()).toEqual([...names].sort());
    const unhealthy = rulesState
      .filter((r) => r.health !== "ok")
      .map((r) => `${r.name}: ${r.health} ${r.lastError ?? ""}`);
    expect(unhealthy).toEqual([]);
  });

  it.each(checks.map((c) => [`${c.kind}: ${c.name}`, c] as const))("%s", (_, check) => {
    const outcome = outcomes.get(check);
    expect(outcome, "not evaluated").toBeDefined();
    expect(outcome?.error, check.expr).toBeUndefined();
    if (check.needsSeries) expect(outcome?.series, `no series for:\n${check.expr}`).toBeGreaterThan(0);
  });
});
