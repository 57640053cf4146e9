/**
 * What the cost model prices, COUNTED from the synthesized CloudFormation templates, never typed by
 * hand: every resource type and how many, the quantities of each cost line (catalogue.ts decides
 * which line a resource belongs to, or why it is free), and the facts a price depends on (CloudFront
 * price class, Container Insights mode, log group retention, task/instance/node sizes, AZs).
 *
 * The counts are kept in inventory.json so the model stays a pure function (npm run cost,
 * docs/costs.md). infra/aws/test/cost-catalogue.test.ts (and monitoring.test.ts) synthesize both
 * environments and fail when inventory.json differs from what the templates contain, or when a
 * resource type has neither a cost line nor a free entry.
 *
 *   npx tsx infra/aws/cost/inventory-synth.ts   rewrite inventory.json (then cost/render.ts for the docs)
 *   npm run cost:docs -w @coleta/infra-aws      both
 * This file stays free of the CDK app so the model (and deploy/test/cost.test.ts) never loads it.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { EnvName } from "../config/index.js";
import {
  type Classified,
  classifyTemplates,
  type LineId,
  type LogGroupKind,
  logGroupKinds,
  metricsOfAlarm,
  runsPerMonth,
  type TemplateJson,
} from "./catalogue.js";

export type { TemplateJson } from "./catalogue.js";
export { runsPerMonth } from "./catalogue.js";

export interface LogGroupInventory {
  readonly kind: LogGroupKind;
  /** RetentionInDays; null = never expires. */
  readonly retentionDays: number | null;
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

  /** Every resource type of the environment's templates and how many (sorted). */
  resourceTypes: Record<string, number>;
  /** Per cost line, the quantities its resources contribute (catalogue.ts), summed. */
  quantities: Partial<Record<LineId, Record<string, number>>>;
  /** Resource types with no catalogue entry, or a configuration the model does not price. Must be empty. */
  unpriced: Array<{ type: string; reason: string }>;

  /** Distinct Availability Zones of the subnets. */
  availabilityZones: number;
  /** PriceClass of the CloudFront distribution (CloudFront's default is PriceClass_All); null if none. */
  cloudfrontPriceClass: string | null;
  /** containerInsights setting of the ECS cluster(s). */
  containerInsights: "disabled" | "enabled" | "enhanced";
  /** Every log group: what writes to it and how long it keeps data. */
  logGroups: LogGroupInventory[];
  /** Days between automatic rotations of the rotated secret(s) (shortest); null if none. */
  secretRotationDays: number | null;
  /** Sizes the model bills, as the templates set them (the model takes them from config; tests compare). */
  sizes: {
    api: { cpu: number; memoryMiB: number; minTasks: number | null; maxTasks: number | null } | null;
    oneOffTasks: Array<{ cpu: number; memoryMiB: number }>;
    database: {
      instanceClass: string;
      multiAz: boolean;
      allocatedStorageGiB: number;
      backupRetentionDays: number;
      performanceInsightsRetentionDays: number | null;
      /** CloudWatch Database Insights mode (DatabaseInsightsMode; "default" when the template leaves it out). */
      databaseInsights: string;
      monitoringIntervalSeconds: number;
    } | null;
    cache: { nodeType: string; nodes: number; snapshotRetentionDays: number } | null;
  };
}

export type Inventory = Record<EnvName, EnvInventory>;

type Props = Record<string, unknown>;
const sortKeys = <T>(o: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(o).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));

function rotationDays(p: Props): number | null {
  const rules = (p.RotationRules ?? {}) as { AutomaticallyAfterDays?: number; ScheduleExpression?: string };
  if (rules.AutomaticallyAfterDays) return Number(rules.AutomaticallyAfterDays);
  const m = /^rate\((\d+) days?\)$/.exec(rules.ScheduleExpression ?? "");
  return m ? Number(m[1]) : null;
}

function sizesOf(classified: readonly Classified[]): EnvInventory["sizes"] {
  const ofType = (type: string) => classified.filter((c) => c.resource.Type === type);
  const p = (c: Classified): Props => c.resource.Properties ?? {};
  const service = ofType("AWS::ECS::Service")[0];
  const serviceTask = service ? (p(service).TaskDefinition as { Ref?: string } | undefined)?.Ref : undefined;
  const tasks = ofType("AWS::ECS::TaskDefinition");
  const size = (c: Classified) => ({ cpu: Number(p(c).Cpu), memoryMiB: Number(p(c).Memory) });
  const apiTask = tasks.find((t) => t.id === serviceTask && t.template === service?.template);
  const target = ofType("AWS::ApplicationAutoScaling::ScalableTarget").find(
    (t) => p(t).ScalableDimension === "ecs:service:DesiredCount",
  );
  const db = ofType("AWS::RDS::DBInstance")[0];
  const cache = ofType("AWS::ElastiCache::ReplicationGroup")[0];
  return {
    api: apiTask
      ? {
          ...size(apiTask),
          minTasks: target ? Number(p(target).MinCapacity) : null,
          maxTasks: target ? Number(p(target).MaxCapacity) : null,
        }
      : null,
    oneOffTasks: tasks.filter((t) => t !== apiTask).map(size),
    database: db
      ? {
          instanceClass: String(p(db).DBInstanceClass),
          multiAz: p(db).MultiAZ === true || p(db).MultiAZ === "true",
          allocatedStorageGiB: Number(p(db).AllocatedStorage),
          backupRetentionDays: Number(p(db).BackupRetentionPeriod ?? 1),
          performanceInsightsRetentionDays: p(db).EnablePerformanceInsights
            ? Number(p(db).PerformanceInsightsRetentionPeriod ?? 7)
            : null,
          monitoringIntervalSeconds: Number(p(db).MonitoringInterval ?? 0),
          databaseInsights: String(p(db).DatabaseInsightsMode ?? "default"),
        }
      : null,
    cache: cache
      ? {
          nodeType: String(p(cache).CacheNodeType),
          nodes: Number(p(cache).NumCacheClusters ?? 1),
          snapshotRetentionDays: Number(p(cache).SnapshotRetentionLimit ?? 0),
        }
      : null,
  };
}

/** Counts over all templates of one environment. */
export function inventoryFromTemplates(templates: readonly TemplateJson[]): EnvInventory {
  const classified = classifyTemplates(templates);
  const ofType = (type: string) => classified.filter((c) => c.resource.Type === type);
  const p = (c: Classified): Props => c.resource.Properties ?? {};

  const resourceTypes: Record<string, number> = {};
  const quantities: Partial<Record<LineId, Record<string, number>>> = {};
  const unpriced = new Map<string, string>();
  for (const c of classified) {
    resourceTypes[c.resource.Type] = (resourceTypes[c.resource.Type] ?? 0) + 1;
    const k = c.classification;
    if (k.kind === "cost") {
      const line = quantities[k.line] ?? {};
      quantities[k.line] = line;
      for (const [key, n] of Object.entries(k.quantities)) line[key] = (line[key] ?? 0) + n;
    } else if (k.kind === "unpriced") {
      unpriced.set(`${c.resource.Type}\u0000${k.reason}`, k.reason);
    }
  }

  const alarms = ofType("AWS::CloudWatch::Alarm");
  const canaries = ofType("AWS::Synthetics::Canary");
  const kinds = logGroupKinds(classified);
  const clusterModes = ofType("AWS::ECS::Cluster").map(
    (c) =>
      ((p(c).ClusterSettings as Array<{ Name?: string; Value?: string }>) ?? []).find(
        (s) => s.Name === "containerInsights",
      )?.Value ?? "disabled",
  );
  const distribution = ofType("AWS::CloudFront::Distribution")[0];
  const rotations = ofType("AWS::SecretsManager::RotationSchedule")
    .map((r) => rotationDays(p(r)))
    .filter((d): d is number => d !== null);
  const azs = new Set(
    ofType("AWS::EC2::Subnet")
      .map((s) => p(s).AvailabilityZone)
      .filter((az): az is string => typeof az === "string"),
  );

  return {
    alarms: alarms.length,
    alarmMetrics: alarms.reduce((sum, a) => sum + metricsOfAlarm(p(a)), 0),
    dashboards: ofType("AWS::CloudWatch::Dashboard").length,
    canaries: canaries.length,
    canaryRunsPerMonth: canaries.reduce(
      (sum, c) => sum + runsPerMonth(String((p(c).Schedule as { Expression?: string })?.Expression)),
      0,
    ),
    canaryMemoryMb: Math.max(
      0,
      ...canaries.map((c) => Number((p(c).RunConfig as { MemoryInMB?: number })?.MemoryInMB ?? 1000)),
    ),
    logMetricFilters: ofType("AWS::Logs::MetricFilter").length,

    resourceTypes: sortKeys(resourceTypes),
    quantities: sortKeys(
      Object.fromEntries(Object.entries(quantities).map(([line, q]) => [line, sortKeys(q)])),
    ) as EnvInventory["quantities"],
    unpriced: [...unpriced.entries()]
      .map(([key, reason]) => ({ type: key.split("\u0000")[0] as string, reason }))
      .sort((x, y) => (x.type < y.type ? -1 : x.type > y.type ? 1 : 0)),

    availabilityZones: azs.size,
    cloudfrontPriceClass: distribution
      ? String(
          (p(distribution).DistributionConfig as { PriceClass?: string } | undefined)?.PriceClass ??
            "PriceClass_All",
        )
      : null,
    containerInsights: clusterModes.includes("enhanced")
      ? "enhanced"
      : clusterModes.includes("enabled")
        ? "enabled"
        : "disabled",
    logGroups: ofType("AWS::Logs::LogGroup")
      .map((g) => ({
        kind: kinds.get(`${g.template}/${g.id}`) ?? "other",
        retentionDays: p(g).RetentionInDays === undefined ? null : Number(p(g).RetentionInDays),
      }))
      .sort((x, y) =>
        x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : (x.retentionDays ?? 0) - (y.retentionDays ?? 0),
      ),
    secretRotationDays: rotations.length > 0 ? Math.min(...rotations) : null,
    sizes: sizesOf(classified),
  };
}

export const INVENTORY_FILE = join(dirname(fileURLToPath(import.meta.url)), "inventory.json");

export function renderInventory(inventory: Inventory): string {
  return `${JSON.stringify(inventory, null, 2)}\n`;
}

export function readInventory(): Inventory {
  return JSON.parse(readFileSync(INVENTORY_FILE, "utf8")) as Inventory;
}
