/**
 * `npm run cost`: prints the monthly estimate of every topology x environment x traffic level,
 * and the per-component breakdown of the chosen topology. Pure console output.
 *   npm run cost                      table
 *   npm run cost -- --detail eks      breakdown of another topology
 */
import {
  ENVIRONMENTS,
  estimate,
  formatSubmissions,
  formatUsd,
  TOPOLOGIES,
  TOPOLOGY_LABELS,
  type Topology,
  TRAFFIC_LEVELS,
} from "./model.js";
import { PRICES_AS_OF, REGION } from "./prices.js";

const detailArg = process.argv.indexOf("--detail");
const detail = (detailArg >= 0 ? process.argv[detailArg + 1] : "ecs-fargate") as Topology;
if (!TOPOLOGIES.includes(detail)) {
  console.error(`unknown topology ${detail}; one of ${TOPOLOGIES.join(", ")}`);
  process.exit(2);
}

console.log(`Coleta on AWS: estimated USD per month (${REGION}, on-demand list prices of ${PRICES_AS_OF})\n`);
const header = [
  "topology",
  ...ENVIRONMENTS.flatMap((env) => TRAFFIC_LEVELS.map((n) => `${env} ${formatSubmissions(n)}`)),
];
const rows = TOPOLOGIES.map((t) => [
  TOPOLOGY_LABELS[t],
  ...ENVIRONMENTS.flatMap((env) => TRAFFIC_LEVELS.map((n) => formatUsd(estimate(t, env, n).total))),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
console.log(line(header));
for (const r of rows) console.log(line(r));
console.log("(columns: environment and submissions per month)\n");

for (const env of ENVIRONMENTS) {
  const e = estimate(detail, env, 1_000_000);
  console.log(`${TOPOLOGY_LABELS[detail]}, ${env}, 1M submissions/month: ${formatUsd(e.total)}`);
  for (const c of e.components)
    console.log(`  ${c.name.padEnd(42)} ${formatUsd(c.usd).padStart(7)}  ${c.detail}`);
  console.log("");
}
console.log(
  "Assumptions and reasoning: docs/costs.md (regenerate with `npm run cost:docs -w @coleta/infra-aws`).",
);
