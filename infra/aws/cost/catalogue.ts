/**
 * The catalogue: every CloudFormation resource type the synthesized templates contain, mapped to
 * the cost line (model.ts) that prices it — with the quantities read from the template — or to an
 * explicit `free` entry with the reason. Some types depend on their properties (a gateway VPC
 * endpoint is free, an interface endpoint is not; a Standard SSM parameter is free, an Advanced one
 * is not): a configuration the model does not price is `unpriced`, which fails the tests like an
 * unknown type does.
 *
 * inventory.ts runs the catalogue over the templates (inventory-synth.ts synthesizes them) and sums
 * the quantities per cost line into inventory.json; the model prices those quantities, and
 * infra/aws/test/cost-catalogue.test.ts fails when a resource type of a fresh synth is in neither
 * list, or when a cost line's quantity differs from the template.
 *
 * Pure: no CDK imports, so the model and deploy/test/cost.test.ts can load it.
 */

/** Cost lines of the model (ids; model.ts names them). */
export const LINES = {
  compute: "Compute",
  alb: "Application Load Balancer",
  nat: "NAT gateways",
  vpcEndpoints: "VPC interface endpoints",
  crossAz: "Cross-AZ data transfer",
  rds: "RDS PostgreSQL (db.<domain>)",
  cache: "ElastiCache Valkey (cache.<domain>)",
  cloudfront: "CloudFront",
  waf: "WAF",
  wafLogs: "WAF logs (CloudWatch Logs)",
  s3: "S3 (web app, logs, uploads, exports)",
  route53: "Route 53",
  apiLogs: "CloudWatch Logs: API",
  flowLogs: "VPC flow logs (CloudWatch Logs)",
  otherLogs: "CloudWatch Logs: database, workflows, other",
  cloudwatch: "CloudWatch (alarms, dashboards, log metrics)",
  containerInsights: "CloudWatch Container Insights",
  synthetics: "CloudWatch Synthetics (health-check canary)",
  secrets: "Secrets Manager",
  kms: "KMS",
  ecr: "ECR",
  helpers: "Lambda + Step Functions helpers",
} as const;
export type LineId = keyof typeof LINES;

export interface ResourceJson {
  Type: string;
  Properties?: Record<string, unknown>;
}
export interface TemplateJson {
  Resources?: Record<string, ResourceJson>;
  Transform?: unknown;
}

export type Classification =
  | { readonly kind: "cost"; readonly line: LineId; readonly quantities: Readonly<Record<string, number>> }
  | { readonly kind: "free"; readonly reason: string }
  | { readonly kind: "unpriced"; readonly reason: string };

/** What a log group receives, from the resources that write to it (or its name). */
export type LogGroupKind = "api" | "vpc-flow-logs" | "waf" | "database" | "workflow" | "function" | "other";

/** One resource with where it lives. */
export interface Located {
  readonly template: number;
  readonly id: string;
  readonly resource: ResourceJson;
}

/** Everything a classification may look at besides the resource itself. */
export interface Context {
  readonly all: readonly Located[];
  readonly logGroupKind: (r: Located) => LogGroupKind;
}

export interface Entry {
  /** One line for the docs: the cost line or why it is free, and the conditions. */
  readonly summary: string;
  readonly classify: (r: Located, ctx: Context) => Classification;
}

type Props = Record<string, unknown>;
const props = (r: Located): Props => r.resource.Properties ?? {};
const cost = (line: LineId, quantities: Record<string, number>): Classification => ({
  kind: "cost",
  line,
  quantities,
});
const costEntry = (
  line: LineId,
  what: string,
  quantities: (r: Located) => Record<string, number>,
): Entry => ({
  summary: `${LINES[line]}: ${what}`,
  classify: (r) => cost(line, quantities(r)),
});
const free = (reason: string): Entry => ({
  summary: `free: ${reason}`,
  classify: () => ({ kind: "free", reason }),
});
const unpriced = (reason: string): Classification => ({ kind: "unpriced", reason });
/** Priced while property `key` is `modelled` (also its default when absent); any other value is not. */
const pricedWhile =
  (key: string, modelled: string, priced: Classification, otherwise: string) => (r: Located) =>
    String(props(r)[key] ?? modelled) === modelled ? priced : unpriced(otherwise);

/** Runs per month of a Synthetics schedule: "rate(5 minutes)" -> 8,760; "rate(0 minutes)" = once. */
export function runsPerMonth(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(expression.trim());
  if (!match) throw new Error(`cannot count runs of schedule "${expression}"`);
  const n = Number(match[1]);
  if (n === 0) return 1;
  const perHour = match[2]?.startsWith("minute") ? 60 / n : 1 / n;
  return Math.round(perHour * 730);
}

/** Metrics an alarm reads (a metric-math alarm is billed per metric it reads). */
export function metricsOfAlarm(properties: Props): number {
  const queries = properties.Metrics as Array<{ MetricStat?: unknown }> | undefined;
  return queries ? queries.filter((q) => q.MetricStat).length : 1;
}

/** Managed rule groups that carry a subscription or per-request fee on top of the WAF rule price. */
const PAID_RULE_GROUPS = [
  "AWSManagedRulesBotControlRuleSet",
  "AWSManagedRulesATPRuleSet",
  "AWSManagedRulesACFPRuleSet",
  "AWSManagedRulesAntiDDoSRuleSet",
];

const FREE_INFRA = "configuration only: no hourly, storage or request charge";

export const CATALOGUE: Readonly<Record<string, Entry>> = {
  // --- Network ---
  "AWS::EC2::VPC": free(FREE_INFRA),
  "AWS::EC2::Subnet": free(FREE_INFRA),
  "AWS::EC2::RouteTable": free(FREE_INFRA),
  "AWS::EC2::Route": free(FREE_INFRA),
  "AWS::EC2::SubnetRouteTableAssociation": free(FREE_INFRA),
  "AWS::EC2::InternetGateway": free(
    "internet gateways have no charge (traffic leaves through CloudFront/NAT lines)",
  ),
  "AWS::EC2::VPCGatewayAttachment": free(FREE_INFRA),
  "AWS::EC2::SecurityGroup": free(FREE_INFRA),
  "AWS::EC2::SecurityGroupIngress": free(FREE_INFRA),
  "AWS::EC2::SecurityGroupEgress": free(FREE_INFRA),
  "AWS::EC2::NatGateway": costEntry("nat", "hours + GB processed, one per NAT gateway", () => ({
    natGateways: 1,
  })),
  "AWS::EC2::EIP": costEntry("nat", "public IPv4 address-hours", () => ({ elasticIps: 1 })),
  "AWS::EC2::VPCEndpoint": {
    summary: `free for gateway endpoints (S3, DynamoDB); interface endpoints: ${LINES.vpcEndpoints}`,
    classify: (r) => {
      const type = String(props(r).VpcEndpointType ?? "Gateway");
      if (type === "Gateway")
        return { kind: "free", reason: "gateway endpoints (S3, DynamoDB) have no charge" };
      if (type === "Interface")
        return cost("vpcEndpoints", {
          interfaceEndpoints: 1,
          endpointAzs: ((props(r).SubnetIds as unknown[]) ?? []).length,
        });
      return unpriced(`VPC endpoint type ${type} is not modelled`);
    },
  },
  "AWS::EC2::FlowLog": {
    summary: `${LINES.flowLogs}: vended-log ingestion + storage (retention of the log group)`,
    classify: pricedWhile(
      "LogDestinationType",
      "cloud-watch-logs",
      cost("flowLogs", { flowLogs: 1 }),
      "flow logs to S3/Firehose are priced differently from CloudWatch Logs: add them",
    ),
  },

  // --- DNS and certificates ---
  "AWS::Route53::HostedZone": costEntry(
    "route53",
    "one hosted zone-month each (public and private)",
    (r) => ({
      hostedZones: 1,
      privateZones: props(r).VPCs ? 1 : 0,
    }),
  ),
  "AWS::Route53::RecordSet": free(
    "records cost nothing; alias queries are free and the other queries are in the Route 53 line",
  ),
  "AWS::CertificateManager::Certificate": {
    summary: "free: public ACM certificates cost nothing",
    classify: (r) =>
      props(r).CertificateAuthorityArn
        ? unpriced("private CA certificates are billed: add them")
        : { kind: "free", reason: "public ACM certificates cost nothing" },
  },

  // --- Edge ---
  "AWS::CloudFront::Distribution": costEntry(
    "cloudfront",
    "GB out + requests by viewer region, after the free tier",
    () => ({
      distributions: 1,
    }),
  ),
  "AWS::CloudFront::Function": costEntry("cloudfront", "invocations beyond the free 2M", () => ({
    functions: 1,
  })),
  "AWS::CloudFront::CachePolicy": free(FREE_INFRA),
  "AWS::CloudFront::OriginRequestPolicy": free(FREE_INFRA),
  "AWS::CloudFront::ResponseHeadersPolicy": free(FREE_INFRA),
  "AWS::CloudFront::OriginAccessControl": free(FREE_INFRA),
  "AWS::WAFv2::WebACL": {
    summary: `${LINES.waf}: web ACL-month + one rule-month per rule + requests`,
    classify: (r) => {
      const rules = (props(r).Rules as Array<{ Statement?: Record<string, unknown> }>) ?? [];
      const paid = rules
        .map((rule) => (rule.Statement?.ManagedRuleGroupStatement as { Name?: string } | undefined)?.Name)
        .filter((name): name is string => !!name && PAID_RULE_GROUPS.includes(name));
      if (paid.length > 0)
        return unpriced(`managed rule groups with extra fees are not modelled: ${paid.join(", ")}`);
      return cost("waf", { webAcls: 1, rules: rules.length });
    },
  },
  "AWS::WAFv2::LoggingConfiguration": {
    summary: `${LINES.wafLogs}: vended-log ingestion per inspected request + storage`,
    classify: (r) => {
      const destinations = (props(r).LogDestinationConfigs as unknown[]) ?? [];
      const toLogs = destinations.every((d) => typeof d !== "string" || d.includes(":log-group:"));
      if (!toLogs) return unpriced("WAF logs to S3/Firehose are priced differently: add them");
      return cost("wafLogs", { loggingConfigurations: 1, filtered: props(r).LoggingFilter ? 1 : 0 });
    },
  },

  // --- API (ECS on Fargate behind an ALB) ---
  "AWS::ElasticLoadBalancingV2::LoadBalancer": {
    summary: `${LINES.alb}: hours + LCUs + one public IPv4 per AZ`,
    classify: (r) =>
      String(props(r).Type ?? "application") === "application"
        ? cost("alb", { loadBalancers: 1 })
        : unpriced(`load balancer type ${String(props(r).Type)} is not modelled`),
  },
  "AWS::ElasticLoadBalancingV2::Listener": free("priced inside the ALB's LCUs"),
  "AWS::ElasticLoadBalancingV2::ListenerRule": free(
    "rule evaluations are in the ALB's LCUs (the first 10 rules are free)",
  ),
  "AWS::ElasticLoadBalancingV2::TargetGroup": free(FREE_INFRA),
  "AWS::ECS::Cluster": {
    summary: `free when Container Insights is off; with it on: ${LINES.containerInsights}`,
    classify: (r) => {
      const settings = (props(r).ClusterSettings as Array<{ Name?: string; Value?: string }>) ?? [];
      const mode = settings.find((s) => s.Name === "containerInsights")?.Value ?? "disabled";
      if (mode === "disabled") return { kind: "free", reason: "an ECS cluster has no charge of its own" };
      if (mode === "enabled") return cost("containerInsights", { clusters: 1 });
      return unpriced(
        `Container Insights "${mode}" (enhanced observability) is billed per observation: add it`,
      );
    },
  },
  "AWS::ECS::Service": {
    summary: `${LINES.compute}: Fargate vCPU-hours + GB-hours of the service's tasks`,
    classify: (r) =>
      String(props(r).LaunchType ?? "FARGATE") === "FARGATE"
        ? cost("compute", { services: 1 })
        : unpriced(`ECS launch type ${String(props(r).LaunchType)} is not modelled`),
  },
  "AWS::ECS::TaskDefinition": costEntry(
    "compute",
    "the size billed per task-hour (and the migration task runs)",
    () => ({
      taskDefinitions: 1,
    }),
  ),
  // EKS (`-c compute=eks`, lib/stacks/eks-stack.ts): the control plane and the nodes are compute.
  "AWS::EKS::Cluster": costEntry("compute", "EKS control plane cluster-hours (standard support)", () => ({
    eksClusters: 1,
  })),
  "AWS::EKS::Nodegroup": {
    summary: `${LINES.compute}: EC2 instance-hours of the managed node group's nodes`,
    classify: (r) => {
      const scaling = (props(r).ScalingConfig as { MinSize?: number; MaxSize?: number }) ?? {};
      const types = (props(r).InstanceTypes as string[] | undefined) ?? [];
      if (String(props(r).CapacityType ?? "ON_DEMAND") !== "ON_DEMAND" || types.length !== 1)
        return unpriced("Spot or mixed-instance node groups are not modelled: add them");
      return cost("compute", {
        eksNodegroups: 1,
        eksMinNodes: scaling.MinSize ?? 1,
        eksMaxNodes: scaling.MaxSize ?? 1,
      });
    },
  },
  "AWS::EKS::Addon": free("EKS add-ons have no charge of their own (they run on the nodes)"),
  "AWS::EKS::AccessEntry": free(FREE_INFRA),
  "AWS::EKS::PodIdentityAssociation": free(FREE_INFRA),
  "AWS::Lambda::LayerVersion": free("layer storage counts toward the free 75 GB of Lambda code storage"),
  // Lambda (`-c compute=lambda`, lib/stacks/serverless-stack.ts): the HTTP API and the RDS Proxy
  // are compute (model.ts prices them per request and per vCPU-hour of the database instance).
  "AWS::ApiGatewayV2::Api": costEntry("compute", "API Gateway HTTP API requests", () => ({ httpApis: 1 })),
  "AWS::ApiGatewayV2::Stage": free("stages have no charge; requests are priced on the HTTP API"),
  "AWS::ApiGatewayV2::Integration": free(FREE_INFRA),
  "AWS::ApiGatewayV2::Route": free(FREE_INFRA),
  "AWS::RDS::DBProxy": costEntry(
    "compute",
    "RDS Proxy vCPU-hours of the database instance (minimum 2)",
    () => ({
      rdsProxies: 1,
    }),
  ),
  "AWS::RDS::DBProxyTargetGroup": free(FREE_INFRA),
  "AWS::Lambda::Alias": free(FREE_INFRA),
  "AWS::Lambda::Version": free("versions count toward the free 75 GB of Lambda code storage"),
  "AWS::EC2::LaunchTemplate": free(FREE_INFRA),
  "AWS::ApplicationAutoScaling::ScalableTarget": free(
    "autoscaling has no charge; min/max tasks size the Fargate line",
  ),
  "AWS::ApplicationAutoScaling::ScalingPolicy": free("autoscaling has no charge"),
  "AWS::ECR::Repository": costEntry("ecr", "GB-month of stored images (basic scanning is free)", () => ({
    repositories: 1,
  })),

  // --- Data ---
  "AWS::RDS::DBInstance": {
    summary: `${LINES.rds}: instance-hours (x2 Multi-AZ) + gp3 GB-month + Database Insights advanced (standard is free); backups within the free allowance`,
    classify: (r) => {
      const engine = String(props(r).Engine ?? "");
      if (!engine.startsWith("postgres")) return unpriced(`RDS engine ${engine} is not modelled`);
      const insights = String(props(r).DatabaseInsightsMode ?? "standard");
      const piDays = Number(props(r).PerformanceInsightsRetentionPeriod ?? 7);
      if (insights !== "advanced" && props(r).EnablePerformanceInsights && piDays > 7)
        return unpriced(`Performance Insights kept ${piDays} days is billed per vCPU: add it`);
      return cost("rds", { dbInstances: 1, databaseInsightsAdvanced: insights === "advanced" ? 1 : 0 });
    },
  },
  "AWS::RDS::DBParameterGroup": free(FREE_INFRA),
  "AWS::RDS::DBSubnetGroup": free(FREE_INFRA),
  "AWS::ElastiCache::ReplicationGroup": costEntry("cache", "node-hours of every node + snapshots", (r) => ({
    replicationGroups: 1,
    nodes: Number(props(r).NumCacheClusters ?? 1),
  })),
  "AWS::ElastiCache::SubnetGroup": free(FREE_INFRA),
  "AWS::S3::Bucket": costEntry("s3", "GB-month + requests", () => ({ buckets: 1 })),
  "AWS::S3::BucketPolicy": free(FREE_INFRA),
  "AWS::SecretsManager::Secret": costEntry("secrets", "secret-month + API calls", () => ({ secrets: 1 })),
  "AWS::SecretsManager::SecretTargetAttachment": free(FREE_INFRA),
  "AWS::SecretsManager::ResourcePolicy": free(FREE_INFRA),
  "AWS::SecretsManager::RotationSchedule": costEntry(
    "helpers",
    "the rotation Lambda's invocations (hosted rotation: the SecretsManager transform creates it at deploy)",
    () => ({ rotationSchedules: 1 }),
  ),
  "AWS::KMS::Key": costEntry("kms", "key-month (+ rotated backing keys) + requests", (r) => ({
    keys: 1,
    rotatingKeys: props(r).EnableKeyRotation ? 1 : 0,
  })),
  "AWS::KMS::Alias": free("aliases cost nothing"),
  "AWS::SSM::Parameter": {
    summary:
      "free while Standard tier (no storage charge, standard throughput); Advanced tier is not modelled",
    classify: (r) => {
      const tier = String(props(r).Tier ?? "Standard");
      return tier === "Standard"
        ? {
            kind: "free",
            reason: "Standard parameters have no storage charge and standard throughput is free",
          }
        : unpriced(`SSM parameter tier ${tier} is billed: add it`);
    },
  },

  // --- Operations ---
  "AWS::Logs::LogGroup": {
    summary: `by what writes to it: ${LINES.apiLogs}, ${LINES.flowLogs}, ${LINES.wafLogs} or ${LINES.otherLogs}; ingestion + storage for its retention`,
    classify: (r, ctx) => {
      if (props(r).LogGroupClass && props(r).LogGroupClass !== "STANDARD")
        return unpriced(`log group class ${String(props(r).LogGroupClass)} is priced differently: add it`);
      const kind = ctx.logGroupKind(r);
      const line: LineId =
        kind === "api"
          ? "apiLogs"
          : kind === "vpc-flow-logs"
            ? "flowLogs"
            : kind === "waf"
              ? "wafLogs"
              : "otherLogs";
      return cost(line, { logGroups: 1 });
    },
  },
  "AWS::Logs::MetricFilter": {
    summary: `${LINES.cloudwatch}: one custom metric per filter (no dimensions)`,
    classify: (r) => {
      const transformations = (props(r).MetricTransformations ?? []) as Array<{ Dimensions?: unknown[] }>;
      return transformations.some((m) => (m.Dimensions ?? []).length > 0)
        ? unpriced("a metric filter has dimensions: its custom metrics can no longer be counted as one each")
        : cost("cloudwatch", { logMetricFilters: 1, logMetrics: transformations.length || 1 });
    },
  },
  "AWS::CloudWatch::Alarm": costEntry("cloudwatch", "one alarm-month per metric the alarm reads", (r) => ({
    alarms: 1,
    alarmMetrics: metricsOfAlarm(props(r)),
  })),
  "AWS::CloudWatch::CompositeAlarm": costEntry("cloudwatch", "composite alarm-month", () => ({
    compositeAlarms: 1,
  })),
  "AWS::CloudWatch::Dashboard": costEntry("cloudwatch", "dashboard-month beyond the free 3", () => ({
    dashboards: 1,
  })),
  "AWS::Synthetics::Canary": costEntry(
    "synthetics",
    "runs from the schedule + Lambda GB-s + artifacts in S3",
    (r) => ({
      canaries: 1,
      runsPerMonth: runsPerMonth(String((props(r).Schedule as { Expression?: string })?.Expression)),
    }),
  ),
  "AWS::SNS::Topic": free(
    "publishes: 1M a month are free, alarms send a few hundred; topic encryption is in the KMS line",
  ),
  "AWS::SNS::TopicPolicy": free(FREE_INFRA),
  "AWS::SNS::Subscription": {
    summary:
      "free for e-mail (1,000 deliveries a month are free; alarms send far fewer); SMS is not modelled",
    classify: (r) => {
      const protocol = String(props(r).Protocol ?? "");
      return ["email", "email-json", "lambda", "sqs", "https", "http"].includes(protocol)
        ? { kind: "free", reason: `${protocol} deliveries of alarm notifications stay within the free tier` }
        : unpriced(`SNS ${protocol} deliveries are billed: add them`);
    },
  },
  "AWS::Budgets::Budget": {
    summary: "free while the account has at most 2 budgets (each further one $0.02/day)",
    classify: (_r, ctx) => {
      const budgets = ctx.all.filter((x) => x.resource.Type === "AWS::Budgets::Budget").length;
      return budgets <= 2
        ? { kind: "free", reason: "the first two budgets of an account are free" }
        : unpriced(`${budgets} budgets: the ones beyond 2 cost $0.02/day, add a line`);
    },
  },
  "AWS::Events::Rule": free(
    "a rule on the default bus matching AWS service events (a few Secrets Manager events a month) has no charge",
  ),
  "AWS::StepFunctions::StateMachine": {
    summary: `${LINES.helpers}: Standard workflow transitions (within the 4,000 free a month)`,
    classify: pricedWhile(
      "StateMachineType",
      "STANDARD",
      cost("helpers", { stateMachines: 1 }),
      "Express workflows are billed per request and GB-s: add them",
    ),
  },
  "AWS::Lambda::Function": costEntry(
    "helpers",
    "invocations + GB-s (CDK custom-resource providers; within the free tier)",
    () => ({
      lambdaFunctions: 1,
    }),
  ),
  "AWS::Lambda::Permission": free(FREE_INFRA),
  "AWS::CDK::Metadata": free("CDK bookkeeping, not an AWS resource"),

  // --- Identity ---
  "AWS::IAM::Role": free("IAM has no charge"),
  "AWS::IAM::Policy": free("IAM has no charge"),
  "AWS::IAM::ManagedPolicy": free("IAM has no charge"),
  // The data lake (lib/constructs/lake-catalog.ts, lake-schedule.ts): queries are priced per TB scanned
  // (capped per query by the workgroup) and the hourly export task runs on Fargate for minutes.
  "AWS::Glue::Database": free("the first million Data Catalog objects and requests are free"),
  "AWS::Glue::Table": free("the first million Data Catalog objects and requests are free"),
  "AWS::Athena::WorkGroup": free("a workgroup has no charge; queries are billed per TB scanned"),
  "AWS::Scheduler::Schedule": free("EventBridge Scheduler's first 14 million invocations a month are free"),
  "AWS::IAM::OIDCProvider": free("IAM has no charge"),
};

/** Custom resources (Custom::* and AWS::CloudFormation::CustomResource) run a Lambda function. */
export const CUSTOM_RESOURCE_ENTRY: Entry = costEntry(
  "helpers",
  "one Lambda invocation per create/update/delete (deploys only; within the free tier)",
  () => ({ customResources: 1 }),
);

export function entryFor(type: string): Entry | undefined {
  if (type.startsWith("Custom::") || type === "AWS::CloudFormation::CustomResource")
    return CUSTOM_RESOURCE_ENTRY;
  return CATALOGUE[type];
}

type Ref = { Ref?: string; "Fn::GetAtt"?: [string, string] | string };
/** Logical id a `{Ref}` / `{Fn::GetAtt}` points to (same template), if any. */
function target(value: unknown): string | undefined {
  if (!value || typeof value !== "object") return undefined;
  const v = value as Ref;
  if (typeof v.Ref === "string") return v.Ref;
  const att = v["Fn::GetAtt"];
  if (Array.isArray(att)) return att[0];
  if (typeof att === "string") return att.split(".")[0];
  return undefined;
}

/**
 * What writes to each log group: found from the resources that reference it in the same template
 * (flow logs, WAF logging, task definitions, state machines, functions), else from its name.
 */
export function logGroupKinds(all: readonly Located[]): Map<string, LogGroupKind> {
  const key = (template: number, id: string) => `${template}/${id}`;
  const kinds = new Map<string, LogGroupKind>();
  const groups = all.filter((r) => r.resource.Type === "AWS::Logs::LogGroup");
  const byName = new Map<string, string>();
  for (const g of groups) {
    const name = g.resource.Properties?.LogGroupName;
    if (typeof name === "string") byName.set(name, key(g.template, g.id));
  }
  const mark = (template: number, value: unknown, kind: LogGroupKind) => {
    const id = target(value);
    if (id) kinds.set(key(template, id), kind);
    else if (typeof value === "string") {
      const name = /:log-group:([^:*]+)/.exec(value)?.[1] ?? value;
      const k = byName.get(name);
      if (k) kinds.set(k, kind);
    }
  };
  for (const r of all) {
    const p = r.resource.Properties ?? {};
    switch (r.resource.Type) {
      case "AWS::EC2::FlowLog":
        mark(r.template, p.LogGroupName ?? p.LogDestination, "vpc-flow-logs");
        break;
      case "AWS::WAFv2::LoggingConfiguration":
        for (const d of (p.LogDestinationConfigs as unknown[]) ?? []) mark(r.template, d, "waf");
        break;
      case "AWS::ECS::TaskDefinition":
        for (const c of (p.ContainerDefinitions as Array<{ LogConfiguration?: { Options?: Props } }>) ?? [])
          mark(r.template, c.LogConfiguration?.Options?.["awslogs-group"], "api");
        break;
      case "AWS::StepFunctions::StateMachine":
        for (const d of ((p.LoggingConfiguration as { Destinations?: unknown[] })?.Destinations ??
          []) as Array<{
          CloudWatchLogsLogGroup?: { LogGroupArn?: unknown };
        }>)
          mark(r.template, d.CloudWatchLogsLogGroup?.LogGroupArn, "workflow");
        break;
      case "AWS::Lambda::Function":
        mark(r.template, (p.LoggingConfig as { LogGroup?: unknown })?.LogGroup, "function");
        break;
    }
  }
  for (const g of groups) {
    const k = key(g.template, g.id);
    if (kinds.has(k)) continue;
    const name = String(g.resource.Properties?.LogGroupName ?? "");
    kinds.set(
      k,
      name.startsWith("/aws/rds/")
        ? "database"
        : name.startsWith("aws-waf-logs-")
          ? "waf"
          : name.startsWith("/aws/lambda/")
            ? "function"
            : "other",
    );
  }
  return kinds;
}

export interface Classified extends Located {
  readonly classification: Classification;
}

/** Classifies every resource of one environment's templates. */
export function classifyTemplates(templates: readonly TemplateJson[]): Classified[] {
  const all: Located[] = templates.flatMap((t, template) =>
    Object.entries(t.Resources ?? {}).map(([id, resource]) => ({ template, id, resource })),
  );
  const kinds = logGroupKinds(all);
  const ctx: Context = { all, logGroupKind: (r) => kinds.get(`${r.template}/${r.id}`) ?? "other" };
  return all.map((r) => {
    const entry = entryFor(r.resource.Type);
    const classification: Classification = entry
      ? entry.classify(r, ctx)
      : unpriced("no catalogue entry: add a cost line or a free entry in infra/aws/cost/catalogue.ts");
    return { ...r, classification };
  });
}
