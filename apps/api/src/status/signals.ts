import { DEPENDENCY_TIMEOUT_MS, STATUS_WINDOW_SECONDS } from "@coleta/monitoring";
import type { Redis } from "ioredis";
import { HTTP_COMPONENTS, type HttpComponentId } from "./classify";
import {
  addCounts,
  bucketIndex,
  type CountsByComponent,
  emptyByComponent,
  HISTOGRAM_SIZE,
} from "./histogram";
import { Gate } from "./redis-util";

/** Width of one time bucket. Every replica aligns buckets on the wall clock, so they add up. */
export const BUCKET_SECONDS = 10;
/** Replicas that wrote a heartbeat this recently count as "reporting". */
const REPLICA_SEEN_SECONDS = 30;
const KEY = (bucket: number) => `status:v1:b:${bucket}`;

export interface WindowSignals {
  counts: CountsByComponent;
  /** "cluster": summed over every replica through Redis; "replica": this process only. */
  scope: "cluster" | "replica";
  /** Replicas that reported in the last half minute (1 for a local view). */
  replicas: number;
}

export interface SignalStoreOptions {
  redis: Redis | null;
  replicaId: string;
  windowSeconds?: number;
  timeoutMs?: number;
  now?: () => number;
}

type Buckets = Map<number, CountsByComponent>;

function addTo(buckets: Buckets, bucket: number, add: (counts: CountsByComponent) => void) {
  let entry = buckets.get(bucket);
  if (!entry) {
    entry = emptyByComponent();
    buckets.set(bucket, entry);
  }
  add(entry);
}

/** Hash fields of one component in one bucket: requests, errors, 429s and one per latency bucket. */
export function fieldsOf(counts: CountsByComponent): [string, number][] {
  const out: [string, number][] = [];
  for (const id of HTTP_COMPONENTS) {
    const c = counts[id];
    if (c.requests) out.push([`${id}:r`, c.requests]);
    if (c.errors) out.push([`${id}:e`, c.errors]);
    if (c.rateLimited) out.push([`${id}:q`, c.rateLimited]);
    c.latency.forEach((n, i) => {
      if (n) out.push([`${id}:h${i}`, n]);
    });
  }
  return out;
}

/** Adds a bucket hash as Redis returns it (HGETALL) into `into`; returns the replica ids it names. */
export function addFields(into: CountsByComponent, hash: Record<string, string>): string[] {
  const replicas: string[] = [];
  for (const [field, raw] of Object.entries(hash)) {
    if (field.startsWith("@")) {
      replicas.push(field.slice(1));
      continue;
    }
    const colon = field.lastIndexOf(":");
    const id = field.slice(0, colon) as HttpComponentId;
    const counts = into[id];
    const value = Number(raw);
    if (!counts || !Number.isFinite(value)) continue;
    const kind = field.slice(colon + 1);
    if (kind === "r") counts.requests += value;
    else if (kind === "e") counts.errors += value;
    else if (kind === "q") counts.rateLimited += value;
    else if (kind.startsWith("h")) {
      const i = Number(kind.slice(1));
      if (Number.isInteger(i) && i >= 0 && i < HISTOGRAM_SIZE)
        counts.latency[i] = (counts.latency[i] ?? 0) + value;
    }
  }
  return replicas;
}

/**
 * Counts of requests, errors, 429s and a latency histogram per component, in 10-second buckets.
 * Recording only touches memory; flush() adds what accumulated to Redis (HINCRBY per bucket hash,
 * one pipeline) every few seconds, so every replica's numbers meet in the same hashes, and read()
 * sums the window's hashes. When Redis fails or is slow the view falls back to this replica's own
 * numbers, and says so.
 */
export class SignalStore {
  private readonly local: Buckets = new Map();
  private pending: Buckets = new Map();
  private readonly redis: Redis | null;
  private readonly replicaId: string;
  private readonly windowSeconds: number;
  private readonly now: () => number;
  private readonly writes: Gate;
  private readonly reads: Gate;

  constructor(options: SignalStoreOptions) {
    this.redis = options.redis;
    this.replicaId = options.replicaId;
    this.windowSeconds = options.windowSeconds ?? STATUS_WINDOW_SECONDS;
    this.now = options.now ?? Date.now;
    const timeout = options.timeoutMs ?? DEPENDENCY_TIMEOUT_MS;
    this.writes = new Gate(timeout);
    this.reads = new Gate(timeout);
  }

  private bucketOf(ms: number): number {
    return Math.floor(ms / 1000 / BUCKET_SECONDS) * BUCKET_SECONDS;
  }

  /** First bucket inside the window (bucket starts, in seconds). */
  private firstBucket(): number {
    return this.bucketOf(this.now()) - this.windowSeconds + BUCKET_SECONDS;
  }

  record(id: HttpComponentId, status: number, durationMs: number): void {
    const bucket = this.bucketOf(this.now());
    const add = (counts: CountsByComponent) => {
      const c = counts[id];
      c.requests++;
      if (status >= 500) c.errors++;
      if (status === 429) c.rateLimited++;
      const i = bucketIndex(durationMs);
      c.latency[i] = (c.latency[i] ?? 0) + 1;
    };
    addTo(this.local, bucket, add);
    if (this.redis) addTo(this.pending, bucket, add);
  }

  private prune(buckets: Buckets): void {
    const first = this.firstBucket();
    for (const bucket of buckets.keys()) if (bucket < first) buckets.delete(bucket);
  }

  /**
   * Sends what accumulated since the last flush to Redis in one pipeline. On failure those counts
   * stay only in this replica's local view (a retry could count them twice if Redis did apply
   * them before timing out). Returns whether Redis took them.
   */
  async flush(): Promise<boolean> {
    this.prune(this.local);
    this.prune(this.pending);
    const redis = this.redis;
    if (!redis) return false;
    const batch = this.pending;
    this.pending = new Map();
    const ttl = this.windowSeconds + 3 * BUCKET_SECONDS;
    const current = this.bucketOf(this.now());
    try {
      await this.writes.run(async () => {
        const pipeline = redis.pipeline();
        for (const [bucket, counts] of batch) {
          for (const [field, value] of fieldsOf(counts)) pipeline.hincrby(KEY(bucket), field, value);
          pipeline.expire(KEY(bucket), ttl);
        }
        // A heartbeat even without traffic, so the board knows how many replicas it is summing.
        pipeline.hset(KEY(current), `@${this.replicaId}`, "1");
        pipeline.expire(KEY(current), ttl);
        const results = (await pipeline.exec()) ?? [];
        const failed = results.find(([error]) => error);
        if (failed) throw failed[0];
      });
      return true;
    } catch {
      return false;
    }
  }

  /** This replica's own numbers over the window. */
  readLocal(): WindowSignals {
    this.prune(this.local);
    const counts = emptyByComponent();
    for (const bucketCounts of this.local.values()) {
      for (const id of HTTP_COMPONENTS) addCounts(counts[id], bucketCounts[id]);
    }
    return { counts, scope: "replica", replicas: 1 };
  }

  /** Every replica's numbers over the window (Redis), or this replica's alone when Redis fails. */
  async read(): Promise<WindowSignals> {
    const redis = this.redis;
    if (!redis) return this.readLocal();
    this.prune(this.pending);
    const first = this.firstBucket();
    const last = this.bucketOf(this.now());
    const buckets: number[] = [];
    for (let b = first; b <= last; b += BUCKET_SECONDS) buckets.push(b);
    try {
      const hashes = await this.reads.run(async () => {
        const pipeline = redis.pipeline();
        for (const b of buckets) pipeline.hgetall(KEY(b));
        const results = (await pipeline.exec()) ?? [];
        return results.map(([error, value]) => {
          if (error) throw error;
          return (value ?? {}) as Record<string, string>;
        });
      });
      const counts = emptyByComponent();
      const seen = new Set<string>([this.replicaId]);
      const recent = last - REPLICA_SEEN_SECONDS;
      hashes.forEach((hash, i) => {
        const ids = addFields(counts, hash);
        if ((buckets[i] as number) > recent) for (const id of ids) seen.add(id);
      });
      // What this replica recorded but has not flushed yet.
      for (const bucketCounts of this.pending.values()) {
        for (const id of HTTP_COMPONENTS) addCounts(counts[id], bucketCounts[id]);
      }
      return { counts, scope: "cluster", replicas: seen.size };
    } catch {
      return this.readLocal();
    }
  }
}
