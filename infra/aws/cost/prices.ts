/**
 * AWS list prices used by the cost model: us-east-1 (CloudFront by viewer region), on-demand, USD,
 * no Savings Plans or reserved instances. The always-free allowances the model subtracts are in
 * FREE_TIER below; the CloudFront flat-rate plans offered as an alternative are in
 * CLOUDFRONT_FLAT_RATE_PLANS. One dated file so a price update is one reviewed diff.
 *
 * Every entry carries the public page it comes from. `checked` is the day an entry was last compared
 * with that page (through stored copies of the AWS pages: the copy itself may be older); entries
 * without it were carried over from the 2026-11 model. `assumption` marks a figure that could not be
 * confirmed on an AWS page: docs/costs.md lists those. Prices change: before a budget decision,
 * re-check each page (or the AWS Pricing Calculator) and update `PRICES_AS_OF`.
 */

export const PRICES_AS_OF = "2026-12";
export const REGION = "us-east-1";
/** Day the entries marked `checked` were compared with the AWS pages. */
export const CHECKED_ON = "2026-12-01";

export interface Price {
  /** USD per `unit`. */
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
  /** Day this figure was last compared with `source` (see CHECKED_ON)… */
  readonly checked?: string;
  /** …or only with third-party pages quoting it, when the AWS page itself was not readable. */
  readonly thirdParty?: boolean;
  /** Why the figure is an assumption (not confirmed on an AWS page). */
  readonly assumption?: string;
}

const p = (usd: number, unit: string, source: string, extra: Partial<Price> = {}): Price => ({
  usd,
  unit,
  source,
  ...extra,
});
const checked = { checked: CHECKED_ON };
const thirdParty = { checked: CHECKED_ON, thirdParty: true };
const notRechecked = {
  assumption: `long-standing list price, not re-checked on ${CHECKED_ON} (the line is small or not used by the current stacks)`,
};

const FARGATE = "https://aws.amazon.com/fargate/pricing/";
const EKS = "https://aws.amazon.com/eks/pricing/";
const EC2 = "https://aws.amazon.com/ec2/pricing/on-demand/";
const LAMBDA = "https://aws.amazon.com/lambda/pricing/";
const APIGW = "https://aws.amazon.com/api-gateway/pricing/";
const ELB = "https://aws.amazon.com/elasticloadbalancing/pricing/";
const VPC = "https://aws.amazon.com/vpc/pricing/";
const RDS = "https://aws.amazon.com/rds/postgresql/pricing/";
const RDS_PROXY = "https://aws.amazon.com/rds/proxy/pricing/";
const ELASTICACHE = "https://aws.amazon.com/elasticache/pricing/";
const CLOUDFRONT = "https://aws.amazon.com/cloudfront/pricing/";
const S3 = "https://aws.amazon.com/s3/pricing/";
const WAF = "https://aws.amazon.com/waf/pricing/";
const ROUTE53 = "https://aws.amazon.com/route53/pricing/";
const CLOUDWATCH = "https://aws.amazon.com/cloudwatch/pricing/";
const SECRETS = "https://aws.amazon.com/secrets-manager/pricing/";
const ECR = "https://aws.amazon.com/ecr/pricing/";
const KMS = "https://aws.amazon.com/kms/pricing/";
const STEP_FUNCTIONS = "https://aws.amazon.com/step-functions/pricing/";
const SNS = "https://aws.amazon.com/sns/pricing/";
const BUDGETS = "https://aws.amazon.com/aws-cost-management/aws-budgets/pricing/";

export const PRICES = {
  fargate: {
    /** Linux/ARM64 (Graviton). */
    vcpuHourArm: p(0.03238, "vCPU-hour", FARGATE),
    gbHourArm: p(0.00356, "GB-hour", FARGATE),
  },
  eks: {
    clusterHour: p(0.1, "cluster-hour (standard support)", EKS),
  },
  ec2: {
    "t4g.small": p(0.0168, "instance-hour", EC2),
    "t4g.medium": p(0.0336, "instance-hour", EC2),
    "t4g.large": p(0.0672, "instance-hour", EC2),
    "m7g.medium": p(0.0408, "instance-hour", EC2),
    "m7g.large": p(0.0816, "instance-hour", EC2),
    "m7g.xlarge": p(0.1632, "instance-hour", EC2),
  },
  lambda: {
    requestsPerMillion: p(0.2, "1M requests", LAMBDA),
    gbSecondArm: p(0.0000133334, "GB-second (ARM, first 7.5B GB-s)", LAMBDA),
    /** Synthetics canaries run as x86 Lambda functions in your account. */
    gbSecondX86: p(0.0000166667, "GB-second (x86, first 6B GB-s)", LAMBDA),
  },
  apiGateway: {
    httpApiPerMillion: p(1.0, "1M HTTP API requests (first 300M)", APIGW),
  },
  alb: {
    hour: p(0.0225, "ALB-hour", ELB),
    lcuHour: p(0.008, "LCU-hour", ELB),
  },
  vpc: {
    natGatewayHour: p(0.045, "NAT gateway-hour", VPC),
    natGatewayGb: p(0.045, "GB processed", VPC),
    publicIpv4Hour: p(0.005, "public IPv4 address-hour", VPC),
    /** Interface endpoints (PrivateLink); gateway endpoints (S3, DynamoDB) are free. */
    interfaceEndpointAzHour: p(0.01, "interface endpoint-hour per AZ", VPC, notRechecked),
    interfaceEndpointGb: p(0.01, "GB processed by interface endpoints (first 1 PB)", VPC, notRechecked),
  },
  dataTransfer: {
    /**
     * Between Availability Zones of one region: $0.01/GB out of the sender plus $0.01/GB into the
     * receiver (EC2 and Fargate ENIs). ElastiCache bills only the EC2 side; ALB → targets across AZs
     * and RDS Multi-AZ replication are not charged.
     */
    crossAzGbPerSide: p(0.01, "GB per side (out of one AZ, into another)", EC2, thirdParty),
  },
  rds: {
    /** PostgreSQL, Single-AZ; a Multi-AZ (one standby) deployment costs twice the instance price. */
    instanceHour: {
      "t4g.micro": p(0.016, "instance-hour", RDS),
      "t4g.small": p(0.032, "instance-hour", RDS),
      "t4g.medium": p(0.065, "instance-hour", RDS),
      "m7g.large": p(0.168, "instance-hour", RDS),
      "m7g.xlarge": p(0.336, "instance-hour", RDS),
    },
    multiAzInstanceFactor: p(2, "x Single-AZ instance price", RDS),
    /** gp3, Single-AZ; Multi-AZ storage is billed twice. */
    storageGbMonth: p(0.115, "GB-month (gp3, Single-AZ)", RDS),
    /** Backup storage beyond 100% of the provisioned storage. */
    backupGbMonth: p(0.095, "GB-month beyond the free allowance", RDS),
    proxyVcpuHour: p(0.015, "vCPU-hour of the DB instance (minimum 2 vCPU)", RDS_PROXY),
    /** CloudWatch Database Insights, advanced mode (standard mode: 7 days, free). */
    databaseInsightsAdvancedVcpuHour: p(
      0.0125,
      "vCPU-hour of a monitored instance (advanced mode)",
      CLOUDWATCH,
      {
        assumption:
          "the Database Insights price table was not in the stored copies of the CloudWatch/RDS pages; $0.0125 per vCPU-hour is the launch price we know of",
      },
    ),
  },
  elasticache: {
    /** Valkey node prices (20% below Redis OSS on the same page). */
    nodeHour: {
      "cache.t4g.micro": p(0.0128, "node-hour (Valkey)", ELASTICACHE),
      "cache.t4g.small": p(0.0256, "node-hour (Valkey)", ELASTICACHE),
      "cache.t4g.medium": p(0.052, "node-hour (Valkey)", ELASTICACHE),
      "cache.m7g.large": p(0.1264, "node-hour (Valkey)", ELASTICACHE),
    },
    /** One snapshot per cluster is free; the others of the retention window are billed. */
    backupGbMonth: p(0.085, "GB-month of snapshots beyond one per cluster", ELASTICACHE, notRechecked),
  },
  cloudfront: {
    /** Data transfer out to the internet, United States/Mexico/Canada and Europe, first 10 TB. */
    gbOut: p(0.085, "GB out to the internet (first 10 TB, US/EU)", CLOUDFRONT, checked),
    httpsRequestsPer10k: p(0.01, "10k HTTPS requests (US)", CLOUDFRONT),
    /** Served from South American edge locations (only with PriceClass_All), first 10 TB. */
    gbOutSouthAmerica: p(0.11, "GB out to the internet (first 10 TB, South America)", CLOUDFRONT, checked),
    httpsRequestsPer10kSouthAmerica: p(0.022, "10k HTTPS requests (South America)", CLOUDFRONT, {
      assumption:
        "the request table for South America was not in the stored copy of the pricing page; $0.0220 is the last published figure we know of",
    }),
    functionInvocationsPerMillion: p(0.1, "1M CloudFront Functions invocations", CLOUDFRONT, thirdParty),
  },
  s3: {
    storageGbMonth: p(0.023, "GB-month (Standard, first 50 TB)", S3),
    putPer1k: p(0.005, "1k PUT/COPY/POST/LIST requests", S3),
    getPer1k: p(0.0004, "1k GET requests", S3),
  },
  waf: {
    webAclMonth: p(5.0, "web ACL-month", WAF, thirdParty),
    ruleMonth: p(1.0, "rule-month (a managed rule group counts as one)", WAF, thirdParty),
    requestsPerMillion: p(0.6, "1M requests inspected", WAF, thirdParty),
  },
  route53: {
    hostedZoneMonth: p(0.5, "hosted zone-month (first 25)", ROUTE53),
    queriesPerMillion: p(0.4, "1M standard queries (alias to AWS resources: free)", ROUTE53),
  },
  cloudwatch: {
    logsIngestGb: p(0.5, "GB ingested (standard)", CLOUDWATCH),
    /** VPC flow logs and WAF logs delivered to CloudWatch Logs ("vended logs"), first 10 TB. */
    vendedLogsIngestGb: p(0.5, "GB of vended logs delivered to CloudWatch Logs (first 10 TB)", CLOUDWATCH, {
      assumption:
        "the vended-logs table was not in the stored copy of the CloudWatch page; third-party pages disagree ($0.50 or $0.25 to CloudWatch Logs), the higher figure is kept",
    }),
    logsStorageGbMonth: p(0.03, "GB-month archived", CLOUDWATCH),
    alarmMonth: p(0.1, "standard-resolution alarm-month", CLOUDWATCH),
    compositeAlarmMonth: p(0.5, "composite alarm-month", CLOUDWATCH, notRechecked),
    dashboardMonth: p(3.0, "dashboard-month (beyond the free 3)", CLOUDWATCH),
    customMetricMonth: p(
      0.3,
      "custom metric-month (first 10,000; log metric filters publish these)",
      CLOUDWATCH,
    ),
    canaryRun: p(0.0012, "Synthetics canary run", CLOUDWATCH),
  },
  secretsManager: {
    secretMonth: p(0.4, "secret-month", SECRETS),
    apiCallsPer10k: p(0.05, "10k API calls", SECRETS, notRechecked),
  },
  ecr: {
    storageGbMonth: p(0.1, "GB-month", ECR),
  },
  kms: {
    /** Customer managed key; each automatic rotation adds $1/month (the first two only, since 2024-05). */
    keyMonth: p(1, "customer managed key-month", KMS, checked),
    rotationMonth: p(1, "key-month per rotated backing key (first and second rotation)", KMS, {
      ...checked,
      assumption:
        "the AWS page says each rotation adds $1/month; the cap at two rotations (2024-05) is from a third-party summary",
    }),
    requestsPer10k: p(0.03, "10k requests (symmetric)", KMS, thirdParty),
  },
  stepFunctions: {
    standardTransitionsPer1k: p(
      0.025,
      "1k state transitions (Standard workflows)",
      STEP_FUNCTIONS,
      notRechecked,
    ),
  },
  sns: {
    emailsPer100k: p(2, "100k e-mail deliveries", SNS, notRechecked),
  },
  budgets: {
    budgetDay: p(0.02, "budget-day beyond the free ones", BUDGETS, {
      assumption:
        "an AWS Billing guide page gives 2 free budgets then $0.02/day each; newer pages describe budgets without actions as free",
    }),
  },
} as const;

/**
 * Always-free allowances, per AWS account and month (12-month new-account offers are NOT used).
 * The model subtracts them once per environment because docs/architecture.md recommends one account
 * per environment; if dev and prod share an account, they share these allowances too.
 */
export interface Allowance {
  readonly quantity: number;
  readonly unit: string;
  readonly source: string;
  readonly checked?: string;
}
const a = (quantity: number, unit: string, source: string, extra: Partial<Allowance> = {}): Allowance => ({
  quantity,
  unit,
  source,
  ...extra,
});

export const FREE_TIER = {
  cloudfront: {
    gbOut: a(1024, "GB out to the internet (1 TB, all edge regions together)", CLOUDFRONT, checked),
    requests: a(10_000_000, "HTTP/HTTPS requests", CLOUDFRONT, checked),
    functionInvocations: a(2_000_000, "CloudFront Functions invocations", CLOUDFRONT, checked),
  },
  lambda: {
    requests: a(1_000_000, "requests", LAMBDA),
    gbSeconds: a(400_000, "GB-seconds (x86 and ARM together)", LAMBDA),
  },
  cloudwatch: {
    metrics: a(10, "custom + detailed monitoring metrics", CLOUDWATCH, checked),
    alarmMetrics: a(10, "standard-resolution alarm metrics", CLOUDWATCH, checked),
    dashboards: a(3, "custom dashboards (up to 50 metrics each)", CLOUDWATCH, checked),
    logsGb: a(5, "GB of logs (ingestion, storage and Logs Insights scans together)", CLOUDWATCH, checked),
    canaryRuns: a(100, "Synthetics canary runs", CLOUDWATCH, checked),
  },
  kms: {
    requests: a(20_000, "requests (all regions)", KMS, checked),
  },
  stepFunctions: {
    transitions: a(4_000, "Standard workflow state transitions", STEP_FUNCTIONS),
  },
  sns: {
    emails: a(1_000, "e-mail deliveries", SNS),
  },
  budgets: {
    budgets: a(2, "budgets", BUDGETS),
  },
} as const;

/** Every allowance in FREE_TIER with its path, e.g. ["cloudfront.gbOut", {...}]. */
export function allAllowances(): Array<[string, Allowance]> {
  const out: Array<[string, Allowance]> = [];
  for (const [service, entries] of Object.entries(FREE_TIER)) {
    for (const [k, v] of Object.entries(entries as Record<string, Allowance>))
      out.push([`${service}.${k}`, v]);
  }
  return out;
}

/**
 * CloudFront flat-rate pricing plans (launched 2025-11-18): one monthly price per distribution (one
 * apex domain) that bundles CloudFront delivery, AWS WAF (web ACL and its requests) with DDoS
 * protection, Route 53 DNS for the domain, CloudWatch Logs ingestion of access and WAF logs and S3
 * storage credits, with no overage charges (over the allowance AWS may throttle or ask for a higher
 * plan). Modelled as an alternative to pay-as-you-go, never added to the totals.
 *
 * The tiers and allowances agree across the CloudFormation reference of AWS::PricingPlanManager::
 * Subscription, aws/aws-cdk issue #37857 and several third-party write-ups; the AWS pricing and
 * developer-guide pages themselves were not in the searchable copies on CHECKED_ON, so every figure
 * here is marked as an assumption.
 */
export interface FlatRatePlan {
  readonly name: "Free" | "Pro" | "Business" | "Premium";
  readonly usdMonth: number;
  readonly requests: number;
  readonly gbOut: number;
  readonly s3CreditGb: number;
  readonly source: string;
  readonly assumption: string;
}
const FLAT_RATE_ASSUMPTION =
  "tiers read from the aws-cdk issue #37857 and third-party summaries of the AWS announcement, not from the AWS page itself";
export const CLOUDFRONT_FLAT_RATE_PLANS: readonly FlatRatePlan[] = [
  { name: "Free", usdMonth: 0, requests: 1_000_000, gbOut: 100, s3CreditGb: 5 },
  { name: "Pro", usdMonth: 15, requests: 10_000_000, gbOut: 50 * 1024, s3CreditGb: 50 },
  { name: "Business", usdMonth: 200, requests: 125_000_000, gbOut: 50 * 1024, s3CreditGb: 1024 },
  { name: "Premium", usdMonth: 1000, requests: 500_000_000, gbOut: 50 * 1024, s3CreditGb: 5 * 1024 },
].map((plan) => ({ ...plan, source: CLOUDFRONT, assumption: FLAT_RATE_ASSUMPTION }) as FlatRatePlan);

/** Every price in PRICES with its path, e.g. ["fargate.vcpuHourArm", {...}]. */
export function allPrices(): Array<[string, Price]> {
  const out: Array<[string, Price]> = [];
  const walk = (node: unknown, path: string[]) => {
    if (node && typeof node === "object" && "usd" in node && "source" in node) {
      out.push([path.join("."), node as Price]);
      return;
    }
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) walk(v, [...path, k]);
  };
  walk(PRICES, []);
  return out;
}
