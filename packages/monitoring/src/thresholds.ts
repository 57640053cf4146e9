// Every number that turns a signal amber or red lives here. The API's status board, the Prometheus
// alert rules and the CloudWatch alarms read these values, so a change here changes all of them.

/** How far back the status board looks. */
export const STATUS_WINDOW_SECONDS = 5 * 60;
/** Below this many requests in the window a component is judged by its dependency checks only. */
export const STATUS_MIN_REQUESTS = 10;
/** How long a status answer may be cached (by the API and by browsers/CDNs). */
export const STATUS_CACHE_SECONDS = 5;
/** Changes kept for the 24-hour timeline. */
export const STATUS_TIMELINE_HOURS = 24;

export interface LevelThresholds {
  /** Share of requests answered 5xx (0–1). */
  errorRatio: number;
  /** 95th-percentile latency in milliseconds. */
  p95Ms: number;
}

export interface ComponentThresholds {
  degraded: LevelThresholds;
  down: LevelThresholds;
}

export const DEFAULT_THRESHOLDS: ComponentThresholds = {
  degraded: { errorRatio: 0.02, p95Ms: 1_000 },
  down: { errorRatio: 0.2, p95Ms: 5_000 },
};

/** Submissions: answers rejected for reasons that are OUR fault (not validation, not rate limits). */
export const SUBMISSION_THRESHOLDS: ComponentThresholds = {
  degraded: { errorRatio: 0.01, p95Ms: 500 },
  down: { errorRatio: 0.1, p95Ms: 3_000 },
};

/** Exports stream for a long time; only errors and time-to-first-byte matter. */
export const EXPORT_THRESHOLDS: ComponentThresholds = {
  degraded: { errorRatio: 0.05, p95Ms: 10_000 },
  down: { errorRatio: 0.5, p95Ms: 60_000 },
};

/** Dependency checks (database, cache): a ping slower than this is "degraded". */
export const DEPENDENCY_SLOW_MS = 250;
/** A dependency check that does not answer in this time counts as failed. */
export const DEPENDENCY_TIMEOUT_MS = 1_000;

/** Share of submissions rejected as "rate_limited" in the window that makes the board amber. */
export const RATE_LIMITED_RATIO_DEGRADED = 0.2;
