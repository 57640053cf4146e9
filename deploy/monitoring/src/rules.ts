// Prometheus recording and alerting rules, from the SLOs, burn-rate windows, thresholds and alert
// texts of @coleta/monitoring. Every alert carries its "signals": the series it compares with its
// thresholds. They exist while all is well, so a test can prove each alert watches real series.
import {
  type AlertInfo,
  API_DOWN_FOR_MINUTES,
  BURN_RATE_WINDOWS,
  DB_POOL_WAITING_FOR_MINUTES,
  EVENT_LOOP_LAG_FOR_MINUTES,
  EVENT_LOOP_LAG_P99_ALERT_SECONDS,
  PROMETHEUS_ALERTS,
  prometheusAlert,
  runbookUrl,
  SLOS,
  type SloKey,
  SUBMISSION_LATENCY_GOOD_SECONDS,
  SUBMISSION_REJECTED_SPIKE,
} from "@coleta/monitoring";
import { durationSeconds, errorRatio, type Matchers, selector, slowRatio, TRAFFIC } from "./promql.ts";

export interface Sli {
  /** Recording rule that holds the share of bad events over `window`. */
  record(window: string): string;
  expr(window: string): string;
  /** Which events are bad, for engineers (alert descriptions). */
  bad: string;
}

/** The SLI of an availability SLO: the share of `traffic` (`what`, for engineers) answered 5xx. */
function availability(name: string, traffic: Matchers, what: string): Sli {
  return {
    record: (w) => `coleta:${name}_errors:ratio_rate${w}`,
    expr: (w) => errorRatio(traffic, w),
    bad: `${what} answered 5xx`,
  };
}

export const SLIS: Record<SloKey, Sli> = {
  submissionAvailability: availability("submission", TRAFFIC.submissions, "POST submissions"),
  submissionLatency: {
    record: (w) => `coleta:submission_slow:ratio_rate${w}`,
    expr: (w) => slowRatio(TRAFFIC.submissions, SUBMISSION_LATENCY_GOOD_SECONDS, w),
    bad: `POST submissions slower than ${SUBMISSION_LATENCY_GOOD_SECONDS * 1000} ms`,
  },
  workspaceAvailability: availability(
    "workspace",
    TRAFFIC.workspace,
    "requests under /backend/orgs, /backend/me and /backend/auth",
  ),
  databaseReadiness: {
    record: (w) => `coleta:database_unready:ratio_avg${w}`,
    // The API's own database check (1 = answered, 0 = failed), averaged over time and replicas.
    expr: (w) => `1 - avg(avg_over_time(coleta_dependency_up${selector({ dependency: "database" })}[${w}]))`,
    bad: "database checks that failed (coleta_dependency_up == 0)",
  },
};

/** Every window a burn-rate alert looks at, shortest first. */
export const SLO_WINDOWS: readonly string[] = [
  ...new Set(BURN_RATE_WINDOWS.flatMap((w) => [w.long, w.short])),
].sort((a, b) => durationSeconds(a) - durationSeconds(b));

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: { summary: string; summary_pt: string; runbook_url: string; description: string };
  /** The expressions the alert compares with its thresholds: they must return series when healthy. */
  signals: string[];
}

export const RECORDING_RULES: readonly RecordingRule[] = (Object.keys(SLIS) as SloKey[]).flatMap((slo) =>
  SLO_WINDOWS.map((w) => ({ record: SLIS[slo].record(w), expr: SLIS[slo].expr(w) })),
);

/** 1 − objective, without floating-point dust (0.005, not 0.0050000000000000044). */
export function errorBudget(slo: SloKey): number {
  return Number((1 - SLOS[slo].objective).toPrecision(6));
}

function percent(x: number): string {
  return `${Number((x * 100).toPrecision(6))} %`;
}

function annotations(info: AlertInfo, description: string): AlertRule["annotations"] {
  return {
    summary: info.summary.en,
    summary_pt: info.summary["pt-BR"],
    runbook_url: runbookUrl(info.runbook),
    description,
  };
}

function labels(info: AlertInfo): Record<string, string> {
  return { team: info.team, severity: info.severity, ...(info.slo ? { slo: SLOS[info.slo].id } : {}) };
}

function burnRateAlert(info: AlertInfo & { slo: SloKey }): AlertRule {
  const sli = SLIS[info.slo];
  const budget = errorBudget(info.slo);
  const windows = BURN_RATE_WINDOWS.filter((w) => w.severity === info.severity);
  const clauses = windows.map(
    (w) =>
      `(\n  ${sli.record(w.long)} > (${w.burnRate} * ${budget})\nand\n  ${sli.record(w.short)} > (${w.burnRate} * ${budget})\n)`,
  );
  const slo = SLOS[info.slo];
  const how = windows.map((w) => `≥${w.burnRate}× over ${w.long} and ${w.short}`).join(", or ");
  return {
    alert: info.name,
    expr: clauses.join("\nor\n"),
    labels: labels(info),
    annotations: annotations(
      info,
      `SLO ${slo.id} (${percent(slo.objective)} over 30 days; bad = ${sli.bad}): the error budget is burning ${how}.`,
    ),
    signals: windows.flatMap((w) => [sli.record(w.long), sli.record(w.short)]),
  };
}

interface CauseAlert {
  /** The measured series. */
  signal: string;
  /** The comparison appended to the signal, e.g. "> 0". */
  threshold: string;
  for: string;
  description: string;
}

const rejected = (extra: Matchers = {}) => selector(extra);
const spikeWindow = `${SUBMISSION_REJECTED_SPIKE.windowMinutes}m`;
const rejectedByReason = `sum by (reason) (increase(coleta_submissions_rejected_total${rejected({ reason: '!="validation"' })}[${spikeWindow}]))`;
const allAttempts = `(sum(increase(coleta_submissions_accepted_total${selector()}[${spikeWindow}])) or vector(0))\n  + sum(increase(coleta_submissions_rejected_total${selector()}[${spikeWindow}]))`;
const rejectedShare = `${rejectedByReason}\n/ on () group_left ()\n(\n  ${allAttempts}\n)`;

const CAUSES: Record<string, CauseAlert> = {
  ApiTargetDown: {
    signal: `up${selector()}`,
    threshold: "== 0",
    for: `${API_DOWN_FOR_MINUTES}m`,
    description: `Prometheus has not been able to scrape {{ $labels.instance }} for ${API_DOWN_FOR_MINUTES} minutes.`,
  },
  EventLoopLagHigh: {
    signal: `max by (instance) (nodejs_eventloop_lag_p99_seconds${selector()})`,
    threshold: `> ${EVENT_LOOP_LAG_P99_ALERT_SECONDS}`,
    for: `${EVENT_LOOP_LAG_FOR_MINUTES}m`,
    description: `Event-loop lag p99 on {{ $labels.instance }} has been above ${EVENT_LOOP_LAG_P99_ALERT_SECONDS * 1000} ms for ${EVENT_LOOP_LAG_FOR_MINUTES} minutes.`,
  },
  DatabasePoolWaiting: {
    signal: `max by (instance) (coleta_db_pool_connections${selector({ state: "waiting" })})`,
    threshold: "> 0",
    for: `${DB_POOL_WAITING_FOR_MINUTES}m`,
    description: `Requests on {{ $labels.instance }} have been waiting for a database connection for ${DB_POOL_WAITING_FOR_MINUTES} minutes (pool exhausted).`,
  },
  SubmissionsRejectedSpike: {
    signal: rejectedShare,
    threshold: `> ${SUBMISSION_REJECTED_SPIKE.ratio}`,
    for: `${SUBMISSION_REJECTED_SPIKE.forMinutes}m`,
    description: `More than ${percent(SUBMISSION_REJECTED_SPIKE.ratio)} of submission attempts (and at least ${SUBMISSION_REJECTED_SPIKE.minRejected}) were refused with reason {{ $labels.reason }} over ${spikeWindow}.`,
  },
};

/** Extra conditions that are not thresholds on the signal (they must also hold). */
const CAUSE_GUARDS: Record<string, { expr: string; signal: string }> = {
  SubmissionsRejectedSpike: {
    signal: rejectedByReason,
    expr: `${rejectedByReason} >= ${SUBMISSION_REJECTED_SPIKE.minRejected}`,
  },
};

function causeAlert(info: AlertInfo): AlertRule {
  const cause = CAUSES[info.name];
  if (!cause) throw new Error(`no expression for alert ${info.name}`);
  const guard = CAUSE_GUARDS[info.name];
  const indented = cause.signal.replaceAll("\n", "\n  ");
  const main = guard ? `(\n  ${indented}\n) ${cause.threshold}` : `${cause.signal} ${cause.threshold}`;
  return {
    alert: info.name,
    expr: guard ? `${main}\nand\n${guard.expr}` : main,
    for: cause.for,
    labels: labels(info),
    annotations: annotations(info, cause.description),
    signals: guard ? [cause.signal, guard.signal] : [cause.signal],
  };
}

/** Every alert of PROMETHEUS_ALERTS, in that order. */
export const ALERT_RULES: readonly AlertRule[] = PROMETHEUS_ALERTS.map((info) =>
  info.slo ? burnRateAlert({ ...info, slo: info.slo }) : causeAlert(info),
);

export function alertRule(name: string): AlertRule {
  prometheusAlert(name);
  const rule = ALERT_RULES.find((r) => r.alert === name);
  if (!rule) throw new Error(`no rule ${name}`);
  return rule;
}

export const RULE_GROUPS = {
  recording: [{ name: "coleta-slo-ratios", rules: RECORDING_RULES }],
  alerts: [
    { name: "coleta-slo-burn-rate", rules: ALERT_RULES.filter((r) => "slo" in r.labels) },
    { name: "coleta-api", rules: ALERT_RULES.filter((r) => !("slo" in r.labels)) },
  ],
};

/** The rule files as Prometheus reads them (the signals stay out: they are ours, not Prometheus'). */
export function ruleFile(groups: { name: string; rules: readonly (RecordingRule | AlertRule)[] }[]) {
  return {
    groups: groups.map((g) => ({
      name: g.name,
      rules: g.rules.map((r) => {
        if ("record" in r) return { record: r.record, expr: r.expr };
        const { signals: _signals, ...rule } = r;
        return rule;
      }),
    })),
  };
}
