import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { API_BASE_PATH } from "./api-paths.js";
import type { ColetaConstructProps } from "./construct-props.js";

/**
 * The route pattern the API writes in its request log line for form submissions (hono's routePath,
 * the same value the status board classifies by): one JSON line per request via pino to stdout,
 * shipped by the ECS awslogs driver to /coleta/<env>/api, e.g.
 *   {"level":30,"time":…,"requestId":"…","method":"POST","route":"/backend/public/forms/:slug/submissions",
 *    "status":201,"durationMs":12,"msg":"request"}
 */
export const SUBMISSION_ROUTE = `${API_BASE_PATH}/public/forms/:slug/submissions`;

/** CloudWatch namespace of Coleta's own (log-derived) metrics. */
export function metricNamespace(env: string): string {
  return `Coleta/${env}`;
}

export function apiLogGroupName(env: string): string {
  return `/coleta/${env}/api`;
}

/** Why a submission was refused, from the HTTP status the API answered. */
export const REJECTION_KINDS = ["validation", "rate_limited", "server_error", "form_unavailable"] as const;
export type RejectionKind = (typeof REJECTION_KINDS)[number];

export interface OutcomeDefinition {
  /** Metric name in the Coleta/<env> namespace. */
  readonly metricName: string;
  /** Condition on `$.status` (metric filter syntax). */
  readonly statusCondition: logs.JsonPattern;
  /** The statuses, as people read them. */
  readonly statuses: string;
  readonly label: { readonly en: string; readonly "pt-BR": string };
}

const status = (op: string, value: number) => logs.FilterPattern.numberValue("$.status", op, value);
/** Exactly these statuses: the filter condition and the text people read, from one list. */
const anyOf = (...codes: number[]) => ({
  statusCondition: logs.FilterPattern.any(...codes.map((code) => status("=", code))),
  statuses: codes.join(", "),
});

export type SubmissionOutcome = "accepted" | RejectionKind;

/** An outcome's metric: SubmissionsAccepted, or SubmissionsRejected<Kind> (rate_limited: …RateLimited). */
export function outcomeMetricName(outcome: SubmissionOutcome): string {
  if (outcome === "accepted") return "SubmissionsAccepted";
  const kind = outcome.replace(/(?:^|_)([a-z])/g, (_, letter: string) => letter.toUpperCase());
  return `SubmissionsRejected${kind}`;
}

/**
 * Accepted: 201 (stored) and 200 (a retry of an id already stored: the phone did not see the first
 * answer). Rejected, by kind:
 * - validation: 422 (answers invalid) and the other client errors of this route (400 malformed
 *   body, 409 id already used for another form, 413 too large, 415 not JSON);
 * - rate_limited: 429;
 * - form_unavailable: 404 (no such published form) and 410 (form closed);
 * - server_error: any 5xx the API answered.
 * Requests refused before they reach the API (WAF at the edge, load balancer 5xx) are not in the
 * API log: the WAF and load balancer have their own graphs and alarms.
 */
const OUTCOME_RULES: Record<SubmissionOutcome, Omit<OutcomeDefinition, "metricName">> = {
  accepted: {
    ...anyOf(201, 200),
    label: { en: "accepted", "pt-BR": "aceitas" },
  },
  validation: {
    statusCondition: logs.FilterPattern.all(
      status(">=", 400),
      status("<", 500),
      status("!=", 404),
      status("!=", 410),
      status("!=", 429),
    ),
    statuses: "422, 400, 409, 413, 415",
    label: { en: "refused: invalid answer", "pt-BR": "recusadas: resposta inválida" },
  },
  rate_limited: {
    ...anyOf(429),
    label: { en: "refused: too many answers", "pt-BR": "recusadas: respostas demais" },
  },
  form_unavailable: {
    ...anyOf(404, 410),
    label: { en: "refused: form missing or closed", "pt-BR": "recusadas: formulário inexistente ou fechado" },
  },
  server_error: {
    statusCondition: status(">=", 500),
    statuses: "5xx",
    label: { en: "failed: server error", "pt-BR": "falharam: erro no servidor" },
  },
};

export const SUBMISSION_OUTCOMES = Object.fromEntries(
  (Object.keys(OUTCOME_RULES) as SubmissionOutcome[]).map((outcome) => [
    outcome,
    { metricName: outcomeMetricName(outcome), ...OUTCOME_RULES[outcome] },
  ]),
) as Record<SubmissionOutcome, OutcomeDefinition>;

/**
 * Business signal without touching the API: CloudWatch Logs metric filters on the API's request log
 * line turn every POST to the submission route into a count in Coleta/<env>: SubmissionsAccepted and
 * one SubmissionsRejected<Kind> metric per kind of refusal.
 *
 * Why metric filters: the API already writes the line (no code change, no deploy coupling), and
 * filters cost nothing beyond the custom metrics they publish — unlike the Embedded Metric Format,
 * which would need the API to write extra EMF documents (more log bytes ingested, an API change).
 *
 * Why one metric per kind instead of a `Kind` dimension: a metric filter's dimension values can only
 * be copied from fields of the log event (e.g. `$.status`), never set to a constant, and the line has
 * no "kind" field; a `Status` dimension would make alarms enumerate every 5xx code. One filter per
 * kind keeps exactly five custom metrics (of the 100 filters a log group may have; dimensions are
 * limited to 3 per filter and 1,000 distinct values per hour, none used here).
 */
export class SubmissionMetrics extends Construct {
  public readonly namespace: string;
  public readonly filters: Record<keyof typeof SUBMISSION_OUTCOMES, logs.MetricFilter>;

  constructor(scope: Construct, id: string, props: ColetaConstructProps) {
    super(scope, id);
    const env = props.config.envName;
    this.namespace = metricNamespace(env);
    // By name: the log group lives in the App stack, which deploys first; no cross-stack export.
    const logGroup = logs.LogGroup.fromLogGroupName(this, "ApiLogs", apiLogGroupName(env));
    const isSubmission = [
      logs.FilterPattern.stringValue("$.msg", "=", "request"),
      logs.FilterPattern.stringValue("$.method", "=", "POST"),
      logs.FilterPattern.stringValue("$.route", "=", SUBMISSION_ROUTE),
    ];
    const make = (key: keyof typeof SUBMISSION_OUTCOMES) => {
      const outcome = SUBMISSION_OUTCOMES[key];
      return new logs.MetricFilter(this, outcome.metricName, {
        logGroup,
        filterName: `coleta-${env}-${outcome.metricName}`,
        filterPattern: logs.FilterPattern.all(...isSubmission, outcome.statusCondition),
        metricNamespace: this.namespace,
        metricName: outcome.metricName,
        metricValue: "1",
        unit: cloudwatch.Unit.COUNT,
      });
    };
    const keys = Object.keys(SUBMISSION_OUTCOMES) as (keyof typeof SUBMISSION_OUTCOMES)[];
    this.filters = Object.fromEntries(keys.map((key) => [key, make(key)])) as typeof this.filters;
  }

  /** Sum per `period` (1 minute on the dashboard, 5 minutes in alarms). */
  metric(key: keyof typeof SUBMISSION_OUTCOMES, period: Duration = Duration.minutes(1)): cloudwatch.Metric {
    const outcome = SUBMISSION_OUTCOMES[key];
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName: outcome.metricName,
      statistic: "Sum",
      period,
      unit: cloudwatch.Unit.COUNT,
      label: outcome.label.en,
    });
  }
}
