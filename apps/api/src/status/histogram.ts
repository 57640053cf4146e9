import type { HttpComponentId } from "./classify";

/**
 * Fixed latency buckets (upper bounds, milliseconds; one more bucket catches everything slower).
 * Fixed so that histograms from every replica and every time bucket can be added together, and
 * chosen to include every p95 threshold of @coleta/monitoring as a boundary.
 */
export const LATENCY_BUCKETS_MS = [
  5, 10, 25, 50, 100, 250, 500, 750, 1_000, 2_000, 3_000, 5_000, 10_000, 30_000, 60_000,
] as const;
export const HISTOGRAM_SIZE = LATENCY_BUCKETS_MS.length + 1;

/** What one component saw in one time bucket (or a sum of them). */
export interface Counts {
  requests: number;
  /** Answers that are our fault (5xx). */
  errors: number;
  /** Answers 429 (rate limited). */
  rateLimited: number;
  /** Requests per latency bucket, LATENCY_BUCKETS_MS order, last = slower than the last bound. */
  latency: number[];
}

export type CountsByComponent = Record<HttpComponentId, Counts>;

export function emptyCounts(): Counts {
  return { requests: 0, errors: 0, rateLimited: 0, latency: new Array(HISTOGRAM_SIZE).fill(0) };
}

export function emptyByComponent(): CountsByComponent {
  return {
    public_forms: emptyCounts(),
    submissions: emptyCounts(),
    workspace: emptyCounts(),
    exports: emptyCounts(),
  };
}

export function bucketIndex(ms: number): number {
  for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) {
    if (ms <= (LATENCY_BUCKETS_MS[i] as number)) return i;
  }
  return LATENCY_BUCKETS_MS.length;
}

/** Adds `source` into `target` (merging replicas or time buckets is plain addition). */
export function addCounts(target: Counts, source: Counts): Counts {
  target.requests += source.requests;
  target.errors += source.errors;
  target.rateLimited += source.rateLimited;
  for (let i = 0; i < HISTOGRAM_SIZE; i++)
    target.latency[i] = (target.latency[i] ?? 0) + (source.latency[i] ?? 0);
  return target;
}

export function mergeCounts(...all: Counts[]): Counts {
  return all.reduce((sum, c) => addCounts(sum, c), emptyCounts());
}

/**
 * The q-quantile (0–1) of a histogram in milliseconds, interpolating linearly inside the bucket
 * where it falls (as Prometheus' histogram_quantile does). Null without data; Infinity when it
 * falls in the last, open bucket.
 */
export function quantileMs(latency: readonly number[], q: number): number | null {
  const total = latency.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < HISTOGRAM_SIZE; i++) {
    const inBucket = latency[i] ?? 0;
    const before = cumulative;
    cumulative += inBucket;
    if (inBucket > 0 && cumulative >= rank) {
      if (i === LATENCY_BUCKETS_MS.length) return Number.POSITIVE_INFINITY;
      const lower = i === 0 ? 0 : (LATENCY_BUCKETS_MS[i - 1] as number);
      const upper = LATENCY_BUCKETS_MS[i] as number;
      return lower + ((upper - lower) * (rank - before)) / inBucket;
    }
  }
  return null;
}
