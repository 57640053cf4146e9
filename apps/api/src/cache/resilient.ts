import type { Cache } from "./cache";
import { createMemoryCache } from "./memory";

// Redis makes limits and caches shared by every replica, but nothing in Coleta needs it to be up:
// sessions and roles live in Postgres, and rate limits can be counted per process for a while.
// This wrapper keeps the API serving when Redis is slow or gone:
// - every command has a short deadline; the first failure opens the circuit and later calls skip
//   Redis entirely (no request waits on a dead server) until a background ping succeeds;
// - while open, rate-limit style keys are counted in process memory, cached lookups miss (so the
//   database answers), and deletions are remembered and replayed before Redis is trusted again, so
//   a role change or sign-out made during the outage cannot be undone by a stale entry.

export interface CacheHealth {
  status: "ok" | "down";
  /** When the current status began. */
  since: Date;
}

export interface ResilientCache extends Cache {
  health(): CacheHealth;
}

export interface ResilienceOptions {
  /** Deadline for one command. */
  commandTimeoutMs: number;
  /** How often a background ping checks whether an open circuit can close. */
  probeIntervalMs: number;
  /** Keys with these prefixes are counted/stored in process memory while Redis is away. */
  localPrefixes: readonly string[];
  onChange?(health: CacheHealth): void;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  commandTimeoutMs: 250,
  probeIntervalMs: 1_000,
  localPrefixes: ["rl:", "authfail:"],
};

const MAX_PENDING_DELETES = 50_000;

class TimeoutError extends Error {}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`cache command took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export function makeResilient(inner: Cache, options: ResilienceOptions = DEFAULT_RESILIENCE): ResilientCache {
  const local = createMemoryCache();
  const pendingDeletes = new Set<string>();
  let health: CacheHealth = { status: "ok", since: new Date() };
  let probe: NodeJS.Timeout | undefined;
  let closed = false;

  const isLocal = (key: string) => options.localPrefixes.some((p) => key.startsWith(p));
  const setHealth = (status: CacheHealth["status"]) => {
    if (health.status === status) return;
    health = { status, since: new Date() };
    options.onChange?.(health);
  };

  async function tryClose(): Promise<void> {
    try {
      await withDeadline(inner.ping(), options.commandTimeoutMs * 4);
      // Replay deletions missed while away before any read may hit Redis again.
      for (const key of [...pendingDeletes]) {
        await withDeadline(inner.del(key), options.commandTimeoutMs * 4);
        pendingDeletes.delete(key);
      }
      setHealth("ok");
    } catch {
      // Still away: keep probing.
    }
  }

  function open(): void {
    setHealth("down");
    if (probe || closed) return;
    probe = setInterval(() => {
      if (health.status === "ok") {
        clearInterval(probe);
        probe = undefined;
        return;
      }
      void tryClose();
    }, options.probeIntervalMs);
    probe.unref();
  }

  /** Runs a Redis command, or the fallback when the circuit is open or the command fails. */
  async function guarded<T>(command: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (health.status === "ok") {
      try {
        return await withDeadline(command(), options.commandTimeoutMs);
      } catch {
        open();
      }
    }
    return fallback();
  }

  const rememberDelete = (key: string) => {
    if (pendingDeletes.size < MAX_PENDING_DELETES) pendingDeletes.add(key);
  };

  return {
    kind: inner.kind,
    redis: inner.redis,
    health: () => health,
    get: (key) =>
      guarded(
        () => inner.get(key),
        () => (isLocal(key) ? local.get(key) : Promise.resolve(null)),
      ),
    set: (key, value, ttl) =>
      guarded(
        () => inner.set(key, value, ttl),
        () => (isLocal(key) ? local.set(key, value, ttl) : Promise.resolve()),
      ),
    del: (key) =>
      guarded(
        () => inner.del(key),
        async () => {
          rememberDelete(key);
          await local.del(key);
        },
      ),
    getAndDelete: (key) =>
      guarded(
        () => inner.getAndDelete(key),
        async () => {
          rememberDelete(key);
          return isLocal(key) ? local.getAndDelete(key) : null;
        },
      ),
    hit: (key, windowSeconds) =>
      guarded(
        () => inner.hit(key, windowSeconds),
        () => local.hit(key, windowSeconds),
      ),
    // Health checks must see the truth, not the fallback.
    ping: () => withDeadline(inner.ping(), options.commandTimeoutMs * 4),
    async close() {
      closed = true;
      if (probe) clearInterval(probe);
      await local.close();
      await inner.close();
    },
  };
}
