import {
  COMPONENT_IDS,
  type ComponentId,
  DEPENDENCY_TIMEOUT_MS,
  type Level,
  STATUS_TIMELINE_HOURS,
} from "@coleta/monitoring";
import type { Redis } from "ioredis";
import { Gate } from "./redis-util";

export interface Transition {
  component: ComponentId;
  from: Level;
  to: Level;
  /** Epoch milliseconds. */
  at: number;
}

const KEY = "status:v1:timeline";
/** Two replicas seeing the same change within this time record it once. */
export const DEDUPE_MS = 45_000;
const MAX_ENTRIES = 500;
const LEVELS: readonly Level[] = ["ok", "degraded", "down"];

// Pushes a change unless the list already holds the same change (component, from, to) from
// another replica within ARGV[3] ms; trims the list and keeps it alive for a day and an hour.
const PUSH_SCRIPT = `
local entry = cjson.decode(ARGV[1])
local recent = redis.call('LRANGE', KEYS[1], 0, 199)
for _, raw in ipairs(recent) do
  local ok, e = pcall(cjson.decode, raw)
  if ok and e.component == entry.component and e.from == entry.from and e.to == entry.to
     and math.abs(e.at - entry.at) <= tonumber(ARGV[3]) then
    return 0
  end
end
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
return 1
`;

export function parseTransition(raw: string): Transition | null {
  try {
    const e = JSON.parse(raw) as Partial<Transition>;
    if (
      COMPONENT_IDS.includes(e.component as ComponentId) &&
      LEVELS.includes(e.from as Level) &&
      LEVELS.includes(e.to as Level) &&
      typeof e.at === "number"
    ) {
      return { component: e.component, from: e.from, to: e.to, at: e.at } as Transition;
    }
  } catch {
    // A foreign or broken entry: skip it.
  }
  return null;
}

/** Newest first, within the last `hours`, one entry per change seen by several replicas. */
export function mergeTimeline(
  entries: Transition[],
  now: number,
  hours = STATUS_TIMELINE_HOURS,
): Transition[] {
  const since = now - hours * 3_600_000;
  const sorted = entries.filter((e) => e.at >= since && e.at <= now + 60_000).sort((a, b) => b.at - a.at);
  const out: Transition[] = [];
  for (const e of sorted) {
    const duplicate = out.some(
      (o) =>
        o.component === e.component &&
        o.from === e.from &&
        o.to === e.to &&
        Math.abs(o.at - e.at) <= DEDUPE_MS,
    );
    if (!duplicate) out.push(e);
  }
  return out;
}

export interface TimelineOptions {
  redis: Redis | null;
  now?: () => number;
  timeoutMs?: number;
}

/**
 * The last 24 hours of status changes. Each replica keeps its own in memory and publishes each
 * change to a capped Redis list through a script that drops a change another replica already
 * recorded. Changes that could not be published (Redis down — often the change itself is "the
 * cache is down") are retried, with their original time, once Redis answers again.
 */
export class TimelineStore {
  private local: Transition[] = [];
  private unpublished: Transition[] = [];
  private readonly redis: Redis | null;
  private readonly now: () => number;
  private readonly writes: Gate;
  private readonly reads: Gate;

  constructor(options: TimelineOptions) {
    this.redis = options.redis;
    this.now = options.now ?? Date.now;
    const timeout = options.timeoutMs ?? DEPENDENCY_TIMEOUT_MS;
    this.writes = new Gate(timeout);
    this.reads = new Gate(timeout);
  }

  add(transition: Transition): void {
    this.local = mergeTimeline([transition, ...this.local], this.now()).slice(0, MAX_ENTRIES);
    if (this.redis) {
      this.unpublished.push(transition);
      if (this.unpublished.length > MAX_ENTRIES) this.unpublished.shift();
    }
  }

  /** Publishes waiting changes in order; stops at the first failure and keeps the rest for later. */
  async publish(): Promise<void> {
    const redis = this.redis;
    if (!redis) return;
    const ttlMs = (STATUS_TIMELINE_HOURS + 1) * 3_600_000;
    while (this.unpublished.length) {
      const next = this.unpublished[0] as Transition;
      if (next.at < this.now() - STATUS_TIMELINE_HOURS * 3_600_000) {
        this.unpublished.shift();
        continue;
      }
      try {
        await this.writes.run(() =>
          redis.eval(PUSH_SCRIPT, 1, KEY, JSON.stringify(next), MAX_ENTRIES, DEDUPE_MS, ttlMs),
        );
        this.unpublished.shift();
      } catch {
        return;
      }
    }
  }

  /** The shared timeline (plus changes still waiting to be published), or this replica's own. */
  async read(): Promise<{ entries: Transition[]; scope: "cluster" | "replica" }> {
    const redis = this.redis;
    if (redis) {
      try {
        const raw = await this.reads.run(() => redis.lrange(KEY, 0, MAX_ENTRIES - 1));
        const shared = raw.map(parseTransition).filter((t): t is Transition => t !== null);
        return { entries: mergeTimeline([...shared, ...this.unpublished], this.now()), scope: "cluster" };
      } catch {
        // Fall through to the local view.
      }
    }
    return { entries: mergeTimeline(this.local, this.now()), scope: "replica" };
  }
}
