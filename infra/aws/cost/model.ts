/**
 * Monthly cost model of Coleta on AWS for four compute topologies, two environment sizes and
 * three traffic levels. Pure functions: no I/O, no AWS calls; prices come from prices.ts and
 * the environment sizes from the CDK configuration (infra/aws/config), so the estimate follows
 * what the stacks actually deploy.
 *
 * Everything is derived from the explicit ASSUMPTIONS below; change them and re-run
 * `npm run cost` (table) or `npm run cost:docs -w @coleta/infra-aws` (docs/costs.md + docs/costs.svg).
 * Monitoring resources (alarms, dashboards, canaries, log metric filters) are counted from the
 * synthesized templates by inventory-synth.ts (inventory.json), not assumed.
 */
import { configs, type EnvName } from "../config/index.js";
import type { EnvInventory, Inventory } from "./inventory.js";
import inventory from "./inventory.json" with { type: "json" };
import { PRICES, type Price } from "./prices.js";

/** Monitoring resources counted from the synthesized templates (inventory-synth.ts writes the file). */
export const INVENTORY: Inventory = inventory;

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

export const HOURS_PER_MONTH = 730;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

export interface Assumptions {
  /** API requests caused by one submission: form definition GET, the POST, and the team's reads
   * (lists, summaries, exports, session checks) amortized per submission. */
  apiRequestsPerSubmission: number;
  /** Static file requests that reach CloudFront per submission (HTML + assets not yet cached by
   * the browser or the service worker). */
  staticRequestsPerSubmission: number;
  /** Bytes sent to the browser per submission: static files (gzip) + API responses. */
  staticKbPerSubmission: number;
  apiKbPerRequest: number;
  /** CPU time per API request on a container (Node, validation, JSON, pg driver). */
  cpuMsPerRequest: number;
  /** Billed Lambda duration per request: wall time, including waiting for Postgres/Valkey. */
  lambdaBilledMsPerRequest: number;
  lambdaMemoryGb: number;
  /** Busiest-hours traffic / average traffic (field campaigns happen in working hours). */
  peakToAverage: number;
  /** Share of the month spent at peak (8 busy hours a day ≈ 1/3). */
  peakShareOfMonth: number;
  /** Stored per submission (row + indexes), and how long data is kept before it is counted. */
  kbStoredPerSubmission: number;
  monthsOfDataRetained: number;
  /** Structured log bytes per API request (one pino line at info). */
  logKbPerRequest: number;
  /** Traffic through the NAT gateways that is not per-request (image pulls, AWS APIs, updates). */
  natBaselineGb: Record<EnvName, number>;
  /** Size of the built web app in S3 and of the images kept in ECR. */
  webBundleMb: number;
  ecrGb: number;
  /** Route 53 queries that are not free alias queries (db./cache. in the private zone). */
  route53QueriesPerMonthMillions: number;
  /** Wall-clock seconds of one health-check canary run (browser start, page, one answer). */
  canaryRunSeconds: number;
  /** Objects a canary run writes to its artifacts bucket (log, screenshots, HAR, report). */
  canaryArtifactsPerRun: number;
  /** Counts of the CDK stacks not (yet) read from the templates. Alarms, dashboards, canaries and
   * log metric filters are: see INVENTORY. */
  wafRules: number;
  secrets: number;
  hostedZones: number;
}

export const ASSUMPTIONS: Assumptions = {
  apiRequestsPerSubmission: 5,
  staticRequestsPerSubmission: 3,
  staticKbPerSubmission: 120,
  apiKbPerRequest: 4,
  cpuMsPerRequest: 10,
  lambdaBilledMsPerRequest: 80,
  lambdaMemoryGb: 1,
  peakToAverage: 5,
  peakShareOfMonth: 1 / 3,
  kbStoredPerSubmission: 4,
  monthsOfDataRetained: 12,
  logKbPerRequest: 1,
  natBaselineGb: { dev: 10, prod: 50 },
  webBundleMb: 5,
  ecrGb: 2,
  route53QueriesPerMonthMillions: 1,
  canaryRunSeconds: 20,
  canaryArtifactsPerRun: 5,
  wafRules: 5,
  secrets: 3,
  hostedZones: 2,
};

/** Compute sizes per environment. ECS/database/cache/network come from infra/aws/config. */
export interface Sizes {
  azs: number;
  natGateways: number;
  fargate: { vcpu: number; memoryGb: number; minTasks: number; maxTasks: number; targetUtilization: number };
  eks: { nodeType: keyof typeof PRICES.ec2; nodeVcpu: number; minNodes: number; systemVcpuPerNode: number };
  ec2: { instanceType: keyof typeof PRICES.ec2; vcpu: number; minInstances: number };
  database: {
    instanceType: keyof typeof PRICES.rds.instanceHour;
    vcpu: number;
    multiAz: boolean;
    storageGb: number;
  };
  cache: { nodeType: keyof typeof PRICES.elasticache.nodeHour; nodes: number };
  /** Alarms, dashboards, canaries, log metric filters of this environment's synthesized stacks. */
  monitoring: EnvInventory;
}

const RDS_VCPU: Record<keyof typeof PRICES.rds.instanceHour, number> = {
  "t4g.micro": 2,
  "t4g.small": 2,
  "t4g.medium": 2,
  "m7g.large": 2,
  "m7g.xlarge": 4,
};

export function sizesFor(env: EnvName): Sizes {
  const c = configs[env];
  const dbType = c.database.instanceType as keyof typeof PRICES.rds.instanceHour;
  const cacheType = c.cache.nodeType as keyof typeof PRICES.elasticache.nodeHour;
  if (!(dbType in PRICES.rds.instanceHour))
    throw new Error(`no RDS price for ${dbType}: add it to prices.ts`);
  if (!(cacheType in PRICES.elasticache.nodeHour)) throw new Error(`no cache price for ${cacheType}`);
  const prod = env === "prod";
  return {
    azs: c.network.availabilityZones.length,
    natGateways: c.network.natGateways,
    fargate: {
      vcpu: c.api.cpu / 1024,
      memoryGb: c.api.memoryMiB / 1024,
      minTasks: c.api.minTasks,
      maxTasks: c.api.maxTasks,
      targetUtilization: c.api.cpuTargetPercent / 100,
    },
    // Alternatives sized for the same availability as the ECS service (one node/instance per
    // AZ in prod) — the smallest sensible choice, not a straw man.
    eks: {
      nodeType: prod ? "t4g.large" : "t4g.medium",
      nodeVcpu: 2,
      minNodes: prod ? 3 : 1,
      systemVcpuPerNode: 0.5,
    },
    ec2: { instanceType: prod ? "m7g.medium" : "t4g.small", vcpu: prod ? 1 : 2, minInstances: prod ? 2 : 1 },
    database: {
      instanceType: dbType,
      vcpu: RDS_VCPU[dbType],
      multiAz: c.database.multiAz,
      storageGb: c.database.allocatedStorageGiB,
    },
    cache: { nodeType: cacheType, nodes: c.cache.nodes },
    monitoring: INVENTORY[env],
  };
}

export interface Traffic {
  submissions: number;
  apiRequests: number;
  cloudfrontRequests: number;
  cloudfrontGbOut: number;
  averageRps: number;
  peakRps: number;
}

export function trafficFor(submissions: number, a: Assumptions = ASSUMPTIONS): Traffic {
  const apiRequests = submissions * a.apiRequestsPerSubmission;
  const cloudfrontRequests = apiRequests + submissions * a.staticRequestsPerSubmission;
  const kb = submissions * (a.staticKbPerSubmission + a.apiRequestsPerSubmission * a.apiKbPerRequest);
  const averageRps = apiRequests / SECONDS_PER_MONTH;
  return {
    submissions,
    apiRequests,
    cloudfrontRequests,
    cloudfrontGbOut: kb / 1024 / 1024,
    averageRps,
    peakRps: averageRps * a.peakToAverage,
  };
}

export interface Component {
  name: string;
  usd: number;
  detail: string;
}

export interface Estimate {
  topology: Topology;
  env: EnvName;
  submissions: number;
  traffic: Traffic;
  components: Component[];
  total: number;
}

const cost = (price: Price, quantity: number) => price.usd * quantity;
const round2 = (n: number) => Math.round(n * 100) / 100;
const fmt = (n: number, digits = 1) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

/**
 * Instance-hours for a fleet that runs `min` units off-peak and as many as the peak needs
 * (CPU at the target utilization) during the peak share of the month.
 */
function fleetHours(peakVcpuNeeded: number, vcpuPerUnit: number, min: number, max: number, a: Assumptions) {
  const atPeak = Math.min(Math.max(min, Math.ceil(peakVcpuNeeded / vcpuPerUnit)), max);
  const hours = HOURS_PER_MONTH * (a.peakShareOfMonth * atPeak + (1 - a.peakShareOfMonth) * min);
  return { atPeak, hours };
}

export function estimate(
  topology: Topology,
  env: EnvName,
  submissions: number,
  a: Assumptions = ASSUMPTIONS,
  s: Sizes = sizesFor(env),
): Estimate {
  const t = trafficFor(submissions, a);
  const components: Component[] = [];
  const add = (name: string, usd: number, detail: string) =>
    components.push({ name, usd: round2(usd), detail });
  const peakVcpu = (t.peakRps * a.cpuMsPerRequest) / 1000;

  // --- Compute (the only part that differs between topologies, plus ALB/RDS Proxy) ---
  const needsAlb = topology !== "lambda-apigw";
  if (topology === "ecs-fargate") {
    const f = s.fargate;
    const fleet = fleetHours(peakVcpu / f.targetUtilization, f.vcpu, f.minTasks, f.maxTasks, a);
    add(
      "Compute: Fargate ARM64 tasks",
      cost(PRICES.fargate.vcpuHourArm, fleet.hours * f.vcpu) +
        cost(PRICES.fargate.gbHourArm, fleet.hours * f.memoryGb),
      `${f.vcpu} vCPU/${f.memoryGb} GB tasks, ${f.minTasks} off-peak, ${fleet.atPeak} at peak, ${fmt(fleet.hours, 0)} task-h`,
    );
  } else if (topology === "eks") {
    const e = s.eks;
    const usable = e.nodeVcpu - e.systemVcpuPerNode;
    const fleet = fleetHours(peakVcpu / s.fargate.targetUtilization, usable, e.minNodes, 50, a);
    add("Compute: EKS control plane", cost(PRICES.eks.clusterHour, HOURS_PER_MONTH), "1 cluster");
    add(
      "Compute: EKS worker nodes",
      cost(PRICES.ec2[e.nodeType], fleet.hours),
      `${e.nodeType}, ${e.minNodes} off-peak, ${fleet.atPeak} at peak (${e.systemVcpuPerNode} vCPU/node for system pods)`,
    );
  } else if (topology === "ec2-asg") {
    const e = s.ec2;
    const fleet = fleetHours(peakVcpu / s.fargate.targetUtilization, e.vcpu, e.minInstances, 50, a);
    add(
      "Compute: EC2 instances (ASG)",
      cost(PRICES.ec2[e.instanceType], fleet.hours),
      `${e.instanceType}, ${e.minInstances} off-peak, ${fleet.atPeak} at peak`,
    );
  } else {
    const gbSeconds = (t.apiRequests * a.lambdaBilledMsPerRequest * a.lambdaMemoryGb) / 1000;
    add(
      "Compute: Lambda ARM64",
      cost(PRICES.lambda.requestsPerMillion, t.apiRequests / 1e6) +
        cost(PRICES.lambda.gbSecondArm, gbSeconds),
      `${fmt(t.apiRequests / 1e6, 2)}M invocations x ${a.lambdaBilledMsPerRequest} ms x ${a.lambdaMemoryGb} GB`,
    );
    add(
      "API Gateway HTTP API",
      cost(PRICES.apiGateway.httpApiPerMillion, t.apiRequests / 1e6),
      `${fmt(t.apiRequests / 1e6, 2)}M requests`,
    );
    add(
      "RDS Proxy (connection pooling for Lambda)",
      cost(PRICES.rds.proxyVcpuHour, Math.max(2, s.database.vcpu) * HOURS_PER_MONTH),
      `${Math.max(2, s.database.vcpu)} vCPU of the DB instance`,
    );
  }

  if (needsAlb) {
    // LCU: max of 25 new connections/s, 3,000 active connections/min, 1 GB/hour, 1,000 rule
    // evaluations/s. Behind CloudFront connections are reused, so bytes usually dominate.
    const gbPerHour = (t.apiRequests * a.apiKbPerRequest) / 1024 / 1024 / HOURS_PER_MONTH;
    const lcu = Math.max(gbPerHour, t.averageRps / 25, 0.1);
    add(
      "Application Load Balancer",
      cost(PRICES.alb.hour, HOURS_PER_MONTH) +
        cost(PRICES.alb.lcuHour, lcu * HOURS_PER_MONTH) +
        cost(PRICES.vpc.publicIpv4Hour, s.azs * HOURS_PER_MONTH),
      `1 ALB, ~${fmt(lcu, 2)} LCU avg, ${s.azs} public IPv4 addresses`,
    );
  }

  // --- Network ---
  const logGb = (t.apiRequests * a.logKbPerRequest) / 1024 / 1024;
  // Lambda ships its logs outside the VPC; containers send logs and pull images through NAT.
  const natGb = a.natBaselineGb[env] + (topology === "lambda-apigw" ? 0 : logGb);
  add(
    "NAT gateways",
    cost(PRICES.vpc.natGatewayHour, s.natGateways * HOURS_PER_MONTH) +
      cost(PRICES.vpc.natGatewayGb, natGb) +
      cost(PRICES.vpc.publicIpv4Hour, s.natGateways * HOURS_PER_MONTH),
    `${s.natGateways} NAT gateway(s) + Elastic IPs, ${fmt(natGb)} GB processed`,
  );

  // --- Data (same for every topology) ---
  const d = s.database;
  const instanceFactor = d.multiAz ? PRICES.rds.multiAzInstanceFactor.usd : 1;
  const dataGb = (submissions * a.kbStoredPerSubmission * a.monthsOfDataRetained) / 1024 / 1024;
  const storageGb = Math.max(d.storageGb, Math.ceil(dataGb * 1.5));
  add(
    "RDS PostgreSQL (db.<domain>)",
    cost(PRICES.rds.instanceHour[d.instanceType], HOURS_PER_MONTH * instanceFactor) +
      cost(PRICES.rds.storageGbMonth, storageGb * (d.multiAz ? 2 : 1)),
    `db.${d.instanceType}${d.multiAz ? " Multi-AZ" : ""}, ${storageGb} GB gp3 (backups within the free allowance)`,
  );
  add(
    "ElastiCache Valkey (cache.<domain>)",
    cost(PRICES.elasticache.nodeHour[s.cache.nodeType], s.cache.nodes * HOURS_PER_MONTH),
    `${s.cache.nodes} x ${s.cache.nodeType}`,
  );

  // --- Edge ---
  add(
    "CloudFront",
    cost(PRICES.cloudfront.gbOut, t.cloudfrontGbOut) +
      cost(PRICES.cloudfront.httpsRequestsPer10k, t.cloudfrontRequests / 10_000),
    `${fmt(t.cloudfrontGbOut)} GB out, ${fmt(t.cloudfrontRequests / 1e6, 2)}M requests`,
  );
  add(
    "WAF",
    cost(PRICES.waf.webAclMonth, 1) +
      cost(PRICES.waf.ruleMonth, a.wafRules) +
      cost(PRICES.waf.requestsPerMillion, t.cloudfrontRequests / 1e6),
    `1 web ACL, ${a.wafRules} rules, ${fmt(t.cloudfrontRequests / 1e6, 2)}M requests`,
  );
  add(
    "S3 (web app, logs, exports)",
    cost(PRICES.s3.storageGbMonth, a.webBundleMb / 1024 + 5) +
      cost(PRICES.s3.getPer1k, (submissions * a.staticRequestsPerSubmission) / 1000) +
      cost(PRICES.s3.putPer1k, 10),
    "static files fetched by CloudFront on cache misses (upper bound: every static request)",
  );
  add(
    "Route 53",
    cost(PRICES.route53.hostedZoneMonth, a.hostedZones) +
      cost(PRICES.route53.queriesPerMillion, a.route53QueriesPerMonthMillions),
    `${a.hostedZones} zones (public + private); alias queries are free`,
  );

  // --- Operations ---
  const m = s.monitoring;
  add(
    "CloudWatch (logs, alarms, dashboard, metrics)",
    cost(PRICES.cloudwatch.logsIngestGb, logGb) +
      cost(PRICES.cloudwatch.logsStorageGbMonth, logGb * 3) +
      cost(PRICES.cloudwatch.alarmMonth, m.alarmMetrics) +
      cost(PRICES.cloudwatch.dashboardMonth, m.dashboards) +
      cost(PRICES.cloudwatch.customMetricMonth, m.logMetricFilters),
    `${fmt(logGb, 2)} GB logs, ${m.alarms} alarms (${m.alarmMetrics} metrics), ${m.dashboards} dashboard${m.dashboards === 1 ? "" : "s"}, ${m.logMetricFilters} log metrics`,
  );
  const canaryGbSeconds = m.canaryRunsPerMonth * a.canaryRunSeconds * (m.canaryMemoryMb / 1024);
  add(
    "CloudWatch Synthetics (health-check canary)",
    cost(PRICES.cloudwatch.canaryRun, m.canaryRunsPerMonth) +
      cost(PRICES.lambda.gbSecondX86, canaryGbSeconds) +
      cost(PRICES.s3.putPer1k, (m.canaryRunsPerMonth * a.canaryArtifactsPerRun) / 1000),
    `${m.canaries} canar${m.canaries === 1 ? "y" : "ies"}, ${fmt(m.canaryRunsPerMonth, 0)} runs x ${a.canaryRunSeconds} s at ${m.canaryMemoryMb} MB, artifacts in S3`,
  );
  add("Secrets Manager", cost(PRICES.secretsManager.secretMonth, a.secrets), `${a.secrets} secrets`);
  add("ECR", cost(PRICES.ecr.storageGbMonth, a.ecrGb), `${a.ecrGb} GB of images`);

  const total = round2(components.reduce((sum, c) => sum + c.usd, 0));
  return { topology, env, submissions, traffic: t, components, total };
}

export function estimateAll(a: Assumptions = ASSUMPTIONS): Estimate[] {
  return TOPOLOGIES.flatMap((topology) =>
    ENVIRONMENTS.flatMap((env) => TRAFFIC_LEVELS.map((n) => estimate(topology, env, n, a))),
  );
}

export function formatUsd(n: number): string {
  return `$${n.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 0 })}`;
}

export function formatSubmissions(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;
}
