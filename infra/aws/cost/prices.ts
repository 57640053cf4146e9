/**
 * AWS list prices used by the cost model: us-east-1, on-demand, USD, no free tiers, no savings
 * plans or reserved instances. One dated file so a price update is one reviewed diff.
 *
 * Every entry carries the public page it comes from. Prices change: before a budget decision,
 * re-check each page (or the AWS Pricing Calculator) and update `PRICES_AS_OF`.
 */

export const PRICES_AS_OF = "2026-11";
export const REGION = "us-east-1";

export interface Price {
  /** USD per `unit`. */
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
}

const p = (usd: number, unit: string, source: string): Price => ({ usd, unit, source });

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
  },
  elasticache: {
    /** Valkey node prices (20% below Redis OSS on the same page). */
    nodeHour: {
      "cache.t4g.micro": p(0.0128, "node-hour (Valkey)", ELASTICACHE),
      "cache.t4g.small": p(0.0256, "node-hour (Valkey)", ELASTICACHE),
      "cache.t4g.medium": p(0.052, "node-hour (Valkey)", ELASTICACHE),
      "cache.m7g.large": p(0.1264, "node-hour (Valkey)", ELASTICACHE),
    },
  },
  cloudfront: {
    /** Data transfer out to the internet, United States/Europe, first 10 TB. */
    gbOut: p(0.085, "GB out to the internet (first 10 TB, US/EU)", CLOUDFRONT),
    httpsRequestsPer10k: p(0.01, "10k HTTPS requests (US)", CLOUDFRONT),
  },
  s3: {
    storageGbMonth: p(0.023, "GB-month (Standard, first 50 TB)", S3),
    putPer1k: p(0.005, "1k PUT/COPY/POST/LIST requests", S3),
    getPer1k: p(0.0004, "1k GET requests", S3),
  },
  waf: {
    webAclMonth: p(5.0, "web ACL-month", WAF),
    ruleMonth: p(1.0, "rule-month", WAF),
    requestsPerMillion: p(0.6, "1M requests inspected", WAF),
  },
  route53: {
    hostedZoneMonth: p(0.5, "hosted zone-month (first 25)", ROUTE53),
    queriesPerMillion: p(0.4, "1M standard queries (alias to AWS resources: free)", ROUTE53),
  },
  cloudwatch: {
    logsIngestGb: p(0.5, "GB ingested (standard)", CLOUDWATCH),
    logsStorageGbMonth: p(0.03, "GB-month archived", CLOUDWATCH),
    alarmMonth: p(0.1, "standard-resolution alarm-month", CLOUDWATCH),
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
  },
  ecr: {
    storageGbMonth: p(0.1, "GB-month", ECR),
  },
} as const;

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
