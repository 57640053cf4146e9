/**
 * Monthly cost model of Coleta on AWS for four compute topologies, two environment sizes and
 * three traffic levels. Pure functions: no I/O, no AWS calls; prices and free allowances come from
 * prices.ts, the environment sizes from the CDK configuration (infra/aws/config), and every count of
 * deployed resources (NAT gateways, WAF rules, secrets, hosted zones, KMS keys, alarms, dashboards,
 * canaries, log groups and their retention, CloudFront price class, Container Insights…) from the
 * synthesized templates through inventory.json (inventory-synth.ts writes it; catalogue.ts says which
 * cost line each resource type belongs to, or why it is free).
 *
 * ECS on Fargate is the built default (the CDK stacks in infra/aws). EKS is built too (`-c
 * compute=eks`): its node group comes from what the EKS stack builds (eksSizes); the rest of its
 * estimate is the same design's. Lambda + API Gateway is built too (`-c compute=lambda`): its function
 * size comes from lib/constructs/lambda-settings.ts, which the Serverless stack builds from. EC2 Auto
 * Scaling is a modelled estimate.
 *
 * Everything else is derived from the explicit ASSUMPTIONS below; change them and re-run
 * `npm run cost` (table) or `npm run cost:docs -w @coleta/infra-aws` (docs/costs.md + docs/costs.svg).
 */
import { configs, type EnvName } from "../config/index.js";
import { EKS_SIZING } from "../lib/constructs/eks-sizing.js";
import { lambdaSettings } from "../lib/constructs/lambda-settings.js";
import { LINES, type LineId } from "./catalogue.js";
import type { EnvInventory, Inventory, LogGroupInventory } from "./inventory.js";
import inventory from "./inventory.json" with { type: "json" };
import { CLOUDFRONT_FLAT_RATE_PLANS, type FlatRatePlan, FREE_TIER, PRICES, type Price } from "./prices.js";

/** Counted from the synthesized templates (inventory-synth.ts writes the file). */
export const INVENTORY: Inventory = inventory as Inventory;

export const TOPOLOGIES = ["ecs-fargate", "eks", "lambda-apigw", "ec2-asg"] as const;
export type Topology = (typeof TOPOLOGIES)[number];
export const ENVIRONMENTS: readonly EnvName[] = ["dev", "prod"];
export const TRAFFIC_LEVELS = [100_000, 1_000_000, 10_000_000] as const;

export const TOPOLOGY_LABELS: Record<Topology, string> = {
  "ecs-fargate": "ECS on Fargate (chosen)",
  eks: "EKS (Kubernetes) on EC2 nodes",
  "lambda-apigw": "Lambda + API Gateway",
  "ec2-asg": "EC2 Auto Scaling group",
};

/** Built = the CDK stacks deploy it (its counts come from the templates); modelled = an estimate only. */
export const TOPOLOGY_STATUS: Record<Topology, "built" | "modelled"> = {
  "ecs-fargate": "built",
  eks: "modelled",
  "lambda-apigw": "built",
  "ec2-asg": "modelled",
};

export const HOURS_PER_MONTH = 730;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const KB_PER_GB = 1024 * 1024;

export interface Assumptions {
  /** API requests caused by one submission: form definition GET, the POST, and the team's reads
   * (lists, summaries, exports, session checks) amortized per submission. */
  apiRequestsPerSubmission: number;
  /** Static file requests that reach CloudFront per submission (HTML + assets not yet cached by
   * the browser or the service worker). Each runs a CloudFront Function (SPA routing / root redirect). */
  staticRequestsPerSubmission: number;
  /** Bytes sent to the browser per submission: static files (gzip) + API responses. */
  staticKbPerSubmission: number;
  apiKbPerRequest: number;
  /** CPU time per API request on a container (Node, validation, JSON, pg driver). */
  cpuMsPerRequest: number;
  /** Billed Lambda duration per request: wall time, including waiting for Postgres/Valkey. */
  lambdaBilledMsPerRequest: number;
  /** Busiest-hours traffic / average traffic (field campaigns happen in working hours). */
  peakToAverage: number;
  /** Share of the month spent at peak (8 busy hours a day ≈ 1/3). */
  peakShareOfMonth: number;
  /** Stored per submission (row + indexes), and how long data is kept before it is counted. */
  kbStoredPerSubmission: number;
  monthsOfDataRetained: number;
  /** Subtract the always-free allowances of prices.ts FREE_TIER (one AWS account per environment). */
  alwaysFreeTiers: boolean;
  /** Share of CloudFront traffic from viewers in South America (the respondents are in Brazil). Billed
   * at South American prices only when the distribution's price class is PriceClass_All; with 100/200
   * those viewers are served (more slowly) from North American edges at US prices. */
  viewerShareSouthAmerica: number;
  /** Structured log bytes per API request (one pino line at info). */
  logKbPerRequest: number;
  /** CloudWatch bills archived logs at their compressed size: compressed / raw for JSON logs. */
  logArchiveCompression: number;
  /** WAF writes one JSON record per inspected request (all requests: no logging filter). */
  wafLogKbPerRequest: number;
  /** Share of requests logged when the WAF logging configuration has a filter (e.g. blocked only). */
  wafLoggedShareWhenFiltered: number;
  /** VPC flow logs: records that do not scale with traffic (health checks every 15 s from every ALB
   * node, NAT, AWS APIs, pooled database connections), and the part that does (new connections). */
  flowLogBaselineGb: Record<EnvName, number>;
  flowLogMbPerMillionApiRequests: number;
  /** PostgreSQL log volume (errors, slow statements, connections) and the other small log groups. */
  databaseLogGb: Record<EnvName, number>;
  otherLogGroupGb: number;
  /** Bytes between the API and PostgreSQL / Valkey per API request (both directions together). */
  dbKbPerApiRequest: number;
  cacheKbPerApiRequest: number;
  /** Traffic through the NAT gateways that is not per-request (image pulls, AWS APIs, updates). */
  natBaselineGb: Record<EnvName, number>;
  /** Container Insights (ECS, "enabled"): custom metrics per cluster, per service and per task
   * definition family, and performance log events per running task-minute. */
  containerInsightsMetrics: { perCluster: number; perService: number; perTaskFamily: number };
  containerInsightsKbPerTaskMinute: number;
  /** RDS enhanced monitoring: OS metrics written to CloudWatch Logs (RDSOSMetrics) per sample. */
  enhancedMonitoringKbPerSample: number;
  /** Size of the built web app in S3, of the uploads + exports kept, and of the images kept in ECR. */
  webBundleMb: number;
  uploadsAndExportsGb: number;
  ecrGb: number;
  /** ALB + CloudFront access logs (gzip) in the logs bucket, per request. */
  accessLogKbPerRequest: number;
  /** Route 53 queries that are not free alias queries (db./cache. in the private zone). */
  route53QueriesPerMonthMillions: number;
  /** Wall-clock seconds of one health-check canary run (browser start, page, one answer). */
  canaryRunSeconds: number;
  /** Objects and MB a canary run writes to its artifacts bucket (log, screenshots, HAR, report), and its log. */
  canaryArtifactsPerRun: number;
  canaryArtifactsMbPerRun: number;
  canaryLogKbPerRun: number;
  /** Backend deploys a month: each runs the one-off migration task for a few minutes. */
  deploysPerMonth: number;
  migrationTaskMinutes: number;
  /** Invocations of CDK custom-resource providers (only when their resource changes) and seconds each. */
  customResourceInvocationsPerMonth: number;
  helperLambdaSeconds: number;
  /** Lambda invocations and Step Functions transitions per secret rotation (4 rotation steps; redeploy workflow). */
  rotationLambdaInvocations: number;
  rotationWorkflowTransitions: number;
  /** KMS requests a month (SNS topic encryption, key policy checks) and Secrets Manager API calls. */
  kmsRequestsPerMonth: number;
  secretsApiCallsPerMonth: number;
  /** Rotations of a rotating KMS key that are billed ($1/month each; steady state after 2 years). */
  kmsBilledRotations: number;
  /** Data held in the cache (size of one snapshot). */
  cacheSnapshotGb: number;
}

export const ASSUMPTIONS: Assumptions = {
  apiRequestsPerSubmission: 5,
  staticRequestsPerSubmission: 3,
  staticKbPerSubmission: 120,
  apiKbPerRequest: 4,
  cpuMsPerRequest: 10,
  lambdaBilledMsPerRequest: 80,
  peakToAverage: 5,
  peakShareOfMonth: 1 / 3,
  kbStoredPerSubmission: 4,
  monthsOfDataRetained: 12,
  alwaysFreeTiers: true,
  viewerShareSouthAmerica: 0.9,
  logKbPerRequest: 1,
  logArchiveCompression: 0.2,
  wafLogKbPerRequest: 1.5,
  wafLoggedShareWhenFiltered: 0.05,
  flowLogBaselineGb: { dev: 0.5, prod: 2 },
  flowLogMbPerMillionApiRequests: 20,
  databaseLogGb: { dev: 0.2, prod: 0.5 },
  otherLogGroupGb: 0.01,
  dbKbPerApiRequest: 6,
  cacheKbPerApiRequest: 1,
  natBaselineGb: { dev: 10, prod: 50 },
  containerInsightsMetrics: { perCluster: 12, perService: 15, perTaskFamily: 10 },
  containerInsightsKbPerTaskMinute: 2,
  enhancedMonitoringKbPerSample: 10,
  webBundleMb: 5,
  uploadsAndExportsGb: 5,
  ecrGb: 2,
  accessLogKbPerRequest: 0.25,
  route53QueriesPerMonthMillions: 1,
  canaryRunSeconds: 20,
  canaryArtifactsPerRun: 5,
  canaryArtifactsMbPerRun: 0.3,
  canaryLogKbPerRun: 5,
  deploysPerMonth: 20,
  migrationTaskMinutes: 3,
  customResourceInvocationsPerMonth: 2,
  helperLambdaSeconds: 5,
  rotationLambdaInvocations: 4,
  rotationWorkflowTransitions: 10,
  kmsRequestsPerMonth: 5_000,
  secretsApiCallsPerMonth: 2_000,
  kmsBilledRotations: 2,
  cacheSnapshotGb: 0.5,
};

/** Compute sizes per environment (infra/aws/config) and the counts of the synthesized templates. */
export interface Sizes {
  azs: number;
  natGateways: number;
  fargate: { vcpu: number; memoryGb: number; minTasks: number; maxTasks: number; targetUtilization: number };
  eks: { nodeType: keyof typeof PRICES.ec2; nodeVcpu: number; minNodes: number; systemVcpuPerNode: number };
  ec2: { instanceType: keyof typeof PRICES.ec2; vcpu: number; minInstances: number };
  /** The API function the Serverless stack builds (lib/constructs/lambda-settings.ts). */
  lambda: { memoryGb: number; maxConcurrency: number };
  database: {
    instanceType: keyof typeof PRICES.rds.instanceHour;
    vcpu: number;
    multiAz: boolean;
    storageGb: number;
  };
  cache: { nodeType: keyof typeof PRICES.elasticache.nodeHour; nodes: number };
  /** Days the logs bucket keeps ALB/CloudFront access logs. */
  accessLogRetentionDays: number;
  /** Everything counted from this environment's synthesized stacks. */
  monitoring: EnvInventory;
}

const RDS_VCPU: Record<keyof typeof PRICES.rds.instanceHour, number> = {
  "t4g.micro": 2,
  "t4g.small": 2,
  "t4g.medium": 2,
  "m7g.large": 2,
  "m7g.xlarge": 4,
};

/** vCPUs of the node types the EKS stack may use. */
const EC2_VCPU: Record<keyof typeof PRICES.ec2, number> = {
  "t4g.small": 2,
  "t4g.medium": 2,
  "t4g.large": 2,
  "m7g.medium": 1,
  "m7g.large": 2,
  "m7g.xlarge": 4,
};

export function eksSizes(env: EnvName): Sizes["eks"] {
  const sizing = EKS_SIZING[env];
  const nodeType = sizing.instanceType as keyof typeof PRICES.ec2;
  if (!(nodeType in PRICES.ec2)) throw new Error(`no EC2 price for ${nodeType}: add it to prices.ts`);
  return { nodeType, nodeVcpu: EC2_VCPU[nodeType], minNodes: sizing.minNodes, systemVcpuPerNode: 0.5 };
}

export function sizesFor(env: EnvName): Sizes {
  const c = configs[env];
  const inv = INVENTORY[env];
  const dbType = c.database.instanceType as keyof typeof PRICES.rds.instanceHour;
  const cacheType = c.cache.nodeType as keyof typeof PRICES.elasticache.nodeHour;
  if (!(dbType in PRICES.rds.instanceHour))
    throw new Error(`no RDS price for ${dbType}: add it to prices.ts`);
  if (!(cacheType in PRICES.elasticache.nodeHour)) throw new Error(`no cache price for ${cacheType}`);
  const prod = env === "prod";
  return {
    azs: inv.availabilityZones,
    natGateways: qty(inv, "nat", "natGateways"),
    fargate: {
      vcpu: c.api.cpu / 1024,
      memoryGb: c.api.memoryMiB / 1024,
      minTasks: c.api.minTasks,
      maxTasks: c.api.maxTasks,
      targetUtilization: c.api.cpuTargetPercent / 100,
    },
    // EKS: the node group the EKS stack builds (lib/constructs/eks-sizing.ts, which
    // infra/aws/test/eks.test.ts checks against the synthesized template).
    eks: eksSizes(env),
    // Alternatives sized for the same availability as the ECS service (one instance per AZ in prod).
    // Lambda: the function the Serverless stack builds (`-c compute=lambda`).
    lambda: {
      memoryGb: Math.round((lambdaSettings(c).memoryMiB / 1024) * 100) / 100,
      maxConcurrency: lambdaSettings(c).maxConcurrency,
    },
    ec2: { instanceType: prod ? "m7g.medium" : "t4g.small", vcpu: prod ? 1 : 2, minInstances: prod ? 2 : 1 },
    database: {
      instanceType: dbType,
      vcpu: RDS_VCPU[dbType],
      multiAz: c.database.multiAz,
      storageGb: c.database.allocatedStorageGiB,
    },
    cache: { nodeType: cacheType, nodes: c.cache.nodes },
    accessLogRetentionDays: c.storage.logRetentionDays,
    monitoring: inv,
  };
}

/** A quantity of a cost line counted from the templates (0 when the line has no resources). */
export function qty(inv: EnvInventory, line: LineId, key: string): number {
  return inv.quantities[line]?.[key] ?? 0;
}

export interface Traffic {
  submissions: number;
  apiRequests: number;
  cloudfrontRequests: number;
  cloudfrontGbOut: number;
  /** CloudFront Functions run on every non-API request (viewer request: SPA routing, root redirect). */
  functionInvocations: number;
  averageRps: number;
  peakRps: number;
}

export function trafficFor(submissions: number, a: Assumptions = ASSUMPTIONS): Traffic {
  const apiRequests = submissions * a.apiRequestsPerSubmission;
  const staticRequests = submissions * a.staticRequestsPerSubmission;
  const cloudfrontRequests = apiRequests + staticRequests;
  const kb = submissions * (a.staticKbPerSubmission + a.apiRequestsPerSubmission * a.apiKbPerRequest);
  const averageRps = apiRequests / SECONDS_PER_MONTH;
  return {
    submissions,
    apiRequests,
    cloudfrontRequests,
    cloudfrontGbOut: kb / KB_PER_GB,
    functionInvocations: staticRequests,
    averageRps,
    peakRps: averageRps * a.peakToAverage,
  };
}

export interface Component {
  /** Catalogue line this component prices (absent for lines of the modelled alternatives only). */
  line?: LineId;
  name: string;
  usd: number;
  detail: string;
  /** Quantities from the templates this component priced (compared with the templates by the tests). */
  quantities: Record<string, number>;
}

/** CloudFront flat-rate plan instead of pay-as-you-go for the edge (not in the total). */
export interface EdgeAlternative {
  plan: FlatRatePlan;
  /** Pay-as-you-go lines the plan would replace, and their sum in this estimate. */
  replaces: string[];
  payAsYouGoUsd: number;
  /** Plan price − pay-as-you-go: negative = the plan is cheaper. */
  differenceUsd: number;
}

export interface Estimate {
  topology: Topology;
  env: EnvName;
  submissions: number;
  traffic: Traffic;
  components: Component[];
  total: number;
  edgeFlatRate: EdgeAlternative;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const fmt = (n: number, digits = 1) => n.toLocaleString("en-US", { maximumFractionDigits: digits });
const cost = (price: Price, quantity: number) => price.usd * quantity;
const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n, 2)} ${n === 1 ? one : many}`;

/** Always-free allowances of one account and month, consumed in the order the lines are priced. */
class FreePool {
  private readonly left = new Map<string, number>();
  constructor(enabled: boolean) {
    for (const [service, entries] of Object.entries(FREE_TIER)) {
      for (const [k, v] of Object.entries(entries))
        this.left.set(`${service}.${k}`, enabled ? v.quantity : 0);
    }
  }
  /** Billable part of `quantity` after what is left of the allowance. */
  take(key: FreeKey, quantity: number): number {
    const available = this.left.get(key) ?? 0;
    const used = Math.min(available, Math.max(0, quantity));
    this.left.set(key, available - used);
    return quantity - used;
  }
}
type FreeKey = {
  [S in keyof typeof FREE_TIER]: `${S & string}.${keyof (typeof FREE_TIER)[S] & string}`;
}[keyof typeof FREE_TIER];

/**
 * Instance-hours for a fleet that runs `min` units off-peak and as many as the peak needs
 * (CPU at the target utilization) during the peak share of the month.
 */
function fleetHours(peakVcpuNeeded: number, vcpuPerUnit: number, min: number, max: number, a: Assumptions) {
  const atPeak = Math.min(Math.max(min, Math.ceil(peakVcpuNeeded / vcpuPerUnit)), max);
  const hours = HOURS_PER_MONTH * (a.peakShareOfMonth * atPeak + (1 - a.peakShareOfMonth) * min);
  return { atPeak, hours };
}

/** Months of data a log group holds at steady state (never expires: counted as 3 years). */
const retentionMonths = (g: Pick<LogGroupInventory, "retentionDays">) =>
  (g.retentionDays ?? 3 * 365) / (365 / 12);

export function estimate(
  topology: Topology,
  env: EnvName,
  submissions: number,
  a: Assumptions = ASSUMPTIONS,
  s: Sizes = sizesFor(env),
): Estimate {
  const t = trafficFor(submissions, a);
  const inv = s.monitoring;
  const free = new FreePool(a.alwaysFreeTiers);
  const components: Component[] = [];
  const add = (
    line: LineId | undefined,
    name: string,
    usd: number,
    detail: string,
    quantities: Record<string, number> = {},
  ) => components.push({ ...(line ? { line } : {}), name, usd: round2(usd), detail, quantities });
  const lineQuantities = (line: LineId) => ({ ...(inv.quantities[line] ?? {}) });
  /** A line of the catalogue, with what the inventory counted for it. */
  const addLine = (line: LineId, usd: number, detail: string) =>
    add(line, LINES[line], usd, detail, lineQuantities(line));
  const peakVcpu = (t.peakRps * a.cpuMsPerRequest) / 1000;
  const containers = topology !== "lambda-apigw";
  const logGroups = (kind: LogGroupInventory["kind"]) => inv.logGroups.filter((g) => g.kind === kind);
  /** Standard or vended ingestion after the free 5 GB, plus compressed storage for the retention. */
  const logsCost = (gb: number, groups: readonly LogGroupInventory[], ingest: Price) => {
    const months = groups.length > 0 ? Math.max(...groups.map(retentionMonths)) : 0;
    const stored = gb * months * a.logArchiveCompression;
    return {
      ingestUsd: cost(ingest, free.take("cloudwatch.logsGb", gb)),
      storageUsd: cost(PRICES.cloudwatch.logsStorageGbMonth, stored),
      months,
    };
  };
  const retention = (groups: readonly LogGroupInventory[]) =>
    groups.length === 0
      ? "no log group"
      : [
          ...new Set(
            groups.map((g) => (g.retentionDays === null ? "never expires" : `${g.retentionDays} d`)),
          ),
        ].join("/");

  // --- Compute (the only part that differs between topologies, plus ALB/RDS Proxy) ---
  let taskHours = 0;
  if (topology === "ecs-fargate") {
    const f = s.fargate;
    const fleet = fleetHours(peakVcpu / f.targetUtilization, f.vcpu, f.minTasks, f.maxTasks, a);
    taskHours = fleet.hours;
    const oneOff = inv.sizes.oneOffTasks;
    const oneOffHours = (a.deploysPerMonth * a.migrationTaskMinutes) / 60;
    const oneOffUsd = oneOff.reduce(
      (sum, task) =>
        sum +
        cost(PRICES.fargate.vcpuHourArm, (oneOffHours * task.cpu) / 1024) +
        cost(PRICES.fargate.gbHourArm, (oneOffHours * task.memoryMiB) / 1024),
      0,
    );
    add(
      "compute",
      "Compute: Fargate ARM64 tasks",
      cost(PRICES.fargate.vcpuHourArm, fleet.hours * f.vcpu) +
        cost(PRICES.fargate.gbHourArm, fleet.hours * f.memoryGb) +
        oneOffUsd,
      `${f.vcpu} vCPU/${f.memoryGb} GB tasks, ${f.minTasks} off-peak, ${fleet.atPeak} at peak, ${fmt(fleet.hours, 0)} task-h; migration task ${a.deploysPerMonth}x${a.migrationTaskMinutes} min`,
      lineQuantities("compute"),
    );
  } else if (topology === "eks") {
    const e = s.eks;
    const usable = e.nodeVcpu - e.systemVcpuPerNode;
    const fleet = fleetHours(peakVcpu / s.fargate.targetUtilization, usable, e.minNodes, 50, a);
    taskHours = fleet.hours;
    add(undefined, "Compute: EKS control plane", cost(PRICES.eks.clusterHour, HOURS_PER_MONTH), "1 cluster");
    add(
      undefined,
      "Compute: EKS worker nodes",
      cost(PRICES.ec2[e.nodeType], fleet.hours),
      `${e.nodeType}, ${e.minNodes} off-peak, ${fleet.atPeak} at peak (${e.systemVcpuPerNode} vCPU/node for system pods)`,
    );
  } else if (topology === "ec2-asg") {
    const e = s.ec2;
    const fleet = fleetHours(peakVcpu / s.fargate.targetUtilization, e.vcpu, e.minInstances, 50, a);
    taskHours = fleet.hours;
    add(
      undefined,
      "Compute: EC2 instances (ASG)",
      cost(PRICES.ec2[e.instanceType], fleet.hours),
      `${e.instanceType}, ${e.minInstances} off-peak, ${fleet.atPeak} at peak`,
    );
  } else {
    const gbSeconds = (t.apiRequests * a.lambdaBilledMsPerRequest * s.lambda.memoryGb) / 1000;
    add(
      undefined,
      "Compute: Lambda ARM64",
      cost(PRICES.lambda.requestsPerMillion, free.take("lambda.requests", t.apiRequests) / 1e6) +
        cost(PRICES.lambda.gbSecondArm, free.take("lambda.gbSeconds", gbSeconds)),
      `${fmt(t.apiRequests / 1e6, 2)}M invocations x ${a.lambdaBilledMsPerRequest} ms x ${s.lambda.memoryGb} GB, after the free 1M requests / 400,000 GB-s`,
    );
    add(
      undefined,
      "API Gateway HTTP API",
      cost(PRICES.apiGateway.httpApiPerMillion, t.apiRequests / 1e6),
      `${fmt(t.apiRequests / 1e6, 2)}M requests`,
    );
    add(
      undefined,
      "RDS Proxy (connection pooling for Lambda)",
      cost(PRICES.rds.proxyVcpuHour, Math.max(2, s.database.vcpu) * HOURS_PER_MONTH),
      `${Math.max(2, s.database.vcpu)} vCPU of the DB instance`,
    );
  }

  if (containers) {
    // LCU: max of 25 new connections/s, 3,000 active connections/min, 1 GB/hour, 1,000 rule
    // evaluations/s. Behind CloudFront connections are reused, so bytes usually dominate.
    const albs = Math.max(1, qty(inv, "alb", "loadBalancers"));
    const gbPerHour = (t.apiRequests * a.apiKbPerRequest) / KB_PER_GB / HOURS_PER_MONTH;
    const lcu = Math.max(gbPerHour, t.averageRps / 25, 0.1);
    addLine(
      "alb",
      cost(PRICES.alb.hour, albs * HOURS_PER_MONTH) +
        cost(PRICES.alb.lcuHour, lcu * HOURS_PER_MONTH) +
        cost(PRICES.vpc.publicIpv4Hour, albs * s.azs * HOURS_PER_MONTH),
      `${albs} ALB, ~${fmt(lcu, 2)} LCU avg, ${albs * s.azs} public IPv4 addresses (one per AZ)`,
    );
  }

  // --- Network ---
  const apiLogGb = (t.apiRequests * a.logKbPerRequest) / KB_PER_GB;
  // Lambda ships its logs outside the VPC; containers send logs and pull images through NAT.
  const natGb = a.natBaselineGb[env] + (containers ? apiLogGb : 0);
  const elasticIps = qty(inv, "nat", "elasticIps");
  add(
    "nat",
    "NAT gateways",
    cost(PRICES.vpc.natGatewayHour, s.natGateways * HOURS_PER_MONTH) +
      cost(PRICES.vpc.natGatewayGb, natGb) +
      cost(PRICES.vpc.publicIpv4Hour, elasticIps * HOURS_PER_MONTH),
    `${s.natGateways} NAT gateway(s) + ${elasticIps} Elastic IP(s), ${fmt(natGb)} GB processed`,
    lineQuantities("nat"),
  );
  const endpoints = qty(inv, "vpcEndpoints", "interfaceEndpoints");
  if (endpoints > 0) {
    const azHours = qty(inv, "vpcEndpoints", "endpointAzs") * HOURS_PER_MONTH;
    addLine(
      "vpcEndpoints",
      cost(PRICES.vpc.interfaceEndpointAzHour, azHours),
      `${endpoints} interface endpoint(s) in ${qty(inv, "vpcEndpoints", "endpointAzs")} AZ-subnets (traffic still counted at the NAT)`,
    );
  }
  // Tasks (or functions) spread over the AZs; the database primary and the cache primary live in one
  // of them, so (AZs − 1)/AZs of that traffic crosses a zone. ALB → tasks across AZs is free.
  const crossShare = s.azs > 1 ? (s.azs - 1) / s.azs : 0;
  const dbCrossGb = ((t.apiRequests * a.dbKbPerApiRequest) / KB_PER_GB) * crossShare;
  const cacheCrossGb = ((t.apiRequests * a.cacheKbPerApiRequest) / KB_PER_GB) * crossShare;
  const natCrossGb = containers && s.azs > s.natGateways ? (natGb * (s.azs - s.natGateways)) / s.azs : 0;
  add(
    "crossAz",
    LINES.crossAz,
    cost(PRICES.dataTransfer.crossAzGbPerSide, dbCrossGb * 2 + cacheCrossGb + natCrossGb * 2),
    `${fmt(dbCrossGb)} GB API↔database (billed on both sides), ${fmt(cacheCrossGb)} GB API↔cache (client side only), ${fmt(natCrossGb)} GB to another AZ's NAT; ALB→targets and Multi-AZ replication free`,
    { availabilityZones: s.azs },
  );

  // --- Data (same for every topology) ---
  const d = s.database;
  const instanceFactor = d.multiAz ? PRICES.rds.multiAzInstanceFactor.usd : 1;
  const dataGb = (submissions * a.kbStoredPerSubmission * a.monthsOfDataRetained) / KB_PER_GB;
  const storageGb = Math.max(d.storageGb, Math.ceil(dataGb * 1.5));
  const monitoringInterval = inv.sizes.database?.monitoringIntervalSeconds ?? 0;
  const osMetricsGb =
    monitoringInterval > 0
      ? ((SECONDS_PER_MONTH / monitoringInterval) * a.enhancedMonitoringKbPerSample) / KB_PER_GB
      : 0;
  const piDays = inv.sizes.database?.performanceInsightsRetentionDays ?? null;
  const advancedInsights = qty(inv, "rds", "databaseInsightsAdvanced");
  addLine(
    "rds",
    cost(PRICES.rds.instanceHour[d.instanceType], HOURS_PER_MONTH * instanceFactor) +
      cost(PRICES.rds.storageGbMonth, storageGb * (d.multiAz ? 2 : 1)) +
      cost(PRICES.cloudwatch.logsIngestGb, free.take("cloudwatch.logsGb", osMetricsGb)) +
      cost(PRICES.rds.databaseInsightsAdvancedVcpuHour, advancedInsights * d.vcpu * HOURS_PER_MONTH),
    `db.${d.instanceType}${d.multiAz ? " Multi-AZ" : ""}, ${storageGb} GB gp3 (backups within the free allowance)${monitoringInterval > 0 ? `, enhanced monitoring every ${monitoringInterval} s (${fmt(osMetricsGb, 2)} GB of OS metrics logs)` : ""}${advancedInsights > 0 ? `, Database Insights advanced (${d.vcpu} vCPU)` : piDays ? `, Database Insights standard, ${piDays} d (free)` : ""}`,
  );
  const cacheSnapshots = Math.max(0, (inv.sizes.cache?.snapshotRetentionDays ?? 0) - 1);
  addLine(
    "cache",
    cost(PRICES.elasticache.nodeHour[s.cache.nodeType], s.cache.nodes * HOURS_PER_MONTH) +
      cost(PRICES.elasticache.backupGbMonth, cacheSnapshots * a.cacheSnapshotGb),
    `${s.cache.nodes} x ${s.cache.nodeType}, ${cacheSnapshots} billed snapshot(s) of ${a.cacheSnapshotGb} GB`,
  );

  // --- Edge ---
  const priceClass = inv.cloudfrontPriceClass ?? "PriceClass_All";
  const saShare = priceClass === "PriceClass_All" ? a.viewerShareSouthAmerica : 0;
  const mix = (us: Price, sa: Price) => (1 - saShare) * us.usd + saShare * sa.usd;
  const cfGb = free.take("cloudfront.gbOut", t.cloudfrontGbOut);
  const cfRequests = free.take("cloudfront.requests", t.cloudfrontRequests);
  const functionRuns = qty(inv, "cloudfront", "functions") > 0 ? t.functionInvocations : 0;
  const cfFunctions = free.take("cloudfront.functionInvocations", functionRuns);
  const cloudfrontUsd =
    cfGb * mix(PRICES.cloudfront.gbOut, PRICES.cloudfront.gbOutSouthAmerica) +
    (cfRequests / 10_000) *
      mix(PRICES.cloudfront.httpsRequestsPer10k, PRICES.cloudfront.httpsRequestsPer10kSouthAmerica) +
    cost(PRICES.cloudfront.functionInvocationsPerMillion, cfFunctions / 1e6);
  addLine(
    "cloudfront",
    cloudfrontUsd,
    `${fmt(t.cloudfrontGbOut)} GB out, ${fmt(t.cloudfrontRequests / 1e6, 2)}M requests, ${fmt(functionRuns / 1e6, 2)}M function runs; ${priceClass}: ${Math.round(saShare * 100)}% at South American prices; billed after the free 1 TB / 10M requests / 2M function runs: ${fmt(cfGb)} GB, ${fmt(cfRequests / 1e6, 2)}M requests`,
  );
  const webAcls = qty(inv, "waf", "webAcls");
  const wafRules = qty(inv, "waf", "rules");
  const wafUsd =
    cost(PRICES.waf.webAclMonth, webAcls) +
    cost(PRICES.waf.ruleMonth, wafRules) +
    cost(PRICES.waf.requestsPerMillion, webAcls > 0 ? t.cloudfrontRequests / 1e6 : 0);
  addLine(
    "waf",
    wafUsd,
    `${webAcls} web ACL, ${wafRules} rules, ${fmt(t.cloudfrontRequests / 1e6, 2)}M requests inspected`,
  );
  const wafLogged = qty(inv, "wafLogs", "loggingConfigurations") > 0;
  const wafLogGb = wafLogged
    ? ((t.cloudfrontRequests * a.wafLogKbPerRequest) / KB_PER_GB) *
      (qty(inv, "wafLogs", "filtered") > 0 ? a.wafLoggedShareWhenFiltered : 1)
    : 0;
  const wafLogs = logsCost(wafLogGb, logGroups("waf"), PRICES.cloudwatch.vendedLogsIngestGb);
  addLine(
    "wafLogs",
    wafLogs.ingestUsd + wafLogs.storageUsd,
    `${fmt(wafLogGb, 2)} GB/month of WAF records (vended), kept ${retention(logGroups("waf"))}`,
  );
  const accessLogGb = ((t.cloudfrontRequests + t.apiRequests) * a.accessLogKbPerRequest) / KB_PER_GB;
  const s3StoredGb =
    a.webBundleMb / 1024 + a.uploadsAndExportsGb + (accessLogGb * s.accessLogRetentionDays) / (365 / 12);
  addLine(
    "s3",
    cost(PRICES.s3.storageGbMonth, s3StoredGb) +
      cost(PRICES.s3.getPer1k, (submissions * a.staticRequestsPerSubmission) / 1000) +
      cost(PRICES.s3.putPer1k, 10),
    `${qty(inv, "s3", "buckets")} buckets, ${fmt(s3StoredGb)} GB (access logs kept ${s.accessLogRetentionDays} d); GETs on cache misses (upper bound: every static request)`,
  );
  const zones = qty(inv, "route53", "hostedZones");
  addLine(
    "route53",
    cost(PRICES.route53.hostedZoneMonth, zones) +
      cost(PRICES.route53.queriesPerMillion, a.route53QueriesPerMonthMillions),
    `${zones} zones (${zones - qty(inv, "route53", "privateZones")} public + ${qty(inv, "route53", "privateZones")} private); alias queries are free`,
  );

  // --- Operations ---
  const apiLogs = logsCost(apiLogGb, logGroups("api"), PRICES.cloudwatch.logsIngestGb);
  addLine(
    "apiLogs",
    apiLogs.ingestUsd + apiLogs.storageUsd,
    `${fmt(apiLogGb, 2)} GB/month, kept ${retention(logGroups("api"))} (compressed ${Math.round(a.logArchiveCompression * 100)}%)`,
  );
  const flowLogGb =
    qty(inv, "flowLogs", "flowLogs") > 0
      ? a.flowLogBaselineGb[env] + (t.apiRequests / 1e6) * (a.flowLogMbPerMillionApiRequests / 1024)
      : 0;
  const flowLogs = logsCost(flowLogGb, logGroups("vpc-flow-logs"), PRICES.cloudwatch.vendedLogsIngestGb);
  addLine(
    "flowLogs",
    flowLogs.ingestUsd + flowLogs.storageUsd,
    `${qty(inv, "flowLogs", "flowLogs")} flow log (all traffic), ${fmt(flowLogGb, 2)} GB/month (vended), kept ${retention(logGroups("vpc-flow-logs"))}`,
  );
  const otherGroups = inv.logGroups.filter((g) => !["api", "waf", "vpc-flow-logs"].includes(g.kind));
  const databaseGroups = otherGroups.filter((g) => g.kind === "database");
  const otherGb =
    (databaseGroups.length > 0 ? a.databaseLogGb[env] : 0) +
    (otherGroups.length - databaseGroups.length) * a.otherLogGroupGb;
  const other = logsCost(otherGb, otherGroups, PRICES.cloudwatch.logsIngestGb);
  addLine(
    "otherLogs",
    other.ingestUsd + other.storageUsd,
    `${otherGroups.length} log groups (${[...new Set(otherGroups.map((g) => g.kind))].join(", ") || "none"}), ${fmt(otherGb, 2)} GB/month, kept ${retention(otherGroups)}`,
  );

  const m = inv;
  const logMetrics = qty(inv, "cloudwatch", "logMetrics");
  const compositeAlarms = qty(inv, "cloudwatch", "compositeAlarms");
  addLine(
    "cloudwatch",
    cost(PRICES.cloudwatch.alarmMonth, free.take("cloudwatch.alarmMetrics", m.alarmMetrics)) +
      cost(PRICES.cloudwatch.compositeAlarmMonth, compositeAlarms) +
      cost(PRICES.cloudwatch.dashboardMonth, free.take("cloudwatch.dashboards", m.dashboards)) +
      cost(PRICES.cloudwatch.customMetricMonth, free.take("cloudwatch.metrics", logMetrics)),
    `${m.alarms} alarms (${m.alarmMetrics} metrics), ${plural(m.dashboards, "dashboard")}, ${m.logMetricFilters} log metrics; after the free 10 alarm metrics / 3 dashboards / 10 metrics`,
  );
  if (containers && inv.containerInsights !== "disabled") {
    if (inv.containerInsights === "enhanced")
      throw new Error("Container Insights with enhanced observability is not modelled: add its price");
    const ci = a.containerInsightsMetrics;
    const clusters = Math.max(1, qty(inv, "containerInsights", "clusters"));
    const services = Math.max(1, qty(inv, "compute", "services"));
    const metrics = clusters * ci.perCluster + services * (ci.perService + ci.perTaskFamily);
    const ciGb = (taskHours * 60 * a.containerInsightsKbPerTaskMinute) / KB_PER_GB;
    add(
      "containerInsights",
      LINES.containerInsights,
      cost(PRICES.cloudwatch.customMetricMonth, free.take("cloudwatch.metrics", metrics)) +
        cost(PRICES.cloudwatch.logsIngestGb, free.take("cloudwatch.logsGb", ciGb)),
      `${metrics} custom metrics (${clusters} cluster, ${services} service), ${fmt(ciGb, 2)} GB of performance events${topology === "ecs-fargate" ? "" : " (modelled: the same visibility on this platform)"}`,
      topology === "ecs-fargate" ? lineQuantities("containerInsights") : {},
    );
  }
  const runs = m.canaryRunsPerMonth;
  const canaryGbSeconds = runs * a.canaryRunSeconds * (m.canaryMemoryMb / 1024);
  addLine(
    "synthetics",
    cost(PRICES.cloudwatch.canaryRun, free.take("cloudwatch.canaryRuns", runs)) +
      cost(PRICES.lambda.gbSecondX86, free.take("lambda.gbSeconds", canaryGbSeconds)) +
      cost(PRICES.lambda.requestsPerMillion, free.take("lambda.requests", runs) / 1e6) +
      cost(PRICES.s3.putPer1k, (runs * a.canaryArtifactsPerRun) / 1000) +
      cost(PRICES.s3.storageGbMonth, (runs * a.canaryArtifactsMbPerRun) / 1024) +
      cost(
        PRICES.cloudwatch.logsIngestGb,
        free.take("cloudwatch.logsGb", (runs * a.canaryLogKbPerRun) / KB_PER_GB),
      ),
    `${m.canaries} canar${m.canaries === 1 ? "y" : "ies"}, ${fmt(runs, 0)} runs x ${a.canaryRunSeconds} s at ${m.canaryMemoryMb} MB (Lambda GB-s after the free tier), artifacts in S3`,
  );
  const secrets = qty(inv, "secrets", "secrets");
  addLine(
    "secrets",
    cost(PRICES.secretsManager.secretMonth, secrets) +
      cost(PRICES.secretsManager.apiCallsPer10k, secrets > 0 ? a.secretsApiCallsPerMonth / 10_000 : 0),
    `${plural(secrets, "secret")}, ~${fmt(a.secretsApiCallsPerMonth, 0)} API calls`,
  );
  const keys = qty(inv, "kms", "keys");
  const rotating = qty(inv, "kms", "rotatingKeys");
  addLine(
    "kms",
    cost(PRICES.kms.keyMonth, keys) +
      cost(PRICES.kms.rotationMonth, rotating * a.kmsBilledRotations) +
      cost(
        PRICES.kms.requestsPer10k,
        keys > 0 ? free.take("kms.requests", a.kmsRequestsPerMonth) / 10_000 : 0,
      ),
    `${plural(keys, "customer managed key")} (${rotating} rotating: +${a.kmsBilledRotations} backing keys at steady state), ~${fmt(a.kmsRequestsPerMonth, 0)} requests (20,000 free)`,
  );
  addLine(
    "ecr",
    cost(PRICES.ecr.storageGbMonth, a.ecrGb),
    `${plural(qty(inv, "ecr", "repositories"), "repository", "repositories")}, ${a.ecrGb} GB of images`,
  );
  const rotationsPerMonth = inv.secretRotationDays ? DAYS_PER_MONTH / inv.secretRotationDays : 0;
  const helperInvocations =
    qty(inv, "helpers", "customResources") * a.customResourceInvocationsPerMonth +
    qty(inv, "helpers", "rotationSchedules") * rotationsPerMonth * a.rotationLambdaInvocations;
  const helperGbSeconds = helperInvocations * a.helperLambdaSeconds * 0.128;
  const transitions =
    qty(inv, "helpers", "stateMachines") * rotationsPerMonth * a.rotationWorkflowTransitions;
  addLine(
    "helpers",
    cost(PRICES.lambda.requestsPerMillion, free.take("lambda.requests", helperInvocations) / 1e6) +
      cost(PRICES.lambda.gbSecondX86, free.take("lambda.gbSeconds", helperGbSeconds)) +
      cost(
        PRICES.stepFunctions.standardTransitionsPer1k,
        free.take("stepFunctions.transitions", transitions) / 1000,
      ),
    `${qty(inv, "helpers", "lambdaFunctions")} function(s) + ${qty(inv, "helpers", "customResources")} custom resource(s) + ${qty(inv, "helpers", "rotationSchedules")} hosted rotation(s): ~${fmt(helperInvocations, 0)} invocations; ${fmt(transitions, 0)} workflow transitions — within the always-free Lambda and Step Functions allowances`,
  );

  const total = round2(components.reduce((sum, c) => sum + c.usd, 0));
  const replaced = new Set<LineId>(["cloudfront", "waf"]);
  const payAsYouGoUsd = round2(
    components.filter((c) => c.line && replaced.has(c.line)).reduce((sum, c) => sum + c.usd, 0) +
      wafLogs.ingestUsd +
      cost(PRICES.route53.hostedZoneMonth, zones - qty(inv, "route53", "privateZones")),
  );
  const plan = flatRatePlanFor(t.cloudfrontRequests, t.cloudfrontGbOut);
  return {
    topology,
    env,
    submissions,
    traffic: t,
    components,
    total,
    edgeFlatRate: {
      plan,
      replaces: [LINES.cloudfront, LINES.waf, "WAF log ingestion", "the public hosted zone"],
      payAsYouGoUsd,
      differenceUsd: round2(plan.usdMonth - payAsYouGoUsd),
    },
  };
}

/** The cheapest CloudFront flat-rate plan whose allowances cover the month (the largest otherwise). */
export function flatRatePlanFor(requests: number, gbOut: number): FlatRatePlan {
  const plans = [...CLOUDFRONT_FLAT_RATE_PLANS].sort((x, y) => x.usdMonth - y.usdMonth);
  return (plans.find((p) => p.requests >= requests && p.gbOut >= gbOut) ??
    plans[plans.length - 1]) as FlatRatePlan;
}

/** One estimate per traffic level (TRAFFIC_LEVELS, in order) of a topology in one environment. */
export function estimatesByTraffic(
  topology: Topology,
  env: EnvName,
  a: Assumptions = ASSUMPTIONS,
): Estimate[] {
  return TRAFFIC_LEVELS.map((n) => estimate(topology, env, n, a));
}

export function estimateAll(a: Assumptions = ASSUMPTIONS): Estimate[] {
  return TOPOLOGIES.flatMap((topology) =>
    ENVIRONMENTS.flatMap((env) => estimatesByTraffic(topology, env, a)),
  );
}

/**
 * The resources of both environments that the catalogue neither prices nor calls free (the tests
 * fail on any): `npm run cost` lists them, docs/costs.md tables them.
 */
export function unpricedResources(): Array<{ env: EnvName; type: string; reason: string }> {
  return ENVIRONMENTS.flatMap((env) => INVENTORY[env].unpriced.map((u) => ({ env, ...u })));
}

export function formatUsd(n: number): string {
  const rounded = Math.round(n);
  return `${rounded < 0 ? "-" : ""}$${Math.abs(rounded).toLocaleString("en-US")}`;
}

export function formatSubmissions(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;
}

/**
 * The monthly totals: a header row, then one row per topology (label, status, then the total for
 * each environment × submissions per month). `npm run cost` prints it; docs/costs.md shows it.
 */
export function totalsTable(): string[][] {
  return [
    [
      "Topology",
      "Status",
      ...ENVIRONMENTS.flatMap((env) => TRAFFIC_LEVELS.map((n) => `${env} ${formatSubmissions(n)}`)),
    ],
    ...TOPOLOGIES.map((t) => [
      TOPOLOGY_LABELS[t],
      TOPOLOGY_STATUS[t],
      ...ENVIRONMENTS.flatMap((env) => estimatesByTraffic(t, env).map((e) => formatUsd(e.total))),
    ]),
  ];
}
