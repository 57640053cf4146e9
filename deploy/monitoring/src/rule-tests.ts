// promtool unit tests of the rules (`promtool test rules`). Each SLO gets four stories written as
// minute-by-minute traffic: healthy, a fast burn, a slow burn and a recovered fast burn, and each
// story says which of the SLO's alerts must be firing at given times. The expected alerts are
// written here by hand from the story, never computed from the rule expressions.
import { type Severity, SLOS, type SloKey, SUBMISSION_LATENCY_GOOD_SECONDS } from "@coleta/monitoring";
import { JOB, ROUTES } from "./promql.ts";
import { ALERT_RULES, type AlertRule, errorBudget, RULE_GROUPS, SLIS } from "./rules.ts";

const INSTANCE = "api-1:3000";
/** Events per minute in the counter stories. */
const PER_MINUTE = 1000;

/** Expanding notation from one value per minute: runs of a constant step become `a+bxn`. */
export function expand(values: number[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < values.length) {
    const start = values[i] as number;
    if (i + 1 >= values.length) {
      out.push(String(start));
      break;
    }
    const step = (values[i + 1] as number) - start;
    let n = 1;
    while (i + n + 1 < values.length && (values[i + n + 1] as number) - (values[i + n] as number) === step)
      n++;
    out.push(step === 0 ? `${start}x${n}` : `${start}${step > 0 ? "+" : "-"}${Math.abs(step)}x${n}`);
    i += n + 1;
  }
  return out.join(" ");
}

interface Phase {
  minutes: number;
  /** Share of bad events (counters) or of failed checks (the gauge: 0 or 1 per minute). */
  bad: number;
}

/** Per-minute bad shares of a list of phases. */
function timeline(phases: Phase[]): number[] {
  return phases.flatMap((p) => Array.from({ length: p.minutes }, () => p.bad));
}

/** A counter that grows by `perMinute(share)` each minute, as its cumulative samples. */
function counter(shares: number[], perMinute: (share: number) => number): string {
  const values = [0];
  // Whole events: shares such as 0.9 − 0.001 are not exact in binary floating point.
  for (const share of shares) values.push((values.at(-1) as number) + Math.round(perMinute(share)));
  return expand(values);
}

type Series = { series: string; values: string }[];

function labels(l: Record<string, string>): string {
  return `{${Object.entries({ job: JOB, instance: INSTANCE, ...l })
    .map(([k, v]) => `${k}="${v}"`)
    .join(",")}}`;
}

/** Input series of each SLO for per-minute bad shares, with traffic the SLO must ignore. */
const INPUTS: Record<SloKey, (shares: number[]) => Series> = {
  submissionAvailability: (shares) => {
    const route = { method: "POST", route: ROUTES.submissions };
    return [
      {
        series: `http_requests_total${labels({ ...route, status: "201" })}`,
        values: counter(shares, (s) => PER_MINUTE * (0.9 - s)),
      },
      // Refused answers (4xx) are not server errors.
      {
        series: `http_requests_total${labels({ ...route, status: "422" })}`,
        values: counter(shares, () => PER_MINUTE * 0.1),
      },
      {
        series: `http_requests_total${labels({ ...route, status: "500" })}`,
        values: counter(shares, (s) => PER_MINUTE * s),
      },
      // Another route failing does not count.
      {
        series: `http_requests_total${labels({ method: "GET", route: ROUTES.publicForm, status: "500" })}`,
        values: counter(shares, () => 500),
      },
    ];
  },
  submissionLatency: (shares) => {
    const l = { method: "POST", route: ROUTES.submissions, status: "201" };
    const good = SUBMISSION_LATENCY_GOOD_SECONDS;
    const bucket = (le: string, perMinute: (s: number) => number) => ({
      series: `http_request_duration_seconds_bucket${labels({ ...l, le })}`,
      values: counter(shares, perMinute),
    });
    return [
      bucket(String(good / 2), (s) => PER_MINUTE * (1 - s) * 0.5),
      bucket(String(good), (s) => PER_MINUTE * (1 - s)),
      bucket("+Inf", () => PER_MINUTE),
      {
        series: `http_request_duration_seconds_count${labels(l)}`,
        values: counter(shares, () => PER_MINUTE),
      },
      // A slow route that is not submissions does not count.
      {
        series: `http_request_duration_seconds_bucket${labels({ method: "GET", route: ROUTES.publicForm, status: "200", le: String(good) })}`,
        values: counter(shares, () => 0),
      },
      {
        series: `http_request_duration_seconds_count${labels({ method: "GET", route: ROUTES.publicForm, status: "200" })}`,
        values: counter(shares, () => PER_MINUTE),
      },
    ];
  },
  workspaceAvailability: (shares) => [
    {
      series: `http_requests_total${labels({ method: "GET", route: "/backend/orgs/:orgId/forms", status: "200" })}`,
      values: counter(shares, (s) => PER_MINUTE * (0.9 - s)),
    },
    {
      series: `http_requests_total${labels({ method: "POST", route: "/backend/auth/*", status: "200" })}`,
      values: counter(shares, () => PER_MINUTE * 0.1),
    },
    {
      series: `http_requests_total${labels({ method: "GET", route: "/backend/me", status: "503" })}`,
      values: counter(shares, (s) => PER_MINUTE * s),
    },
    // Public traffic failing is not the workspace.
    {
      series: `http_requests_total${labels({ method: "POST", route: ROUTES.submissions, status: "500" })}`,
      values: counter(shares, () => 300),
    },
  ],
  databaseReadiness: (shares) => [
    {
      series: `coleta_dependency_up${labels({ dependency: "database" })}`,
      values: expand(shares.map((s) => 1 - s)),
    },
    // The cache being down is not the database.
    { series: `coleta_dependency_up${labels({ dependency: "cache" })}`, values: expand(shares.map(() => 0)) },
  ],
};

interface Story {
  name: string;
  shares: number[];
  /** Minute → the severities of this SLO's alerts that fire then (the others must not). */
  expect: [number, Severity[]][];
  /** Minute and approximate value of the SLI's 5-minute ratio, to check the recording rule. */
  ratio5m?: [number, number];
}

/** Failed-check minutes for the database's slow burn: about 1 in 250, so 6 h hold ≤ 2 (< 6× budget). */
const SPARSE_FAILURES = [100, 350, 600];

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(6))} %`;
}

const phase = (minutes: number, bad: number): Phase => ({ minutes, bad });

// The page alert has two clauses: ≥14.4× over 1h and 5m, or ≥6× over 6h and 30m; the ticket ≥1× over
// 3d and 6h. Stories that start with 6 clean hours make the 6h window see a short burst diluted.
function counterStories(b: number): Story[] {
  return [
    {
      name: `healthy: ${pct(b / 5)} of events bad (a fifth of the budget)`,
      shares: timeline([phase(180, b / 5)]),
      expect: [
        [60, []],
        [180, []],
      ],
    },
    {
      name: `fast burn: ${pct(20 * b)} bad (20× the budget) for 65 minutes`,
      shares: timeline([phase(10, 0), phase(65, 20 * b)]),
      expect: [
        [5, []],
        [75, ["page", "ticket"]],
      ],
      ratio5m: [75, 20 * b],
    },
    {
      name: `short burst after 6 clean hours: ${pct(40 * b)} bad for 30 minutes pages (1h and 5m windows)`,
      shares: timeline([phase(360, 0), phase(30, 40 * b)]),
      expect: [[390, ["page", "ticket"]]],
      ratio5m: [390, 40 * b],
    },
    {
      name: "the same burst, over for 10 minutes: the 5-minute window stops the page",
      shares: timeline([phase(360, 0), phase(30, 40 * b), phase(10, 0)]),
      expect: [[400, ["ticket"]]],
      ratio5m: [400, 0],
    },
    {
      name: `sustained burn: ${pct(8 * b)} bad (8×) for 5 hours pages (6h and 30m windows)`,
      shares: timeline([phase(60, 0), phase(300, 8 * b)]),
      expect: [[360, ["page", "ticket"]]],
    },
    {
      name: "the sustained burn, over for 5 minutes: the 30-minute window still pages",
      shares: timeline([phase(60, 0), phase(300, 8 * b), phase(5, 0)]),
      expect: [[365, ["page", "ticket"]]],
    },
    {
      name: `slow burn: ${pct(2 * b)} bad (2× the budget) opens a ticket only`,
      shares: timeline([phase(10, 0), phase(170, 2 * b)]),
      expect: [[180, ["ticket"]]],
      ratio5m: [180, 2 * b],
    },
    {
      name: "a burn that ended more than 6 hours ago closes the ticket (6h window)",
      shares: timeline([phase(60, 20 * b), phase(370, 0)]),
      expect: [[430, []]],
    },
    {
      name: "a fast burn that stopped 35 minutes ago: ticket only",
      shares: timeline([phase(10, 0), phase(60, 20 * b), phase(35, 0)]),
      expect: [[105, ["ticket"]]],
      ratio5m: [105, 0],
    },
  ];
}

/** The database gauge is 0 or 1 per check: stories are minutes with a failed check. */
function gaugeStories(): Story[] {
  const everyTwentyMinutes = Array.from({ length: 371 }, (_, m) =>
    m > 0 && m <= 360 && m % 20 === 0 ? 1 : 0,
  );
  return [
    { name: "healthy: every check answers", shares: timeline([phase(180, 0)]), expect: [[180, []]] },
    {
      name: "the database is down for 10 minutes",
      shares: timeline([phase(60, 0), phase(10, 1)]),
      expect: [
        [55, []],
        [70, ["page", "ticket"]],
      ],
      ratio5m: [70, 1],
    },
    {
      name: "down for 2 minutes after 6 good hours pages (1h and 5m windows)",
      shares: timeline([phase(361, 0), phase(2, 1), phase(2, 0)]),
      expect: [[365, ["page", "ticket"]]],
    },
    {
      name: "the same 2 minutes, 13 minutes later: the 5-minute window stops the page",
      shares: timeline([phase(361, 0), phase(2, 1), phase(12, 0)]),
      expect: [[375, ["ticket"]]],
      ratio5m: [375, 0],
    },
    {
      name: "a failed check every 20 minutes for 6 hours pages (6h and 30m windows)",
      shares: everyTwentyMinutes,
      expect: [[370, ["page", "ticket"]]],
    },
    {
      name: "an outage that ended more than 6 hours ago closes the ticket (6h window)",
      shares: timeline([phase(60, 0), phase(10, 1), phase(370, 0)]),
      expect: [[440, []]],
    },
    {
      name: "one failed check every few hours opens a ticket only",
      shares: Array.from({ length: 621 }, (_, minute) => (SPARSE_FAILURES.includes(minute) ? 1 : 0)),
      expect: [[620, ["ticket"]]],
    },
  ];
}

function stories(slo: SloKey): Story[] {
  return slo === "databaseReadiness" ? gaugeStories() : counterStories(errorBudget(slo));
}

/** Alert templates expanded for the labels a test expects. */
function expandTemplates(text: string, l: Record<string, string>): string {
  return text.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => l[name] ?? "");
}

function expected(rule: AlertRule, seriesLabels: Record<string, string> = {}) {
  const l = { ...seriesLabels, ...rule.labels };
  const annotations = Object.fromEntries(
    Object.entries(rule.annotations).map(([k, v]) => [k, expandTemplates(v, l)]),
  );
  return { exp_labels: l, exp_annotations: annotations };
}

function sloRules(slo: SloKey, severity: Severity): AlertRule {
  const rule = ALERT_RULES.find((r) => r.labels.slo === SLOS[slo].id && r.labels.severity === severity);
  if (!rule) throw new Error(`no ${severity} alert for ${slo}`);
  return rule;
}

/**
 * The burn-rate alerts have no `for`, so evaluating every 5 minutes (the shortest window) checks the
 * same thing as every minute, five times faster; every eval_time above is a multiple of it.
 */
const SLO_EVALUATION_INTERVAL = "5m";

export const RULE_FILES_FROM_TESTS = ["../rules/recording.yml", "../rules/alerts.yml"];

/**
 * Recording rules first: without an order promtool evaluates the groups in random order, and an
 * alert evaluated before the ratios it reads sees them one evaluation late (a flaky test).
 */
const GROUP_EVAL_ORDER = [...RULE_GROUPS.recording, ...RULE_GROUPS.alerts].map((g) => g.name);

/** tests/slo-burn-rate.test.yml */
export function sloRuleTests() {
  const tests = (Object.keys(SLOS) as SloKey[]).flatMap((slo) =>
    stories(slo).map((story) => ({
      name: `${SLOS[slo].id} — ${story.name}`,
      interval: "1m",
      input_series: INPUTS[slo](story.shares),
      alert_rule_test: story.expect.flatMap(([minute, firing]) =>
        (["page", "ticket"] as Severity[]).map((severity) => ({
          eval_time: `${minute}m`,
          alertname: sloRules(slo, severity).alert,
          exp_alerts: firing.includes(severity) ? [expected(sloRules(slo, severity))] : [],
        })),
      ),
      ...(story.ratio5m
        ? {
            promql_expr_test: [
              {
                // Within 1 % of the intended share (rate() extrapolates at window edges).
                expr: `abs(${SLIS[slo].record("5m")} - ${story.ratio5m[1]}) <= bool ${Math.max(story.ratio5m[1] * 0.01, 1e-9)}`,
                eval_time: `${story.ratio5m[0]}m`,
                exp_samples: [{ labels: "{}", value: 1 }],
              },
            ],
          }
        : {}),
    })),
  );
  return {
    rule_files: RULE_FILES_FROM_TESTS,
    evaluation_interval: SLO_EVALUATION_INTERVAL,
    group_eval_order: GROUP_EVAL_ORDER,
    tests,
  };
}

function cause(name: string): AlertRule {
  const rule = ALERT_RULES.find((r) => r.alert === name);
  if (!rule) throw new Error(`no alert ${name}`);
  return rule;
}

/** tests/api-alerts.test.yml: the alerts on causes (target down, lag, pool, refusals). */
export function causeRuleTests() {
  const inst = { instance: INSTANCE, job: JOB };
  const series = (name: string, l: Record<string, string>, values: string) => ({
    series: `${name}${labels(l)}`,
    values,
  });
  /**
   * One alert's story: `input` from minute 0, the alert silent (or still pending) at each `quiet`
   * minute, then, when the story says so, firing with `firing.labels` at minute `firing.at`.
   */
  const story = (
    name: string,
    rule: AlertRule,
    input: Series,
    quiet: number[],
    firing?: { at: number; labels: Record<string, string> },
  ) => {
    const check = (minute: number, exp_alerts: object[]) => ({
      eval_time: `${minute}m`,
      alertname: rule.alert,
      exp_alerts,
    });
    return {
      name,
      interval: "1m",
      input_series: input,
      alert_rule_test: [
        ...quiet.map((minute) => check(minute, [])),
        ...(firing ? [check(firing.at, [expected(rule, firing.labels)])] : []),
      ],
    };
  };
  const spike = cause("SubmissionsRejectedSpike");
  return {
    rule_files: RULE_FILES_FROM_TESTS,
    evaluation_interval: "1m",
    group_eval_order: GROUP_EVAL_ORDER,
    tests: [
      story(
        "a replica stops answering the scrape",
        cause("ApiTargetDown"),
        [series("up", {}, "1x9 0x20")],
        [9, 11], // at 11, down for 1 minute: still pending
        { at: 13, labels: inst },
      ),
      story(
        "event-loop lag: normal, then high for 20 minutes",
        cause("EventLoopLagHigh"),
        [series("nodejs_eventloop_lag_p99_seconds", {}, "0.01x9 1x20")],
        [9, 15],
        { at: 25, labels: { instance: INSTANCE } },
      ),
      story(
        "database pool: no waiting, then requests waiting for 10 minutes",
        cause("DatabasePoolWaiting"),
        [
          series("coleta_db_pool_connections", { state: "waiting" }, "0x9 3x10"),
          series("coleta_db_pool_connections", { state: "in_use" }, "10x19"),
        ],
        [9, 12],
        { at: 17, labels: { instance: INSTANCE } },
      ),
      story(
        "refusals: many validation refusals never alert; a burst of rate limits does",
        spike,
        [
          series("coleta_submissions_accepted_total", { outcome: "created" }, "0+100x40"),
          series("coleta_submissions_rejected_total", { reason: "validation" }, "0+80x40"),
          series("coleta_submissions_rejected_total", { reason: "not_found" }, "0+1x40"),
          series("coleta_submissions_rejected_total", { reason: "rate_limited" }, "0x19 0+60x20"),
        ],
        [19],
        { at: 38, labels: { reason: "rate_limited" } },
      ),
      story(
        "refusals: a few refusals on a quiet night are not a spike",
        spike,
        [
          series("coleta_submissions_accepted_total", { outcome: "created" }, "0+1x40"),
          series("coleta_submissions_rejected_total", { reason: "not_found" }, "0+0.5x40"),
        ],
        [38],
      ),
    ],
  };
}
