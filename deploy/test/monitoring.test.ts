// deploy/monitoring: the generated Prometheus, Alertmanager and Grafana files are what the generator
// produces now; promtool accepts the config and rules and passes the rule unit tests; every alert is
// labelled, worded and has a runbook; the dashboards are valid and use the shared thresholds.
// The test that runs all of it against a real Prometheus and API is monitoring-prometheus.test.ts.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ALERT_RUNBOOKS,
  BURN_RATE_WINDOWS,
  COMPONENT_IDS,
  COMPONENTS,
  DEFAULT_RUNBOOK_BASE_URL,
  PROMETHEUS_ALERTS,
  RATE_LIMITED_RATIO_DEGRADED,
  runbookPath,
  SEVERITY_URGENCY,
  SLOS,
  TEAM_IDS,
  TEAMS,
} from "@coleta/monitoring";
import type { Dashboard, Panel } from "@grafana/grafana-foundation-sdk/dashboard";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { classifyRequest } from "../../apps/api/src/status/classify";
import { MONITORING_RECEIVER } from "../monitoring/src/alertmanager.ts";
import { CONTACTS } from "../monitoring/src/contacts.ts";
import { GENERATED_DIR, generateFiles, PATHS, staleFiles } from "../monitoring/src/generate.ts";
import { DASHBOARDS } from "../monitoring/src/grafana/dashboards.ts";
import { DATASOURCE } from "../monitoring/src/grafana/provisioning.ts";
import { levelQuery, RATE_LIMITED_SHARE } from "../monitoring/src/grafana/status-dashboard.ts";
import { type Matchers, selector, TRAFFIC } from "../monitoring/src/promql.ts";
import { ALERT_RULES, SLIS } from "../monitoring/src/rules.ts";
import { dashboardProblems, dashboardQueries, dashboardTypeErrors } from "../monitoring/src/validate.ts";
import { exists, packageJson, read, root } from "./lib/repo.ts";

const PROMTOOL = process.env.PROMTOOL ?? "/usr/bin/promtool";
const havePromtool = existsSync(PROMTOOL);
if (!havePromtool) {
  const message = `${PROMTOOL} not found: install Debian's "prometheus" package (promtool checks skipped)`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}

const generated = (path: string) => join(GENERATED_DIR, path);
const readGenerated = (path: string) => readFileSync(generated(path), "utf8");

interface RuleYaml {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const alertsYaml = parse(readGenerated(PATHS.alertRules)) as {
  groups: { name: string; rules: RuleYaml[] }[];
};
const alerts = alertsYaml.groups.flatMap((g) => g.rules);
const recordingYaml = parse(readGenerated(PATHS.recordingRules)) as { groups: { rules: RuleYaml[] }[] };
const dashboards = DASHBOARDS.map(
  (d) => JSON.parse(readGenerated(`${PATHS.grafanaDashboardsDir}/${d.file}`)) as Dashboard,
);

/** Words a non-technical reader should not meet in an alert's summary. */
const JARGON =
  /_|\b5xx\b|\bp9\d\b|\bSLO\b|burn|latency|event.loop|\bpool\b|scrape|PromQL|\{\{(?! \$labels\.reason \}\})/i;

function promtool(args: string[], cwd: string) {
  const r = spawnSync(PROMTOOL, args, { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}${r.error ? String(r.error) : ""}` };
}

describe("generated monitoring files", () => {
  it("are exactly what the generator produces now (run `npm run monitoring:build` and commit)", () => {
    const files = generateFiles();
    for (const [path, text] of files) {
      expect(existsSync(generated(path)), `${path} is missing`).toBe(true);
      expect(readGenerated(path), `${path} differs from the generator`).toBe(text);
    }
    expect(staleFiles(GENERATED_DIR, files), "files the generator no longer writes").toEqual([]);
  });

  it("npm run monitoring:build runs the generator", () => {
    expect(packageJson().scripts?.["monitoring:build"]).toBe("tsx deploy/monitoring/build.ts");
    expect(exists("deploy/monitoring/build.ts")).toBe(true);
  });
});

describe.skipIf(!havePromtool)("promtool", () => {
  const dir = generated("prometheus");

  it("check config: prometheus.yml and the rule files it loads", () => {
    const r = promtool(["check", "config", "prometheus.yml"], dir);
    expect(r.output).toContain("SUCCESS");
    expect(r.status, r.output).toBe(0);
  });

  it("check rules: recording and alerting rules", () => {
    const r = promtool(["check", "rules", "rules/recording.yml", "rules/alerts.yml"], dir);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain(`SUCCESS: ${alerts.length} rules found`);
  });

  it("test rules: each alert fires in the stories where it must, and only there", () => {
    const tests = readdirSync(join(dir, "tests")).map((f) => `tests/${f}`);
    expect(tests.length).toBeGreaterThan(0);
    const r = promtool(["test", "rules", ...tests], dir);
    expect(r.status, r.output).toBe(0);
    expect(r.output).not.toContain("FAILED");
  });
});

describe("promtool unit tests cover every alert", () => {
  const files = [PATHS.sloRuleTests, PATHS.causeRuleTests].map(
    (p) =>
      parse(readGenerated(p)) as {
        tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
      },
  );
  const cases = files.flatMap((f) => f.tests.flatMap((t) => t.alert_rule_test ?? []));

  it.each(alerts.map((a) => a.alert as string))("%s is tested firing and not firing", (name) => {
    const mine = cases.filter((c) => c.alertname === name);
    expect(
      mine.some((c) => c.exp_alerts.length > 0),
      "a case where it fires",
    ).toBe(true);
    expect(
      mine.some((c) => c.exp_alerts.length === 0),
      "a case where it stays quiet",
    ).toBe(true);
  });
});

describe("alert rules", () => {
  it("are the alerts of @coleta/monitoring, in two groups", () => {
    expect(alerts.map((a) => a.alert)).toEqual(PROMETHEUS_ALERTS.map((a) => a.name));
    expect(alertsYaml.groups.map((g) => g.name)).toEqual(["coleta-slo-burn-rate", "coleta-api"]);
  });

  it.each(alerts.map((a) => [a.alert as string, a] as const))(
    "%s has team, severity, a plain summary in English and Portuguese, and a runbook link",
    (_, a) => {
      expect(TEAM_IDS).toContain(a.labels?.team);
      expect(Object.keys(SEVERITY_URGENCY)).toContain(a.labels?.severity);
      for (const key of ["summary", "summary_pt"]) {
        const text = a.annotations?.[key] ?? "";
        expect(text.length, key).toBeGreaterThan(20);
        // Plain words for the monitoring team: no metric names, PromQL or engineering shorthand.
        expect(text, key).not.toMatch(JARGON);
        const team = TEAMS[a.labels?.team as keyof typeof TEAMS];
        expect(text.toLowerCase(), `${key} says whom to contact`).toContain(
          (key === "summary" ? team.name.en : team.name["pt-BR"]).toLowerCase(),
        );
      }
      expect(a.annotations?.runbook_url).toMatch(
        new RegExp(`^${DEFAULT_RUNBOOK_BASE_URL}/alert-[a-z0-9-]+\\.md$`),
      );
    },
  );

  it("each SLO has a page and a ticket alert from BURN_RATE_WINDOWS, over its recording rules", () => {
    const recorded = new Set(recordingYaml.groups.flatMap((g) => g.rules.map((r) => r.record)));
    for (const [key, slo] of Object.entries(SLOS)) {
      const mine = alerts.filter((a) => a.labels?.slo === slo.id);
      expect(mine.map((a) => a.labels?.severity).sort(), slo.id).toEqual(["page", "ticket"]);
      expect(mine.every((a) => a.labels?.team === slo.team)).toBe(true);
      for (const w of BURN_RATE_WINDOWS) {
        const alert = mine.find((a) => a.labels?.severity === w.severity) as RuleYaml;
        const sli = SLIS[key as keyof typeof SLIS];
        for (const window of [w.long, w.short]) {
          expect(alert.expr).toContain(`${sli.record(window)} > (${w.burnRate} * `);
          expect(recorded.has(sli.record(window)), sli.record(window)).toBe(true);
        }
      }
    }
  });

  it("expose their signals (the series behind each threshold) for the live test", () => {
    for (const rule of ALERT_RULES) {
      expect(rule.signals.length, rule.alert).toBeGreaterThan(0);
      const squash = (x: string) => x.replace(/\s+/g, " ").replace(/\( /g, "(").replace(/ \)/g, ")");
      for (const s of rule.signals) expect(squash(rule.expr), rule.alert).toContain(squash(s));
    }
  });
});

describe("runbooks", () => {
  const linked = alerts.map((a) =>
    (a.annotations?.runbook_url ?? "").slice(DEFAULT_RUNBOOK_BASE_URL.length + 1),
  );

  it.each(linked)("docs/runbooks/%s exists", (file) => {
    expect(exists(`docs/runbooks/${file}`), `docs/runbooks/${file}`).toBe(true);
  });

  it("every docs/runbooks/alert-*.md belongs to an alert", () => {
    const files = readdirSync(join(root, "docs/runbooks")).filter((f) => /^alert-.*\.md$/.test(f));
    expect(files.sort()).toEqual(ALERT_RUNBOOKS.map((id) => `${id}.md`).sort());
  });

  it.each(PROMETHEUS_ALERTS.map((a) => [a.name, a] as const))(
    "%s: written for the monitoring team first, then the owning team",
    (_, a) => {
      const text = read(runbookPath(a.runbook));
      const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
      const team = TEAMS[a.team].name.en;
      expect(text.split("\n")[0]).toBe(`# Alert: ${a.name}`);
      expect(headings.slice(0, 4)).toEqual([
        "What people experience",
        "What to do",
        "How urgent",
        `For the ${team}: check first`,
      ]);
      expect(text).toContain(a.summary["pt-BR"].replace(/\{\{ \$labels\.reason \}\}/, "…"));
      expect(text).toContain(`**Call:** ${team}`);
      expect(text).toContain(`**How urgent:** ${SEVERITY_URGENCY[a.severity].en}`);
      // Relative links resolve.
      for (const [, target] of text.matchAll(/\]\((?!https?:|#)([^)#]+)/g)) {
        expect(exists(join("docs/runbooks", target as string)), `${a.runbook} → ${target}`).toBe(true);
      }
    },
  );
});

describe("alertmanager.yml", () => {
  interface Route {
    receiver?: string;
    matchers?: string[];
    continue?: boolean;
  }
  const am = parse(readGenerated(PATHS.alertmanager)) as {
    route: Route & { routes: Route[] };
    receivers: { name: string; email_configs?: { to: string }[] }[];
  };

  it("sends every alert to the monitoring team first, then on to its team", () => {
    const [first, ...rest] = am.route.routes;
    expect(am.route.receiver).toBe(MONITORING_RECEIVER);
    expect(first).toEqual({ receiver: MONITORING_RECEIVER, continue: true });
    expect(rest.map((r) => [r.receiver, r.matchers])).toEqual(TEAM_IDS.map((t) => [t, [`team="${t}"`]]));
  });

  it("every alert's team has a receiver; every receiver used exists and has a placeholder contact", () => {
    const names = am.receivers.map((r) => r.name);
    for (const a of alerts) expect(names).toContain(a.labels?.team);
    for (const r of [am.route, ...am.route.routes]) expect(names).toContain(r.receiver);
    for (const r of am.receivers) {
      const id = r.name === MONITORING_RECEIVER ? "monitoring" : (r.name as keyof typeof CONTACTS);
      expect(r.email_configs?.map((e) => e.to)).toEqual([CONTACTS[id].email]);
    }
  });
});

describe("Grafana dashboards", () => {
  const [status, engineering] = dashboards as [Dashboard, Dashboard];
  const panels = (d: Dashboard) => (d.panels ?? []).filter((p) => p.type !== "row") as Panel[];

  it.each(dashboards.map((d) => [d.title as string, d] as const))(
    "%s is valid: ids, grid, options of its panel schemas, queries on the provisioned data source",
    (_, d) => {
      expect(dashboardProblems(d, DATASOURCE.uid)).toEqual([]);
      expect(dashboardQueries(d).length).toBeGreaterThan(5);
    },
  );

  it("the committed JSON type-checks against Grafana's types in the Foundation SDK (panel options per plugin, queries)", async () => {
    // A broken copy is checked in the same run, to prove the check rejects what Grafana would not read.
    const broken = structuredClone(status);
    (broken as { graphTooltip: number }).graphTooltip = 7;
    const light = panels(broken).find((p) => p.type === "stat") as Panel;
    (light.options as Record<string, unknown>).colour = "blue";
    const errors = await dashboardTypeErrors([...dashboards, broken]);
    const brokenIndex = dashboards.length;
    expect(errors.filter((e) => !e.startsWith(`dashboard${brokenIndex}`))).toEqual([]);
    expect(errors.join("\n")).toMatch(new RegExp(`dashboard${brokenIndex}: .*'7'`));
    expect(errors.join("\n")).toMatch(new RegExp(`dashboard${brokenIndex}_panel${light.id}: .*colour`));
  }, 120_000);

  it("the titles and uids are the two dashboards of the issue", () => {
    expect(dashboards.map((d) => d.title)).toEqual(["Coleta — status", "Coleta — engineering"]);
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(2);
  });

  it("status: one light per component from coleta_status_level, worded 0/1/2, green/amber/red", () => {
    for (const id of COMPONENT_IDS) {
      const light = panels(status).find((p) =>
        p.targets?.some((t) => (t as { expr?: string }).expr === levelQuery(id)),
      );
      expect(light?.type, id).toBe("stat");
      expect(light?.title).toContain(COMPONENTS[id].name["pt-BR"]);
      expect(light?.title).toContain(COMPONENTS[id].name.en);
      const mapping = light?.fieldConfig?.defaults?.mappings?.[0] as {
        options: Record<string, { text: string }>;
      };
      expect(Object.keys(mapping.options)).toEqual(["0", "1", "2"]);
      expect(mapping.options["2"]?.text).toContain("Fora do ar");
      expect(light?.fieldConfig?.defaults?.thresholds?.steps.map((s) => s.value)).toEqual([null, 1, 2]);
    }
  });

  it("status: the numbers behind the lights use the thresholds of @coleta/monitoring", () => {
    const stats = panels(status).filter((p) => p.type === "stat");
    for (const id of ["public_forms", "submissions", "workspace", "exports"] as const) {
      const t = COMPONENTS[id].thresholds;
      const mine = stats.filter((p) => p.title?.startsWith(`${COMPONENTS[id].name["pt-BR"]}:`));
      const steps = mine.map((p) => p.fieldConfig?.defaults?.thresholds?.steps.map((s) => s.value));
      expect(steps, id).toEqual([
        [null, t?.degraded.errorRatio, t?.down.errorRatio],
        [null, t?.degraded.p95Ms, t?.down.p95Ms],
      ]);
    }
    const refused = stats.find((p) =>
      p.targets?.some((q) => (q as { expr?: string }).expr === RATE_LIMITED_SHARE),
    );
    expect(refused?.fieldConfig?.defaults?.thresholds?.steps.map((s) => s.value)).toEqual([
      null,
      RATE_LIMITED_RATIO_DEGRADED,
    ]);
  });

  it("status: says who to call for every team, with the placeholders to set", () => {
    const text = panels(status)
      .filter((p) => p.type === "text")
      .map((p) => (p.options as { content: string }).content)
      .join("\n");
    for (const id of TEAM_IDS) {
      expect(text).toContain(TEAMS[id].name["pt-BR"]);
      expect(text).toContain(TEAMS[id].name.en);
      expect(text).toContain(CONTACTS[id].howToReach);
    }
  });

  it("engineering: per-route rate, errors and p95, DB pool, event loop, memory, CPU, submissions", () => {
    const queries = dashboardQueries(engineering).map((q) => q.expr);
    for (const needle of [
      "sum by (route, method) (rate(http_requests_total",
      'status=~"5.."',
      "histogram_quantile(0.95, sum by (le, route, method)",
      "coleta_db_pool_connections",
      "nodejs_eventloop_lag_p99_seconds",
      "process_resident_memory_bytes",
      "process_cpu_seconds_total",
      "sum by (outcome) (rate(coleta_submissions_accepted_total",
      "sum by (reason) (rate(coleta_submissions_rejected_total",
    ]) {
      expect(
        queries.some((q) => q.includes(needle)),
        needle,
      ).toBe(true);
    }
  });
});

describe("traffic selectors agree with the API's status board", () => {
  /** Evaluates our label matchers on one request's labels, as Prometheus would (anchored regexes). */
  function matches(m: Matchers, labels: Record<string, string>): boolean {
    const body = selector(m).slice(1, -1);
    return [...body.matchAll(/(\w+)(=~|!~|!=|=)"((?:[^"\\]|\\.)*)"/g)].every(([, label, op, value]) => {
      const actual = label === "job" ? "coleta-api" : (labels[label as string] ?? "");
      const re = new RegExp(`^(?:${value})$`);
      if (op === "=") return actual === value;
      if (op === "!=") return actual !== value;
      if (op === "=~") return re.test(actual);
      return !re.test(actual);
    });
  }

  const ROUTES_SEEN: [string, string][] = [
    ["GET", "/backend/public/forms/:slug"],
    ["POST", "/backend/public/forms/:slug"],
    ["POST", "/backend/public/forms/:slug/submissions"],
    ["GET", "/backend/public/forms/:slug/submissions"],
    ["GET", "/backend/orgs/:orgId/forms/:formId/submissions/export"],
    ["GET", "/backend/orgs/:orgId/forms/:formId/submissions"],
    ["GET", "/backend/orgs"],
    ["POST", "/backend/orgs/:orgId/forms"],
    ["GET", "/backend/me"],
    ["POST", "/backend/auth/*"],
    ["GET", "/backend/auth/*"],
    ["POST", "/backend/setup"],
    ["GET", "/backend/invitations/:token"],
    ["POST", "/backend/invitations/:token/accept"],
    ["GET", "/backend/health/ready"],
    ["GET", "/backend/metrics"],
    ["GET", "/backend/docs"],
    ["GET", "unmatched"],
  ];
  const BOARD: Record<string, Matchers> = {
    public_forms: TRAFFIC.publicForms,
    submissions: TRAFFIC.submissions,
    workspace: TRAFFIC.workspaceBoard,
    exports: TRAFFIC.exports,
  };

  it.each(ROUTES_SEEN)("%s %s", (method, route) => {
    const ours = Object.entries(BOARD)
      .filter(([, m]) => matches(m, { method, route }))
      .map(([id]) => id);
    const api = classifyRequest("/backend", method, route);
    expect(ours).toEqual(api ? [api] : []);
  });

  it("the workspace SLO covers /backend/orgs, /backend/me and /backend/auth", () => {
    expect(matches(TRAFFIC.workspace, { route: "/backend/orgs/:orgId/forms" })).toBe(true);
    expect(matches(TRAFFIC.workspace, { route: "/backend/me" })).toBe(true);
    expect(matches(TRAFFIC.workspace, { route: "/backend/auth/*" })).toBe(true);
    expect(matches(TRAFFIC.workspace, { route: "/backend/public/forms/:slug" })).toBe(false);
    expect(matches(TRAFFIC.workspace, { route: "/backend/metrics" })).toBe(false);
  });
});
