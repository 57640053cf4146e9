import {
  COMPONENT_IDS,
  COMPONENTS,
  type ComponentId,
  DEPENDENCY_SLOW_MS,
  type Level,
  RATE_LIMITED_RATIO_DEGRADED,
  STATUS_MIN_REQUESTS,
} from "@coleta/monitoring";
import { type DependencyId, HTTP_COMPONENTS, type HttpComponentId } from "./classify";
import { type Counts, type CountsByComponent, quantileMs } from "./histogram";

/** Why a component is not ok (null when ok), in words the page and the message builder turn into text. */
export type Reason =
  | "errors" // too many 5xx answers
  | "latency" // p95 over the threshold
  | "rate_limited" // many submissions refused by the rate limit
  | "dependency" // a dependency it needs is down (see `cause`)
  | "check_failed" // the prober could not reach the dependency
  | "check_slow"; // the prober reached it, slowly

/** The last check of a dependency. `up: null` = not checked yet. */
export interface DependencyState {
  up: boolean | null;
  latencyMs: number | null;
  /** Successful checks in a row slower than DEPENDENCY_SLOW_MS (0 after a fast or failed one). */
  slowInARow?: number;
  /** False for the memory cache: nothing to reach, always ok. */
  configured: boolean;
}

/**
 * A single slow ping is noise (a fresh connection, a garbage-collection pause, a busy host at
 * start); this many slow checks in a row make a dependency amber. A failed check is red at once.
 */
export const SLOW_CHECKS_FOR_DEGRADED = 2;

export interface Judgement {
  level: Level;
  reason: Reason | null;
  cause: DependencyId | null;
  /** HTTP components: what the window held. Dependencies: the last check. */
  signals: {
    requests?: number;
    errors?: number;
    rateLimited?: number;
    p95Ms?: number | null;
    latencyMs?: number | null;
  };
}

const RANK: Record<Level, number> = { ok: 0, degraded: 1, down: 2 };
export const LEVEL_VALUE = RANK;

export function worst(...levels: Level[]): Level {
  return levels.reduce<Level>((w, l) => (RANK[l] > RANK[w] ? l : w), "ok");
}

export function judgeDependency(state: DependencyState): Judgement {
  const signals = { latencyMs: state.latencyMs };
  if (!state.configured || state.up === null) return { level: "ok", reason: null, cause: null, signals };
  if (!state.up) return { level: "down", reason: "check_failed", cause: null, signals };
  if ((state.latencyMs ?? 0) > DEPENDENCY_SLOW_MS && (state.slowInARow ?? 1) >= SLOW_CHECKS_FOR_DEGRADED) {
    return { level: "degraded", reason: "check_slow", cause: null, signals };
  }
  return { level: "ok", reason: null, cause: null, signals };
}

/** Levels of one HTTP component from its window's counts (thresholds from @coleta/monitoring). */
export function judgeHttp(id: HttpComponentId, counts: Counts, database: Judgement): Judgement {
  const p95 = quantileMs(counts.latency, 0.95);
  const signals = {
    requests: counts.requests,
    errors: counts.errors,
    rateLimited: counts.rateLimited,
    p95Ms: p95 === null ? null : Number.isFinite(p95) ? Math.round(p95) : null,
  };
  // Without the database nothing of ours works, whatever the last minutes' traffic says.
  if (database.level === "down") return { level: "down", reason: "dependency", cause: "database", signals };
  const thresholds = COMPONENTS[id].thresholds;
  if (!thresholds || counts.requests < STATUS_MIN_REQUESTS) {
    return { level: "ok", reason: null, cause: null, signals };
  }
  const errorRatio = counts.errors / counts.requests;
  const byErrors: Level =
    errorRatio >= thresholds.down.errorRatio
      ? "down"
      : errorRatio >= thresholds.degraded.errorRatio
        ? "degraded"
        : "ok";
  const latency = p95 ?? 0;
  const byLatency: Level =
    latency > thresholds.down.p95Ms ? "down" : latency > thresholds.degraded.p95Ms ? "degraded" : "ok";
  const byLimits: Level =
    id === "submissions" && counts.rateLimited / counts.requests >= RATE_LIMITED_RATIO_DEGRADED
      ? "degraded"
      : "ok";
  const level = worst(byErrors, byLatency, byLimits);
  if (level === "ok") return { level, reason: null, cause: null, signals };
  // The reason shown is the one that set the level; errors first, they hurt people most.
  const reason: Reason = byErrors === level ? "errors" : byLatency === level ? "latency" : "rate_limited";
  return { level, reason, cause: null, signals };
}

export interface EvaluationInput {
  counts: CountsByComponent;
  dependencies: Record<DependencyId, DependencyState>;
}

/** Every component's level, in COMPONENT_IDS order. Pure: the unit tests drive it directly. */
export function evaluate(input: EvaluationInput): Record<ComponentId, Judgement> {
  const database = judgeDependency(input.dependencies.database);
  const cache = judgeDependency(input.dependencies.cache);
  const out = { database, cache } as Record<ComponentId, Judgement>;
  for (const id of HTTP_COMPONENTS) out[id] = judgeHttp(id, input.counts[id], database);
  // Keep the documented order.
  return Object.fromEntries(COMPONENT_IDS.map((id) => [id, out[id]])) as Record<ComponentId, Judgement>;
}

export function overall(levels: Iterable<Level>): Level {
  return worst(...levels);
}
