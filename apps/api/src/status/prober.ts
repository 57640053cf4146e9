import { DEPENDENCY_SLOW_MS, DEPENDENCY_TIMEOUT_MS } from "@coleta/monitoring";
import type { DependencyId } from "./classify";
import type { DependencyState } from "./evaluate";
import { withTimeout } from "./redis-util";

export type Check = () => Promise<void>;

export interface ProbeResult {
  dependency: DependencyId;
  ok: boolean;
  latencyMs: number | null;
}

/**
 * Pings the database and the cache (each check bounded by DEPENDENCY_TIMEOUT_MS). A check that is
 * still hanging from the previous round counts as failed again without a new ping piling up.
 * Nothing about the failure (driver messages, hosts) is kept: only up/down and how long it took.
 */
export class DependencyProber {
  readonly state: Record<DependencyId, DependencyState>;
  private readonly inFlight = new Set<DependencyId>();

  constructor(
    private readonly checks: Record<DependencyId, Check | null>,
    private readonly onResult: (result: ProbeResult) => void = () => {},
    private readonly timeoutMs = DEPENDENCY_TIMEOUT_MS,
  ) {
    this.state = {
      database: { up: null, latencyMs: null, slowInARow: 0, configured: true },
      cache: {
        up: checks.cache ? null : true,
        latencyMs: null,
        slowInARow: 0,
        configured: checks.cache !== null,
      },
    };
  }

  private async probe(dependency: DependencyId): Promise<void> {
    const check = this.checks[dependency];
    let result: ProbeResult;
    if (!check) {
      result = { dependency, ok: true, latencyMs: 0 };
    } else if (this.inFlight.has(dependency)) {
      result = { dependency, ok: false, latencyMs: null };
    } else {
      this.inFlight.add(dependency);
      const started = performance.now();
      const running = check().finally(() => this.inFlight.delete(dependency));
      try {
        await withTimeout(running, this.timeoutMs);
        result = { dependency, ok: true, latencyMs: Math.round(performance.now() - started) };
      } catch {
        result = { dependency, ok: false, latencyMs: null };
      }
    }
    const state = this.state[dependency];
    state.up = result.ok;
    state.latencyMs = result.latencyMs;
    const slow = result.ok && (result.latencyMs ?? 0) > DEPENDENCY_SLOW_MS;
    state.slowInARow = slow ? (state.slowInARow ?? 0) + 1 : 0;
    this.onResult(result);
  }

  /** One round: both dependencies in parallel. */
  async probeAll(): Promise<void> {
    await Promise.all([this.probe("database"), this.probe("cache")]);
  }
}
