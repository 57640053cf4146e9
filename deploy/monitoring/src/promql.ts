// Names and label selectors every rule and dashboard query is built from. The API's metrics are
// defined in apps/api/src/observability/metrics.ts and apps/api/src/http/request-context.ts.

/** The scrape job of the API replicas. */
export const JOB = "coleta-api";
/** Where the API serves its metrics (nginx keeps it private; Prometheus scrapes the replicas). */
export const METRICS_PATH = "/backend/metrics";

/** Route patterns as the API labels them (Hono's route path, not the URL: no slugs or ids). */
export const ROUTES = {
  publicForm: "/backend/public/forms/:slug",
  submissions: "/backend/public/forms/:slug/submissions",
  export: "/backend/orgs/:orgId/forms/:formId/submissions/export",
  /** The signed-in workspace: organizations (forms, answers, members), the account, and sign-in. */
  workspaceRegex: "/backend/(orgs|me|auth)(/.*)?",
  workspaceBoardRegex: "/backend/((orgs|me|setup|invitations)(/.*)?|auth/.*)",
  exportRegex: "/backend/orgs/.*/submissions/export",
} as const;

/**
 * Label matchers: a plain value means equality; a value starting with `=~`, `!=` or `!~` is used
 * as written. A key may end in underscores to put a second matcher on the same label.
 */
export type Matchers = Readonly<Record<string, string>>;

/** The HTTP traffic each SLO and status component is judged by. */
export const TRAFFIC = {
  submissions: { method: "POST", route: ROUTES.submissions },
  publicForms: { method: "GET", route: ROUTES.publicForm },
  /** The workspace SLO: every route under /backend/orgs, /backend/me and /backend/auth. */
  workspace: { route: `=~"${ROUTES.workspaceRegex}"` },
  /**
   * The status board's lights (apps/api/src/status/classify.ts decides for the API; a test checks
   * these agree): the workspace light also covers /setup and /invitations, and leaves exports to
   * their own light.
   */
  workspaceBoard: {
    route: `=~"${ROUTES.workspaceBoardRegex}"`,
    route_: `!~"${ROUTES.exportRegex}"`,
  },
  exports: { route: `=~"${ROUTES.exportRegex}"` },
} as const satisfies Record<string, Matchers>;

/** `{job="coleta-api",…}` from matchers (the job always comes first). */
export function selector(...matchers: Matchers[]): string {
  const parts = [`job="${JOB}"`];
  for (const [key, matcher] of Object.entries(Object.assign({}, ...matchers) as Matchers)) {
    const label = key.replace(/_+$/, "");
    parts.push(/^(=~|!=|!~)/.test(matcher) ? `${label}${matcher}` : `${label}="${matcher}"`);
  }
  return `{${parts.join(",")}}`;
}

/** Share of requests answered 5xx over `window`: 0, not empty, while there are none. */
export function errorRatio(traffic: Matchers, window: string): string {
  const errors = `sum(rate(http_requests_total${selector(traffic, { status: '=~"5.."' })}[${window}]))`;
  const all = `sum(rate(http_requests_total${selector(traffic)}[${window}]))`;
  return `(${errors} or vector(0))\n/\n${all}`;
}

/**
 * Share of requests slower than `seconds` over `window`, from the histogram: 1 − (requests in the
 * `le` bucket / all requests). `seconds` must be a bucket boundary of http_request_duration_seconds,
 * and not a whole number (Prometheus 3 rewrites le="1" as le="1.0" when it ingests classic buckets).
 */
export function slowRatio(traffic: Matchers, seconds: number, window: string): string {
  if (Number.isInteger(seconds)) throw new Error(`le="${seconds}" is spelled differently by Prometheus 3`);
  const fast = `sum(rate(http_request_duration_seconds_bucket${selector(traffic, { le: String(seconds) })}[${window}]))`;
  const all = `sum(rate(http_request_duration_seconds_count${selector(traffic)}[${window}]))`;
  return `1 - (\n  ${fast}\n  /\n  ${all}\n)`;
}

/** A latency quantile in seconds over `window`, optionally per label. */
export function latencyQuantile(q: number, traffic: Matchers, window: string, by: string[] = []): string {
  const labels = ["le", ...by].join(", ");
  return `histogram_quantile(${q}, sum by (${labels}) (rate(http_request_duration_seconds_bucket${selector(traffic)}[${window}])))`;
}

/** Parses a Prometheus duration such as 5m, 6h, 3d into seconds (for sorting and maths). */
export function durationSeconds(d: string): number {
  const m = /^(\d+)(s|m|h|d|w)$/.exec(d);
  if (!m) throw new Error(`unsupported duration ${d}`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as "s" | "m" | "h" | "d" | "w"];
  return Number(m[1]) * unit;
}
