// Service level objectives and the multi-window, multi-burn-rate alerting that watches them (the
// scheme of Google's SRE workbook, chapter 5). Prometheus rules and CloudWatch alarms are built
// from these values.

export interface Slo {
  id: string;
  /** What is measured, in one sentence. */
  description: string;
  /** Target over 30 days, e.g. 0.995 = 99.5 % of events are good. */
  objective: number;
  team: "frontend" | "backend" | "platform";
}

export const SLOS = {
  submissionAvailability: {
    id: "submission-availability",
    description: "Submissions answered without a server error (5xx).",
    objective: 0.995,
    team: "backend",
  },
  submissionLatency: {
    id: "submission-latency",
    description: "Submissions answered within 500 ms.",
    objective: 0.99,
    team: "backend",
  },
  workspaceAvailability: {
    id: "workspace-availability",
    description: "Signed-in workspace requests answered without a server error (5xx).",
    objective: 0.99,
    team: "backend",
  },
  databaseReadiness: {
    id: "database-readiness",
    description: "Readiness checks that reach the database.",
    objective: 0.999,
    team: "platform",
  },
} as const satisfies Record<string, Slo>;

/** The latency a "good" submission must beat (seconds; a bucket of http_request_duration_seconds). */
export const SUBMISSION_LATENCY_GOOD_SECONDS = 0.5;

export interface BurnRateWindow {
  long: string;
  short: string;
  /** How many times faster than "exactly on budget" the error budget is being spent. */
  burnRate: number;
  severity: "page" | "ticket";
}

/** 2 % of a 30-day budget in 1 h, 5 % in 6 h (page); 10 % in 3 days (ticket). */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { long: "1h", short: "5m", burnRate: 14.4, severity: "page" },
  { long: "6h", short: "30m", burnRate: 6, severity: "page" },
  { long: "3d", short: "6h", burnRate: 1, severity: "ticket" },
];
