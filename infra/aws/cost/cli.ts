/**
 * `npm run cost`: prints the monthly estimate of every topology x environment x traffic level,
 * the per-component breakdown of the chosen topology, and the CloudFront flat-rate alternative.
 * Pure console output.
 *   npm run cost                      table
 *   npm run cost -- --detail eks      breakdown of another topology
 */
import {
  ENVIRONMENTS,
  estimate,
  estimatesByTraffic,
  formatSubmissions,
  formatUsd,
  TOPOLOGIES,
  TOPOLOGY_LABELS,
  type Topology,
  totalsTable,
  unpricedResources,
} from "./model.js";
import { PRICES_AS_OF, REGION } from "./prices.js";

const detailArg = process.argv.indexOf("--detail");
const detail = (detailArg >= 0 ? process.argv[detailArg + 1] : "ecs-fargate") as Topology;
if (!TOPOLOGIES.includes(detail)) {
  console.error(`unknown topology ${detail}; one of ${TOPOLOGIES.join(", ")}`);
  process.exit(2);
}

console.log(
  `Coleta on AWS: estimated USD per month (${REGION}, on-demand list prices of ${PRICES_AS_OF}, always-free allowances subtracted)\n`,
);
const [header = [], ...rows] = totalsTable();
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
console.log(line(header));
for (const r of rows) console.log(line(r));
console.log(
  "(columns: environment and submissions per month; built = the CDK stacks in infra/aws, modelled = estimate only)\n",
);

for (const env of ENVIRONMENTS) {
  const e = estimate(detail, env, 1_000_000);
  console.log(`${TOPOLOGY_LABELS[detail]}, ${env}, 1M submissions/month: ${formatUsd(e.total)}`);
  for (const c of e.components)
    console.log(`  ${c.name.padEnd(46)} ${formatUsd(c.usd).padStart(7)}  ${c.detail}`);
  console.log("");
}

console.log("Edge on a CloudFront flat-rate plan instead of pay-as-you-go (alternative, not in the totals):");
for (const env of ENVIRONMENTS) {
  const cells = estimatesByTraffic(detail, env).map(
    ({ submissions, edgeFlatRate: f }) =>
      `${formatSubmissions(submissions)}: ${f.plan.name} ${formatUsd(f.plan.usdMonth)} vs ${formatUsd(f.payAsYouGoUsd)}`,
  );
  console.log(`  ${env}  ${cells.join("   ")}`);
}
const unpriced = unpricedResources();
if (unpriced.length > 0) {
  console.log("\nNOT PRICED (add a cost line or a free entry in infra/aws/cost/catalogue.ts):");
  for (const u of unpriced) console.log(`  ${u.env}: ${u.type}: ${u.reason}`);
}
console.log(
  "\nAssumptions and reasoning: docs/costs.md (regenerate with `npm run cost:docs -w @coleta/infra-aws`).",
);
