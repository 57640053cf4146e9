/**
 * The monitoring resources the cost model prices, COUNTED from the synthesized CloudFormation
 * templates (alarms and the metrics they watch, dashboards, canaries and their schedule, log
 * metric filters), never typed by hand. The counts are kept in inventory.json so the model stays a
 * pure function (npm run cost, docs/costs.md); infra/aws/test/monitoring.test.ts synthesizes both
 * environments and fails when inventory.json differs from what the templates contain.
 *
 *   npx tsx infra/aws/cost/inventory-synth.ts   rewrite inventory.json (then cost/render.ts for the docs)
 *   npm run cost:docs -w @coleta/infra-aws      both
 * This file stays free of the CDK app so the model (and deploy/test/cost.test.ts) never loads it.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { EnvName } from "../config/index.js";

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
export interface TemplateJson {
  Resources?: Resources;
}

export interface EnvInventory {
  /** AWS::CloudWatch::Alarm resources. */
  alarms: number;
  /** Metrics those alarms watch (a metric-math alarm is billed per metric it reads). */
  alarmMetrics: number;
  /** AWS::CloudWatch::Dashboard resources. */
  dashboards: number;
  /** AWS::Synthetics::Canary resources. */
  canaries: number;
  /** Runs per month of all canaries together, from their schedule expressions. */
  canaryRunsPerMonth: number;
  /** Memory of the canaries' functions (the largest, MB). */
  canaryMemoryMb: number;
  /** AWS::Logs::MetricFilter resources: one custom metric each (none has dimensions). */
  logMetricFilters: number;
}

export type Inventory = Record<EnvName, EnvInventory>;

const HOURS_PER_MONTH = 730;

/** Runs per month of a Synthetics schedule: "rate(5 minutes)" -> 8,760; "rate(0 minutes)" = once. */
export function runsPerMonth(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(expression.trim());
  if (!match) throw new Error(`cannot count runs of schedule "${expression}"`);
  const n = Number(match[1]);
  if (n === 0) return 1;
  const perHour = match[2]?.startsWith("minute") ? 60 / n : 1 / n;
  return Math.round(perHour * HOURS_PER_MONTH);
}

function metricsOfAlarm(properties: Record<string, unknown>): number {
  const queries = properties.Metrics as Array<{ MetricStat?: unknown }> | undefined;
  return queries ? queries.filter((q) => q.MetricStat).length : 1;
}

/** Counts over all templates of one environment. */
export function inventoryFromTemplates(templates: readonly TemplateJson[]): EnvInventory {
  const all = templates.flatMap((t) => Object.values(t.Resources ?? {}));
  const ofType = (type: string) => all.filter((r) => r.Type === type);
  const alarms = ofType("AWS::CloudWatch::Alarm");
  const canaries = ofType("AWS::Synthetics::Canary");
  const filters = ofType("AWS::Logs::MetricFilter");
  for (const f of filters) {
    const transformations = (f.Properties?.MetricTransformations ?? []) as Array<{ Dimensions?: unknown[] }>;
    if (transformations.some((m) => (m.Dimensions ?? []).length > 0)) {
      throw new Error(
        "a metric filter has dimensions: its custom metrics can no longer be counted as one each",
      );
    }
  }
  return {
    alarms: alarms.length,
    alarmMetrics: alarms.reduce((sum, a) => sum + metricsOfAlarm(a.Properties ?? {}), 0),
    dashboards: ofType("AWS::CloudWatch::Dashboard").length,
    canaries: canaries.length,
    canaryRunsPerMonth: canaries.reduce(
      (sum, c) => sum + runsPerMonth(String((c.Properties?.Schedule as { Expression?: string })?.Expression)),
      0,
    ),
    canaryMemoryMb: Math.max(
      0,
      ...canaries.map((c) =>
        Number((c.Properties?.RunConfig as { MemoryInMB?: number })?.MemoryInMB ?? 1000),
      ),
    ),
    logMetricFilters: filters.length,
  };
}

export const INVENTORY_FILE = join(dirname(fileURLToPath(import.meta.url)), "inventory.json");

export function renderInventory(inventory: Inventory): string {
  return `${JSON.stringify(inventory, null, 2)}\n`;
}

export function readInventory(): Inventory {
  return JSON.parse(readFileSync(INVENTORY_FILE, "utf8")) as Inventory;
}
