/**
 * Writes docs/costs.md (tables, catalogue of every resource type, assumptions, reasoning) and
 * docs/costs.svg (hand-made grouped bar chart, no chart library) from the model. Deterministic: CI
 * regenerates and diffs them.
 *   npx tsx infra/aws/cost/render.ts            (after inventory-synth.ts when the stacks changed)
 *   npm run cost:docs -w @coleta/infra-aws       both
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { entryFor, LINES } from "./catalogue.js";
import {
  ASSUMPTIONS,
  type Assumptions,
  ENVIRONMENTS,
  type Estimate,
  estimate,
  estimatesByTraffic,
  formatSubmissions,
  formatUsd,
  INVENTORY,
  qty,
  sizesFor,
  TOPOLOGIES,
  TOPOLOGY_LABELS,
  type Topology,
  TRAFFIC_LEVELS,
  totalsTable,
  unpricedResources,
} from "./model.js";
import {
  allAllowances,
  allPrices,
  CHECKED_ON,
  CLOUDFRONT_FLAT_RATE_PLANS,
  PRICES,
  PRICES_AS_OF,
  REGION,
} from "./prices.js";

const COLORS: Record<Topology, string> = {
  "ecs-fargate": "#1b6ac9",
  eks: "#8a5cc7",
  "lambda-apigw": "#e07b00",
  "ec2-asg": "#4a8a3c",
};

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function renderSvg(): string {
  const W = 960;
  const H = 420;
  const m = { top: 50, right: 20, bottom: 70, left: 70 };
  const groups = ENVIRONMENTS.flatMap((env) => TRAFFIC_LEVELS.map((n) => ({ env, n })));
  const data = groups.map((g) => TOPOLOGIES.map((t) => estimate(t, g.env, g.n)));
  const max = Math.max(...data.flat().map((e) => e.total));
  const yMax = Math.ceil(max / 250) * 250;
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const groupW = plotW / groups.length;
  const barW = (groupW * 0.8) / TOPOLOGIES.length;
  const y = (v: number) => m.top + plotH - (v / yMax) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-labelledby="title">`,
  );
  out.push(
    `<title id="title">Coleta on AWS: estimated monthly cost (USD) by topology, environment and submissions per month</title>`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(
    `<text x="${m.left}" y="24" font-size="15" font-weight="600">Estimated USD per month (${REGION}, ${PRICES_AS_OF}); only ECS is built, the rest modelled</text>`,
  );
  for (let v = 0; v <= yMax; v += 250) {
    out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${m.left - 8}" y="${y(v) + 4}" text-anchor="end" fill="#555">$${v}</text>`);
  }
  groups.forEach((g, gi) => {
    const x0 = m.left + gi * groupW + groupW * 0.1;
    data[gi]?.forEach((e, ti) => {
      const x = x0 + ti * barW;
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y(e.total).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(y(0) - y(e.total)).toFixed(1)}" fill="${COLORS[e.topology]}"><title>${esc(`${TOPOLOGY_LABELS[e.topology]}, ${g.env}, ${formatSubmissions(g.n)}: ${formatUsd(e.total)}`)}</title></rect>`,
      );
    });
    out.push(
      `<text x="${(x0 + groupW * 0.4).toFixed(1)}" y="${H - m.bottom + 18}" text-anchor="middle">${g.env} · ${formatSubmissions(g.n)}</text>`,
    );
  });
  out.push(
    `<text x="${m.left + plotW / 2}" y="${H - m.bottom + 38}" text-anchor="middle" fill="#555">environment · submissions per month</text>`,
  );
  TOPOLOGIES.forEach((t, i) => {
    const x = m.left + i * 215;
    out.push(`<rect x="${x}" y="${H - 18}" width="12" height="12" fill="${COLORS[t]}"/>`);
    out.push(`<text x="${x + 18}" y="${H - 8}">${esc(TOPOLOGY_LABELS[t])}</text>`);
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** Markdown table; `align` per column: "l" or "r" (default: first left, the others right). */
function table(rows: string[][], align?: string): string {
  const [head, ...body] = rows;
  if (!head) return "";
  const a = (i: number) => align?.[i] ?? (i === 0 ? "l" : "r");
  const lines = [
    `| ${head.join(" | ")} |`,
    `| ${head.map((_, i) => (a(i) === "r" ? "---:" : "---")).join(" | ")} |`,
  ];
  for (const r of body) lines.push(`| ${r.join(" | ")} |`);
  return lines.join("\n");
}

function breakdown(e: Estimate): string {
  return table(
    [
      ["Component", "USD/month", "How"],
      ...e.components.map((c) => [c.name, formatUsd(c.usd), c.detail]),
      ["**Total**", `**${formatUsd(e.total)}**`, ""],
    ],
    "lrl",
  );
}

/** Smallest submissions/month (on a log grid) from which `a` costs at least as much as `b`. */
function crossover(env: "dev" | "prod", a: Topology, b: Topology): number | null {
  for (let i = 0; i <= 80; i++) {
    const n = 10_000 * 10 ** (i / 20);
    if (estimate(a, env, n).total >= estimate(b, env, n).total) return n;
  }
  return null;
}
const about = (n: number) => {
  const digits = 10 ** (Math.floor(Math.log10(n)) - 1);
  const r = Math.round(n / digits) * digits;
  return r >= 1_000_000 ? `${r / 1_000_000}M` : `${r / 1000}k`;
};
const pct = (x: number) => `${Math.round(x * 100)}%`;
const days = (d: number | null) => (d === null ? "never expires" : `${d} d`);

function catalogueTable(): string {
  const types = [...new Set(ENVIRONMENTS.flatMap((env) => Object.keys(INVENTORY[env].resourceTypes)))].sort();
  return table(
    [
      ["Resource type", "dev", "prod", "Priced as"],
      ...types.map((type) => [
        `\`${type}\``,
        String(INVENTORY.dev.resourceTypes[type] ?? 0),
        String(INVENTORY.prod.resourceTypes[type] ?? 0),
        entryFor(type)?.summary ?? "**NOT PRICED: no catalogue entry**",
      ]),
    ],
    "lrrl",
  );
}

function unpricedBlock(): string {
  const rows = unpricedResources().map((u) => [u.env, `\`${u.type}\``, u.reason]);
  if (rows.length === 0)
    return "Every resource of both environments is either priced or free for a stated reason.";
  return `**Not priced (the tests fail until catalogue.ts covers them):**\n\n${table([["Env", "Type", "Why"], ...rows], "lll")}`;
}

function assumptionRows(a: Assumptions): string[][] {
  const both = (r: Record<"dev" | "prod", number>, unit: string) =>
    `${r.dev} / ${r.prod} ${unit} (dev / prod)`;
  return [
    ["API requests per submission (form GET, POST, amortized team reads)", `${a.apiRequestsPerSubmission}`],
    [
      "Static requests reaching CloudFront per submission (each runs a CloudFront Function)",
      `${a.staticRequestsPerSubmission}`,
    ],
    [
      "Bytes to the browser per submission",
      `${a.staticKbPerSubmission} KB static + ${a.apiKbPerRequest} KB per API response`,
    ],
    ["Viewers in South America (Brazil)", pct(a.viewerShareSouthAmerica)],
    ["CPU per API request on a container", `${a.cpuMsPerRequest} ms`],
    [
      "Lambda billed duration / memory (built: dev, prod)",
      `${a.lambdaBilledMsPerRequest} ms / ${sizesFor("dev").lambda.memoryGb} GB, ${sizesFor("prod").lambda.memoryGb} GB`,
    ],
    [
      "Peak-to-average traffic, share of the month at peak",
      `${a.peakToAverage}x, ${pct(a.peakShareOfMonth)}`,
    ],
    [
      "Stored per submission, retention counted",
      `${a.kbStoredPerSubmission} KB, ${a.monthsOfDataRetained} months`,
    ],
    [
      "API log volume per request / archived logs compress to",
      `${a.logKbPerRequest} KB / ${pct(a.logArchiveCompression)}`,
    ],
    ["WAF log record per inspected request (no logging filter)", `${a.wafLogKbPerRequest} KB`],
    [
      "VPC flow logs: baseline + per million API requests",
      `${both(a.flowLogBaselineGb, "GB")} + ${a.flowLogMbPerMillionApiRequests} MB`,
    ],
    [
      "PostgreSQL logs; each other small log group",
      `${both(a.databaseLogGb, "GB")}; ${a.otherLogGroupGb} GB`,
    ],
    [
      "API ↔ database / API ↔ cache bytes per API request",
      `${a.dbKbPerApiRequest} KB / ${a.cacheKbPerApiRequest} KB`,
    ],
    ["NAT baseline traffic", both(a.natBaselineGb, "GB")],
    [
      "Container Insights metrics per cluster / service / task family; events per task-minute",
      `${a.containerInsightsMetrics.perCluster} / ${a.containerInsightsMetrics.perService} / ${a.containerInsightsMetrics.perTaskFamily}; ${a.containerInsightsKbPerTaskMinute} KB`,
    ],
    ["RDS enhanced monitoring log per sample", `${a.enhancedMonitoringKbPerSample} KB`],
    [
      "Web bundle / uploads + exports / images in ECR",
      `${a.webBundleMb} MB / ${a.uploadsAndExportsGb} GB / ${a.ecrGb} GB`,
    ],
    ["Access logs (ALB + CloudFront, gzip) per request", `${a.accessLogKbPerRequest} KB`],
    [
      "Health-check canary run: duration, artifacts, log",
      `${a.canaryRunSeconds} s, ${a.canaryArtifactsPerRun} objects (${a.canaryArtifactsMbPerRun} MB), ${a.canaryLogKbPerRun} KB`,
    ],
    [
      "Backend deploys (migration task runs) per month",
      `${a.deploysPerMonth} x ${a.migrationTaskMinutes} min`,
    ],
    [
      "KMS requests / Secrets Manager API calls per month",
      `${a.kmsRequestsPerMonth} / ${a.secretsApiCallsPerMonth}`,
    ],
    ["Billed rotations of a rotating KMS key (steady state)", `${a.kmsBilledRotations}`],
    ["Valkey snapshot size", `${a.cacheSnapshotGb} GB`],
    ["Always-free allowances subtracted", a.alwaysFreeTiers ? "yes (one AWS account per environment)" : "no"],
  ];
}

export function renderMarkdown(): string {
  const a = ASSUMPTIONS;
  const totals = table(totalsTable(), "llrrrrrr");
  const dev = sizesFor("dev");
  const prod = sizesFor("prod");
  const cheapest = (env: "dev" | "prod", n: number) =>
    TOPOLOGIES.map((t) => estimate(t, env, n)).sort((x, y) => x.total - y.total)[0] as Estimate;
  const ecs = (env: "dev" | "prod", n: number) => estimate("ecs-fargate", env, n).total;
  const gap = (env: "dev" | "prod", n: number) => formatUsd(ecs(env, n) - cheapest(env, n).total);
  const lambdaCrossover = crossover("prod", "lambda-apigw", "ecs-fargate");
  const eksPremium = (env: "dev" | "prod") => estimate("eks", env, 1_000_000).total - ecs(env, 1_000_000);
  const near = ["ecs-fargate", "ec2-asg", "lambda-apigw"].map(
    (t) => estimate(t as Topology, "prod", 1_000_000).total,
  );
  const spread = (Math.max(...near) - Math.min(...near)) / Math.min(...near);
  const compute = (e: Estimate) =>
    e.components.filter((c) => c.name.startsWith("Compute")).reduce((s, c) => s + c.usd, 0);
  const prod10 = estimate("ecs-fargate", "prod", 10_000_000);
  const prod10UsOnly = estimate("ecs-fargate", "prod", 10_000_000, { ...a, viewerShareSouthAmerica: 0 });
  const cf = (e: Estimate) => e.components.find((c) => c.line === "cloudfront")?.usd ?? 0;
  const noFree = (env: "dev" | "prod", n: number) =>
    estimate("ecs-fargate", env, n, { ...a, alwaysFreeTiers: false }).total - ecs(env, n);
  const line = (e: Estimate, id: keyof typeof LINES) => e.components.find((c) => c.line === id)?.usd ?? 0;
  const flatRows = ENVIRONMENTS.flatMap((env) =>
    estimatesByTraffic("ecs-fargate", env).map((e) => {
      const f = e.edgeFlatRate;
      return [
        `${env} ${formatSubmissions(e.submissions)}`,
        `${(e.traffic.cloudfrontRequests / 1e6).toLocaleString("en-US", { maximumFractionDigits: 1 })}M / ${Math.round(e.traffic.cloudfrontGbOut).toLocaleString("en-US")} GB`,
        formatUsd(f.payAsYouGoUsd),
        `${f.plan.name} ${formatUsd(f.plan.usdMonth)}`,
        formatUsd(f.differenceUsd),
      ];
    }),
  );
  const inv = INVENTORY;
  const countRow = (label: string, f: (env: "dev" | "prod") => string | number) => [
    label,
    String(f("dev")),
    String(f("prod")),
  ];
  const assumptionsToCheck = allPrices().filter(([, p]) => p.assumption);
  return `# Costs

<!-- Generated by infra/aws/cost/render.ts from infra/aws/cost/{model,prices,catalogue}.ts, inventory.json and infra/aws/config.
     Do not edit by hand: change the model and run \`npm run cost:docs -w @coleta/infra-aws\`
     (inventory-synth.ts counts the synthesized templates, then render.ts writes this page). -->

Estimated **monthly** cost of running Coleta on AWS, per compute option, for the two environment
sizes defined in \`infra/aws/config\` and three traffic levels (form submissions per month).
${REGION} (CloudFront by viewer region: the respondents are in Brazil), on-demand list prices as of
${PRICES_AS_OF} (\`infra/aws/cost/prices.ts\`, every price with its source page), always-free
allowances subtracted once per environment (one AWS account each), no 12-month offers, no Savings
Plans. Print the same table with \`npm run cost\`.

**Built** (the CDK stacks in \`infra/aws\`; line items from the synthesized templates): ECS on
Fargate (the default) and Lambda + API Gateway (\`-c compute=lambda\`). **Modelled estimates**:
EKS (\`-c compute=eks\` builds the cluster, and the model takes its node group from
\`lib/constructs/eks-sizing.ts\`, but its line items are estimated, not read from the templates)
and EC2 Auto Scaling (not built).

These are estimates from explicit assumptions (below), not quotes. Re-check prices on the AWS pages
or the [AWS Pricing Calculator](https://calculator.aws/) before committing a budget; the CDK stacks
also create an AWS Budget with alerts (\`budget\` in \`infra/aws/config\`).

![Monthly cost by topology](costs.svg)

## Totals (USD per month)

${totals}

- **Cheapest at 100k submissions/month:** ${TOPOLOGY_LABELS[cheapest("prod", 100_000).topology]} (ECS Fargate costs ${gap("prod", 100_000)} more in prod).
- **Cheapest at 10M submissions/month:** ${TOPOLOGY_LABELS[cheapest("prod", 10_000_000).topology]}${cheapest("prod", 10_000_000).topology === "ecs-fargate" ? "" : ` (ECS Fargate costs ${gap("prod", 10_000_000)} more in prod)`}; Lambda costs ${formatUsd(estimate("lambda-apigw", "prod", 10_000_000).total - cheapest("prod", 10_000_000).total)} more.
- The database, cache, NAT gateways and the edge (CloudFront + WAF and its logs) are the same in
  every option and dominate the bill; compute is ${pct(compute(estimate("ecs-fargate", "prod", 1_000_000)) / ecs("prod", 1_000_000))} of the prod total at 1M submissions.
- The always-free allowances (CloudFront's 1 TB and 10M requests, CloudWatch, Lambda, KMS…) take
  ${formatUsd(noFree("dev", 1_000_000))} off dev and ${formatUsd(noFree("prod", 1_000_000))} off prod at 1M submissions.

## What each environment runs

| | dev | prod |
| --- | --- | --- |
| API (Fargate ARM64) | ${dev.fargate.vcpu} vCPU / ${dev.fargate.memoryGb} GB, ${dev.fargate.minTasks}–${dev.fargate.maxTasks} tasks | ${prod.fargate.vcpu} vCPU / ${prod.fargate.memoryGb} GB, ${prod.fargate.minTasks}–${prod.fargate.maxTasks} tasks |
| PostgreSQL (RDS) | db.${dev.database.instanceType}${dev.database.multiAz ? " Multi-AZ" : ", Single-AZ"}, ${dev.database.storageGb} GB | db.${prod.database.instanceType}${prod.database.multiAz ? " Multi-AZ" : ", Single-AZ"}, ${prod.database.storageGb} GB |
| Valkey (ElastiCache) | ${dev.cache.nodes} x ${dev.cache.nodeType} | ${prod.cache.nodes} x ${prod.cache.nodeType} |
| Availability zones / NAT gateways | ${dev.azs} / ${dev.natGateways} | ${prod.azs} / ${prod.natGateways} |
| CloudFront price class | ${inv.dev.cloudfrontPriceClass} | ${inv.prod.cloudfrontPriceClass} |
| WAF rules | ${qty(inv.dev, "waf", "rules")} | ${qty(inv.prod, "waf", "rules")} |
| Container Insights | ${inv.dev.containerInsights} | ${inv.prod.containerInsights} |
| Database Insights (advanced would add) | ${inv.dev.sizes.database?.databaseInsights} (+${formatUsd(PRICES.rds.databaseInsightsAdvancedVcpuHour.usd * dev.database.vcpu * 730)}/month) | ${inv.prod.sizes.database?.databaseInsights} (+${formatUsd(PRICES.rds.databaseInsightsAdvancedVcpuHour.usd * prod.database.vcpu * 730)}/month) |
| EKS alternative (modelled) | ${dev.eks.minNodes}+ x ${dev.eks.nodeType} + control plane | ${prod.eks.minNodes}+ x ${prod.eks.nodeType} + control plane |
| EC2 alternative (modelled) | ${dev.ec2.minInstances}+ x ${dev.ec2.instanceType} | ${prod.ec2.minInstances}+ x ${prod.ec2.instanceType} |

## Breakdown: ECS Fargate, 1M submissions/month

### dev

${breakdown(estimate("ecs-fargate", "dev", 1_000_000))}

### prod

${breakdown(estimate("ecs-fargate", "prod", 1_000_000))}

## CloudFront for respondents in Brazil

CloudFront bills by the edge location that serves the viewer. South American edges cost more:
${PRICES.cloudfront.gbOutSouthAmerica.usd} USD/GB and ${PRICES.cloudfront.httpsRequestsPer10kSouthAmerica.usd} USD per 10k HTTPS requests, against
${PRICES.cloudfront.gbOut.usd} and ${PRICES.cloudfront.httpsRequestsPer10k.usd} in the United States and Europe (first 10 TB). Only
\`PriceClass_All\` uses South American edges; with \`PriceClass_100\` or \`PriceClass_200\` Brazilian
viewers are served, more slowly, from North American edges at US prices.

- The templates set **${inv.dev.cloudfrontPriceClass}** in dev and **${inv.prod.cloudfrontPriceClass}** in prod, so the model bills
  ${pct(inv.dev.cloudfrontPriceClass === "PriceClass_All" ? a.viewerShareSouthAmerica : 0)} of dev's and ${pct(inv.prod.cloudfrontPriceClass === "PriceClass_All" ? a.viewerShareSouthAmerica : 0)} of prod's CloudFront traffic at South American prices
  (assumption: ${pct(a.viewerShareSouthAmerica)} of viewers are in South America).
- The always-free tier covers ${(1024).toLocaleString("en-US")} GB out, 10M requests and 2M CloudFront Functions
  runs a month per account (all regions together; the model takes it pro rata). At 1M submissions
  (${(estimate("ecs-fargate", "prod", 1_000_000).traffic.cloudfrontRequests / 1e6).toLocaleString("en-US")}M requests) the CloudFront line is ${formatUsd(cf(estimate("ecs-fargate", "prod", 1_000_000)))}; at 10M the prod line is ${formatUsd(cf(prod10))},
  of which ${formatUsd(cf(prod10) - cf(prod10UsOnly))} is the South American premium.

## Alternative: CloudFront flat-rate plans

Since 2025-11-18 CloudFront also sells flat-rate plans per distribution: one monthly price that
includes delivery, AWS WAF with DDoS protection, Route 53 DNS for the domain, CloudWatch Logs
ingestion of access and WAF logs, and S3 storage credits, with **no overage charges** (beyond the
allowance AWS may throttle or ask for a higher plan; WAF-blocked requests do not count).

${table(
  [
    ["Plan", "USD/month", "Requests", "Data out"],
    ...CLOUDFRONT_FLAT_RATE_PLANS.map((p) => [
      p.name,
      formatUsd(p.usdMonth),
      `${p.requests / 1e6}M`,
      p.gbOut >= 1024 ? `${p.gbOut / 1024} TB` : `${p.gbOut} GB`,
    ]),
  ],
  "lrrr",
)}

For the modelled traffic, the cheapest plan that covers the month against what it replaces on
pay-as-you-go (${LINES.cloudfront} + ${LINES.waf} + WAF log ingestion + the public hosted zone; log storage,
the private zone and everything else stay):

${table([["Env · submissions", "Requests / data out", "Pay-as-you-go", "Flat-rate plan", "Difference"], ...flatRows], "lrrrr")}

Not in the totals: the stacks deploy pay-as-you-go. Before switching, check the plan's WAF limits
against the ${qty(inv.prod, "waf", "rules")} rules of the web ACL (the rate-based rule and three managed groups), that one plan covers one
distribution and one apex domain, and that a plan can be downgraded only at the next billing cycle.
A plan is attached outside CDK today (console, or the \`AWS::PricingPlanManager::Subscription\`
CloudFormation resource, which needs a separate approval call for paid tiers). **The tiers and
allowances are assumptions**: they agree across AWS's CloudFormation reference, aws/aws-cdk issue
#37857 and several write-ups of the announcement, but the AWS pricing page itself could not be read
when this model was updated (${CHECKED_ON}).

## Every resource in the templates

\`infra/aws/cost/catalogue.ts\` maps every CloudFormation resource type of the synthesized dev and
prod stacks to a cost line (with the quantity read from the template) or to a free entry with the
reason. \`infra/aws/test/cost-catalogue.test.ts\` synthesizes both environments and fails when a
type is in neither list, when a configuration is not priced (an interface VPC endpoint, an Advanced
SSM parameter, Container Insights with enhanced observability, a third budget…), when a cost line's
quantity differs from the template, or when a log group never expires. Custom resources and the
hosted secret-rotation function are priced as Lambda: they run on deploys and once per rotation,
well inside the always-free 1M requests / 400,000 GB-s.

${catalogueTable()}

${unpricedBlock()}

Counted from the synthesized templates (\`infra/aws/cost/inventory.json\`, checked by the infra tests):

${table(
  [
    ["Resource", "dev", "prod"],
    countRow("Alarms (metrics they read)", (env) => `${inv[env].alarms} (${inv[env].alarmMetrics})`),
    countRow("Dashboards", (env) => inv[env].dashboards),
    countRow(
      "Synthetics canaries (runs per month, memory)",
      (env) =>
        `${inv[env].canaries} (${inv[env].canaryRunsPerMonth.toLocaleString("en-US")}, ${inv[env].canaryMemoryMb} MB)`,
    ),
    countRow("Log metric filters (custom metrics)", (env) => inv[env].logMetricFilters),
    countRow(
      "NAT gateways / Elastic IPs / AZs",
      (env) =>
        `${qty(inv[env], "nat", "natGateways")} / ${qty(inv[env], "nat", "elasticIps")} / ${inv[env].availabilityZones}`,
    ),
    countRow(
      "WAF web ACLs (rules), logging configurations",
      (env) =>
        `${qty(inv[env], "waf", "webAcls")} (${qty(inv[env], "waf", "rules")}), ${qty(inv[env], "wafLogs", "loggingConfigurations")}`,
    ),
    countRow(
      "Secrets (rotation every)",
      (env) => `${qty(inv[env], "secrets", "secrets")} (${days(inv[env].secretRotationDays)})`,
    ),
    countRow(
      "Hosted zones (private)",
      (env) => `${qty(inv[env], "route53", "hostedZones")} (${qty(inv[env], "route53", "privateZones")})`,
    ),
    countRow(
      "KMS customer managed keys (rotating)",
      (env) => `${qty(inv[env], "kms", "keys")} (${qty(inv[env], "kms", "rotatingKeys")})`,
    ),
    countRow("VPC flow logs", (env) => qty(inv[env], "flowLogs", "flowLogs")),
    countRow("Log groups: kind and retention", (env) =>
      inv[env].logGroups.map((g) => `${g.kind} ${days(g.retentionDays)}`).join(", "),
    ),
    countRow(
      "S3 buckets / ECR repositories",
      (env) => `${qty(inv[env], "s3", "buckets")} / ${qty(inv[env], "ecr", "repositories")}`,
    ),
    countRow("Lambda functions / custom resources / rotation schedules / state machines", (env) =>
      ["lambdaFunctions", "customResources", "rotationSchedules", "stateMachines"]
        .map((k) => qty(inv[env], "helpers", k))
        .join(" / "),
    ),
  ],
  "lrr",
)}

## Assumptions

${table([["Assumption", "Value"], ...assumptionRows(a)], "ll")}

Compute is sized for the peak: \`ceil(peak RPS x CPU per request / target utilization / vCPU per
unit)\`, never below the configured minimum, and billed at that size for the peak share of the month
and at the minimum otherwise. Calibrate \`cpuMsPerRequest\` with \`npm run bench:submissions\`.

Cross-AZ traffic: the API tasks (or functions) spread over the Availability Zones while the database
and cache primaries live in one, so (AZs − 1)/AZs of their traffic crosses a zone: billed on both
sides for PostgreSQL, on the client side only for ElastiCache. ALB → targets across zones, RDS
Multi-AZ replication and (assumed) Valkey replication are not charged. In dev, tasks in the AZ
without a NAT gateway also cross a zone to reach it.

Log groups are priced by what writes to them (the API's containers, VPC flow logs and WAF as vended
logs, PostgreSQL, the rotation workflow): ingestion, then storage of the compressed data for the
retention the template sets. Container Insights' performance log group, the canary's and the
rotation function's log groups are created by AWS outside the templates; their small volumes are
in the Container Insights, Synthetics and helpers lines.

### Always-free allowances used

${table(
  [
    ["Allowance", "Per month", "Unit", "Source", "Checked"],
    ...allAllowances().map(([k, f]) => [
      `\`${k}\``,
      f.quantity.toLocaleString("en-US"),
      f.unit,
      f.source,
      f.checked ?? "",
    ]),
  ],
  "lrlll",
)}

### Not confirmed on an AWS page

- CloudFront flat-rate plans: tiers, prices and allowances (see above).
${assumptionsToCheck.map(([k, p]) => `- \`${k}\` (${p.usd} USD per ${p.unit}): ${p.assumption}.`).join("\n")}
- Modelling assumptions without a published figure: Container Insights metric counts per cluster /
  service / task family (the ECS metric list changes with the platform), the size of WAF and flow log
  records, the compression of archived logs, Valkey replication across zones being free, and the
  share of South American viewers.

## Why ECS on Fargate

- **Cost is not the deciding factor at this scale.** ECS, EC2 Auto Scaling and Lambda land within
  ${pct(spread)} of each other in prod at 1M submissions; EKS adds a fixed premium (${formatUsd(eksPremium("dev"))} in dev,
  ${formatUsd(eksPremium("prod"))} in prod: control plane ~${formatUsd(PRICES.eks.clusterHour.usd * 730)}/month plus per-AZ nodes). Lambda is the cheapest at
  low traffic (nothing runs between requests, and the free tier covers the first 1M requests) but it
  pays per request and for wall-clock time spent waiting on Postgres, so it stops being cheapest as
  traffic grows (crossover near ${lambdaCrossover ? about(lambdaCrossover) : "—"} submissions/month in prod with these assumptions),
  and it needs RDS Proxy to avoid exhausting database connections. Both EKS and Lambda are modelled
  here, not built.
- **Teams with little infrastructure knowledge.** Fargate has no servers, AMIs, node groups or
  cluster upgrades to own. A deploy is "new image → new task definition revision → rolling update";
  rollbacks are automatic (deployment circuit breaker). EC2 Auto Scaling is marginally cheaper but
  adds OS patching, AMI rotation and instance draining; EKS adds Kubernetes itself.
- **Same artefact everywhere.** The API image runs unchanged on a laptop (docker compose), in CI and
  in ECS; moving to EKS later reuses it (see [roadmap.md](roadmap.md)). Lambda would need a different
  entry point and a different connection strategy.
- **Where to save first** (prod): NAT gateways (one per AZ, ${formatUsd(line(estimate("ecs-fargate", "prod", 1_000_000), "nat"))}) and the Multi-AZ database plus two cache
  nodes are the largest lines. VPC interface endpoints can replace part of the NAT traffic, a
  smaller instance class fits the measured load, and Compute Savings Plans cut Fargate by up to ~50%.
  At high traffic the WAF and its logs grow with every request (${formatUsd(line(prod10, "waf") + line(prod10, "wafLogs"))} in prod at 10M): a logging
  filter that keeps only blocked requests, or a flat-rate CloudFront plan, caps them.

## Prices used

Checked ${CHECKED_ON} = compared with a stored copy of the AWS page on that day ("third-party pages":
only pages quoting it could be read); "assumption" = listed under "Not confirmed" above; blank =
carried over from the 2026-11 model.

${table(
  [
    ["Price", "USD", "Unit", "Source", "Checked"],
    ...allPrices().map(([k, p]) => [
      `\`${k}\``,
      String(p.usd),
      p.unit,
      p.source,
      p.assumption
        ? "assumption"
        : p.checked
          ? `${p.checked}${p.thirdParty ? " (third-party pages)" : ""}`
          : "",
    ]),
  ],
  "lrlll",
)}
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const docs = fileURLToPath(new URL("../../../docs/", import.meta.url));
  writeFileSync(`${docs}costs.md`, renderMarkdown());
  writeFileSync(`${docs}costs.svg`, renderSvg());
  console.log(`wrote ${docs}costs.md and ${docs}costs.svg`);
}
