import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../db/client";

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route" | "status">;
  submissionsAccepted: Counter<"outcome">;
  submissionsRejected: Counter<"reason">;
}

/** One registry per app instance (tests run several in one process). */
export function createMetrics(database: Database): Metrics {
  const registry = new Registry();
  // Process CPU/memory/GC and event-loop lag (nodejs_eventloop_lag_* gauges).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const httpRequests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests answered, by route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency, by route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const submissionsAccepted = new Counter({
    name: "coleta_submissions_accepted_total",
    help: "Submissions stored (outcome=created) or recognised as a retry of a stored one (outcome=duplicate)",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const submissionsRejected = new Counter({
    name: "coleta_submissions_rejected_total",
    help: "Submissions refused, by reason",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "coleta_db_pool_connections",
    help: "Database pool connections by state (in_use, idle, waiting requests)",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const stats = database.poolStats();
      this.set({ state: "in_use" }, stats.total - stats.idle);
      this.set({ state: "idle" }, stats.idle);
      this.set({ state: "waiting" }, stats.waiting);
    },
  });
  return { registry, httpRequests, httpDuration, submissionsAccepted, submissionsRejected };
}
