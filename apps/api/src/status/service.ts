import { randomBytes } from "node:crypto";
import {
  COMPONENT_IDS,
  COMPONENTS,
  type ComponentId,
  type Level,
  type Locale,
  runbookUrl,
  STATUS_CACHE_SECONDS,
  STATUS_WINDOW_SECONDS,
} from "@coleta/monitoring";
import type { Logger } from "pino";
import type { Cache } from "../cache";
import type { Config } from "../config";
import type { Database } from "../db/client";
import type { Metrics } from "../observability/metrics";
import { classifyRequest } from "./classify";
import { type StatusConfig, statusConfig } from "./config";
import { evaluate, type Judgement, overall } from "./evaluate";
import { componentMessage, teamToCall } from "./messages";
import { registerStatusMetrics, type StatusMetrics } from "./metrics";
import { DependencyProber } from "./prober";
import type { StatusDocument, TeamDocument } from "./schemas";
import { SignalStore } from "./signals";
import { TimelineStore, type Transition } from "./timeline";

/** How often counts go from memory to Redis. */
export const FLUSH_INTERVAL_MS = 5_000;

export interface StatusDependencies {
  config: Config;
  database: Database;
  cache: Cache;
  metrics: Metrics;
  logger: Logger;
}

export interface ComponentSnapshot {
  id: ComponentId;
  level: Level;
  since: number;
  judgement: Judgement;
}

/** One evaluation, language-neutral; document() renders it for a reader. */
export interface Snapshot {
  at: number;
  level: Level;
  components: ComponentSnapshot[];
  timeline: Transition[];
  scope: "cluster" | "replica";
  replicas: number;
}

/**
 * The status board: records every finished request (memory only), probes the database and the
 * cache in the background, and at most once per STATUS_CACHE_SECONDS turns the window's numbers
 * into a level per component, keeping the timeline and the Prometheus gauges in step.
 */
export class StatusService {
  readonly settings: StatusConfig;
  private readonly signals: SignalStore;
  private readonly timeline: TimelineStore;
  private readonly prober: DependencyProber;
  private readonly metrics: StatusMetrics;
  private readonly states = new Map<ComponentId, { level: Level; since: number }>();
  private readonly apiBasePath: string;
  private readonly logger: Logger;
  private readonly now: () => number;
  private cached: Snapshot | null = null;
  private computing: Promise<Snapshot> | null = null;
  private ready: Promise<void> | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(deps: StatusDependencies, options: { now?: () => number } = {}) {
    this.settings = statusConfig(deps.config.env);
    this.apiBasePath = deps.config.apiBasePath;
    this.logger = deps.logger;
    this.now = options.now ?? Date.now;
    const redis = deps.cache.redis;
    this.signals = new SignalStore({ redis, replicaId: randomBytes(6).toString("hex"), now: this.now });
    this.timeline = new TimelineStore({ redis, now: this.now });
    this.metrics = registerStatusMetrics(deps.metrics.registry);
    this.prober = new DependencyProber(
      {
        database: () => deps.database.ping(),
        cache: redis
          ? async () => {
              await redis.ping();
            }
          : null,
      },
      (result) => this.metrics.dependencyChecked(result.dependency, result.ok),
    );
    const started = this.now();
    for (const id of COMPONENT_IDS) this.states.set(id, { level: "ok", since: started });
  }

  /** Called by the request-context middleware for every finished request. Memory only. */
  record(method: string, route: string, status: number, durationMs: number): void {
    const id = classifyRequest(this.apiBasePath, method, route);
    if (id) this.signals.record(id, status, durationMs);
  }

  start(): void {
    if (this.ready) return;
    this.ready = (async () => {
      await this.loadHistory();
      await this.prober.probeAll();
    })();
    this.ready.then(() => this.scheduleProbe()).catch(() => this.scheduleProbe());
    this.flushTimer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.flushTimer.unref();
  }

  private scheduleProbe(): void {
    if (this.stopped) return;
    this.probeTimer = setTimeout(async () => {
      try {
        await this.prober.probeAll();
        // Evaluate even when nobody looks at the board, so the timeline and the gauges stay
        // current (still at most once per STATUS_CACHE_SECONDS).
        await this.snapshot();
      } catch (error) {
        this.logger.warn({ err: error }, "status evaluation failed");
      }
      this.scheduleProbe();
    }, this.settings.probeIntervalMs);
    this.probeTimer.unref();
  }

  /** A new replica takes each component's last known change, so "since" survives restarts. */
  private async loadHistory(): Promise<void> {
    const { entries, scope } = await this.timeline.read();
    if (scope !== "cluster") return;
    for (const id of COMPONENT_IDS) {
      const last = entries.find((e) => e.component === id);
      if (last) this.states.set(id, { level: last.to, since: last.at });
    }
  }

  /** Pushes counts and timeline changes to Redis now (also runs every few seconds). */
  async flush(): Promise<void> {
    await Promise.all([this.signals.flush(), this.timeline.publish()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.flush().catch(() => {});
  }

  /** The current evaluation, recomputed at most once per STATUS_CACHE_SECONDS. */
  async snapshot(): Promise<Snapshot> {
    if (this.cached && this.now() - this.cached.at < STATUS_CACHE_SECONDS * 1000) return this.cached;
    return this.refresh();
  }

  /** Evaluates now, ignoring the cache (one at a time; concurrent callers share the result). Tests use it. */
  refresh(): Promise<Snapshot> {
    this.computing ??= this.compute().finally(() => {
      this.computing = null;
    });
    return this.computing;
  }

  private async compute(): Promise<Snapshot> {
    this.start();
    await this.ready;
    const window = await this.signals.read();
    const judgements = evaluate({ counts: window.counts, dependencies: this.prober.state });
    const at = this.now();
    const components: ComponentSnapshot[] = [];
    for (const id of COMPONENT_IDS) {
      const judgement = judgements[id];
      const state = this.states.get(id) ?? { level: "ok" as Level, since: at };
      if (state.level !== judgement.level) {
        this.timeline.add({ component: id, from: state.level, to: judgement.level, at });
        state.level = judgement.level;
        state.since = at;
      }
      this.states.set(id, state);
      this.metrics.setLevel(id, judgement.level);
      components.push({ id, level: judgement.level, since: state.since, judgement });
    }
    await this.timeline.publish();
    const timeline = await this.timeline.read();
    const snapshot: Snapshot = {
      at,
      level: overall(components.map((c) => c.level)),
      components,
      timeline: timeline.entries,
      scope: window.scope === "cluster" && timeline.scope === "cluster" ? "cluster" : "replica",
      replicas: window.replicas,
    };
    this.cached = snapshot;
    return snapshot;
  }

  private team(id: ComponentId, locale: Locale): TeamDocument {
    const team = this.settings.teams[COMPONENTS[id].team];
    return { id: team.id, name: team.name[locale], contact: team.contact };
  }

  /** The public JSON: names and messages in `locale`, nothing personal, nothing internal. */
  document(snapshot: Snapshot, locale: Locale): StatusDocument {
    const { timeZone, runbookBaseUrl } = this.settings;
    const teams = this.settings.teams;
    return {
      status: snapshot.level,
      updatedAt: new Date(snapshot.at).toISOString(),
      lang: locale,
      timeZone,
      scope: snapshot.scope === "cluster" ? "all-replicas" : "this-replica",
      replicas: snapshot.replicas,
      windowSeconds: STATUS_WINDOW_SECONDS,
      components: snapshot.components.map(({ id, level, since, judgement }) => ({
        id,
        name: COMPONENTS[id].name[locale],
        status: level,
        message: componentMessage({ id, judgement, since, now: snapshot.at, locale, timeZone, teams }),
        since: new Date(since).toISOString(),
        reason: judgement.reason,
        cause: judgement.cause,
        team: this.team(id, locale),
        call: level === "ok" ? null : this.team(teamToCall(id, judgement), locale),
        runbook: runbookUrl(COMPONENTS[id].runbook, runbookBaseUrl),
        signals: judgement.signals,
      })),
      timeline: snapshot.timeline.map((t) => ({
        component: t.component,
        name: COMPONENTS[t.component].name[locale],
        from: t.from,
        to: t.to,
        at: new Date(t.at).toISOString(),
      })),
    };
  }
}

export function createStatusService(deps: StatusDependencies): StatusService {
  return new StatusService(deps);
}
