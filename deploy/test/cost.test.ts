// Cost model (infra/aws/cost): properties that must hold whatever the prices, the catalogue of
// resource types covering what inventory.json counted, and the generated docs/costs.md being up to
// date. No synth here (infra/aws/test/cost-catalogue.test.ts compares inventory.json with a fresh
// synth); this project only loads the pure model.
import { describe, expect, it } from "vitest";
import {
  CATALOGUE,
  classifyTemplates,
  entryFor,
  type LINES,
  type TemplateJson,
} from "../../infra/aws/cost/catalogue.ts";
import {
  ASSUMPTIONS,
  ENVIRONMENTS,
  type Estimate,
  estimate,
  estimateAll,
  flatRatePlanFor,
  INVENTORY,
  qty,
  sizesFor,
  TOPOLOGIES,
  TOPOLOGY_STATUS,
  TRAFFIC_LEVELS,
  trafficFor,
} from "../../infra/aws/cost/model.ts";
import {
  allAllowances,
  allPrices,
  CHECKED_ON,
  CLOUDFRONT_FLAT_RATE_PLANS,
  FREE_TIER,
  PRICES,
  PRICES_AS_OF,
} from "../../infra/aws/cost/prices.ts";
import { renderMarkdown, renderSvg } from "../../infra/aws/cost/render.ts";
import { read } from "./lib/repo.ts";

const AWS_PRICING_PAGE = /^https:\/\/aws\.amazon\.com\/[a-z0-9/-]*pricing\/([a-z-]+\/)?$/;
const line = (e: Estimate, id: keyof typeof LINES) => e.components.find((c) => c.line === id);

describe("cost model", () => {
  it("every price is positive, dated and has an https AWS source page", () => {
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}$/);
    const prices = allPrices();
    expect(prices.length).toBeGreaterThan(30);
    for (const [name, p] of prices) {
      expect(p.usd, name).toBeGreaterThan(0);
      expect(p.unit, name).not.toBe("");
      expect(p.source, name).toMatch(AWS_PRICING_PAGE);
      if (p.checked) expect(p.checked, name).toBe(CHECKED_ON);
      if (p.assumption) expect(p.assumption.length, name).toBeGreaterThan(20);
    }
    expect(CHECKED_ON).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const [name, f] of allAllowances()) {
      expect(f.quantity, name).toBeGreaterThan(0);
      expect(f.source, name).toMatch(AWS_PRICING_PAGE);
    }
    for (const plan of CLOUDFRONT_FLAT_RATE_PLANS) {
      expect(plan.source).toMatch(AWS_PRICING_PAGE);
      expect(plan.assumption, plan.name).not.toBe("");
    }
  });

  it("each total equals the sum of its components (to the cent)", () => {
    for (const e of estimateAll()) {
      const sum = e.components.reduce((s, c) => s + c.usd, 0);
      expect(e.total).toBeCloseTo(sum, 2);
      for (const c of e.components) expect(c.usd, `${e.topology} ${c.name}`).toBeGreaterThanOrEqual(0);
    }
  });

  it("is monotonic in traffic: more submissions never cost less", () => {
    for (const t of TOPOLOGIES) {
      for (const env of ENVIRONMENTS) {
        const totals = [10_000, ...TRAFFIC_LEVELS, 30_000_000].map((n) => estimate(t, env, n).total);
        for (let i = 1; i < totals.length; i++) {
          expect(totals[i], `${t} ${env}`).toBeGreaterThanOrEqual(totals[i - 1] as number);
        }
      }
    }
  });

  it("prod costs at least as much as dev for every topology and traffic level", () => {
    for (const t of TOPOLOGIES) {
      for (const n of TRAFFIC_LEVELS) {
        expect(estimate(t, "prod", n).total, `${t} ${n}`).toBeGreaterThanOrEqual(estimate(t, "dev", n).total);
      }
    }
  });

  it("Lambda is the cheapest option at 100k submissions/month but not at 10M (default assumptions)", () => {
    for (const env of ENVIRONMENTS) {
      const at = (n: number) => TOPOLOGIES.map((t) => estimate(t, env, n)).sort((a, b) => a.total - b.total);
      expect(at(100_000)[0]?.topology, env).toBe("lambda-apigw");
      expect(at(10_000_000)[0]?.topology, env).not.toBe("lambda-apigw");
    }
  });

  it("EKS is never cheaper than ECS Fargate (same workload plus a control plane)", () => {
    for (const env of ENVIRONMENTS) {
      for (const n of TRAFFIC_LEVELS) {
        expect(estimate("eks", env, n).total).toBeGreaterThan(estimate("ecs-fargate", env, n).total);
      }
    }
  });

  it("derives traffic from the stated per-submission assumptions", () => {
    const t = trafficFor(1_000_000);
    expect(t.apiRequests).toBe(1_000_000 * ASSUMPTIONS.apiRequestsPerSubmission);
    expect(t.cloudfrontRequests).toBe(
      1_000_000 * (ASSUMPTIONS.apiRequestsPerSubmission + ASSUMPTIONS.staticRequestsPerSubmission),
    );
    expect(t.peakRps).toBeCloseTo(t.averageRps * ASSUMPTIONS.peakToAverage);
  });

  it("scales Fargate out at peak when the CPU demand exceeds the minimum tasks", () => {
    const heavy = { ...ASSUMPTIONS, cpuMsPerRequest: 200 };
    const base = estimate("ecs-fargate", "prod", 10_000_000);
    const more = estimate("ecs-fargate", "prod", 10_000_000, heavy);
    const compute = (e: typeof base) => e.components.find((c) => c.name.startsWith("Compute"))?.usd ?? 0;
    expect(compute(more)).toBeGreaterThan(compute(base));
  });

  it("prices the alarms, dashboards, canaries and log metrics the synthesized stacks contain", () => {
    // INVENTORY (infra/aws/cost/inventory.json) is counted from the templates; the infra tests fail
    // when it differs from a fresh synth. Here: the model uses it, whatever the topology.
    for (const env of ENVIRONMENTS) {
      const m = INVENTORY[env];
      expect(m.dashboards, env).toBeGreaterThanOrEqual(1);
      expect(m.canaries, env).toBeGreaterThanOrEqual(1);
      for (const t of TOPOLOGIES) {
        const e = estimate(t, env, 1_000_000);
        const cw = line(e, "cloudwatch");
        expect(cw?.detail, `${t} ${env}`).toContain(`${m.alarms} alarms (${m.alarmMetrics} metrics)`);
        expect(cw?.detail).toContain(`${m.dashboards} dashboard`);
        const canary = line(e, "synthetics");
        const billedRuns = m.canaryRunsPerMonth - FREE_TIER.cloudwatch.canaryRuns.quantity;
        expect(canary?.usd, `${t} ${env}`).toBeGreaterThanOrEqual(
          Math.floor(PRICES.cloudwatch.canaryRun.usd * billedRuns * 100) / 100,
        );
      }
    }
  });

  it("has a catalogue entry (cost line or free reason) for every resource type inventory.json counted", () => {
    for (const env of ENVIRONMENTS) {
      expect(INVENTORY[env].unpriced, env).toEqual([]);
      const types = Object.keys(INVENTORY[env].resourceTypes);
      expect(types.length, env).toBeGreaterThan(30);
      for (const type of types) expect(entryFor(type), `${env}: ${type}`).toBeDefined();
      // Every cost line the templates feed exists in the estimate of the built topology.
      const e = estimate("ecs-fargate", env, 1_000_000);
      for (const id of Object.keys(INVENTORY[env].quantities))
        expect(line(e, id as keyof typeof LINES), `${env}: ${id}`).toBeDefined();
    }
    for (const [type, entry] of Object.entries(CATALOGUE)) expect(entry.summary, type).not.toBe("");
  });

  it("classifies a configuration it does not price as unpriced, and an unknown type too", () => {
    const template: TemplateJson = {
      Resources: {
        Gateway: { Type: "AWS::EC2::VPCEndpoint", Properties: { VpcEndpointType: "Gateway" } },
        Interface: {
          Type: "AWS::EC2::VPCEndpoint",
          Properties: { VpcEndpointType: "Interface", SubnetIds: ["a", "b"] },
        },
        Advanced: { Type: "AWS::SSM::Parameter", Properties: { Tier: "Advanced" } },
        Enhanced: {
          Type: "AWS::ECS::Cluster",
          Properties: { ClusterSettings: [{ Name: "containerInsights", Value: "enhanced" }] },
        },
        Bots: {
          Type: "AWS::WAFv2::WebACL",
          Properties: {
            Rules: [
              { Statement: { ManagedRuleGroupStatement: { Name: "AWSManagedRulesBotControlRuleSet" } } },
            ],
          },
        },
        Forever: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupClass: "INFREQUENT_ACCESS" } },
        Nlb: { Type: "AWS::ElasticLoadBalancingV2::LoadBalancer", Properties: { Type: "network" } },
        Unknown: { Type: "AWS::OpenSearchService::Domain", Properties: {} },
        Provider: { Type: "Custom::AnythingNew", Properties: {} },
      },
    };
    const kinds = Object.fromEntries(classifyTemplates([template]).map((c) => [c.id, c.classification]));
    expect(kinds.Gateway?.kind).toBe("free");
    expect(kinds.Interface).toEqual({
      kind: "cost",
      line: "vpcEndpoints",
      quantities: { interfaceEndpoints: 1, endpointAzs: 2 },
    });
    for (const id of ["Advanced", "Enhanced", "Bots", "Forever", "Nlb", "Unknown"])
      expect(kinds[id]?.kind, id).toBe("unpriced");
    expect(kinds.Provider).toMatchObject({ kind: "cost", line: "helpers" });
  });

  it("takes the counts from the templates: NAT gateways, WAF rules, secrets, hosted zones, KMS keys", () => {
    for (const env of ENVIRONMENTS) {
      const inv = INVENTORY[env];
      const e = estimate("ecs-fargate", env, 1_000_000);
      expect(line(e, "nat")?.quantities.natGateways, env).toBe(sizesFor(env).natGateways);
      expect(line(e, "waf")?.detail, env).toContain(`${qty(inv, "waf", "rules")} rules`);
      expect(line(e, "secrets")?.usd, env).toBeCloseTo(
        PRICES.secretsManager.secretMonth.usd * qty(inv, "secrets", "secrets") +
          (PRICES.secretsManager.apiCallsPer10k.usd * ASSUMPTIONS.secretsApiCallsPerMonth) / 10_000,
        2,
      );
      expect(line(e, "route53")?.detail, env).toContain(`${qty(inv, "route53", "hostedZones")} zones`);
      expect(line(e, "kms")?.usd, env).toBeGreaterThanOrEqual(
        qty(inv, "kms", "keys") * PRICES.kms.keyMonth.usd,
      );
      for (const id of ["flowLogs", "wafLogs", "containerInsights", "crossAz", "apiLogs"] as const)
        expect(line(e, id), `${env} ${id}`).toBeDefined();
    }
  });

  it("WAF, its logs, flow logs and cross-AZ traffic grow with traffic", () => {
    for (const env of ENVIRONMENTS) {
      const low = estimate("ecs-fargate", env, 100_000);
      const high = estimate("ecs-fargate", env, 10_000_000);
      for (const id of ["waf", "wafLogs", "flowLogs", "crossAz"] as const)
        expect(line(high, id)?.usd ?? 0, `${env} ${id}`).toBeGreaterThan(line(low, id)?.usd ?? 0);
    }
  });

  it("CloudFront: the free tier covers low traffic; South American edges cost more, and only with PriceClass_All", () => {
    const prod = sizesFor("prod");
    expect(INVENTORY.prod.cloudfrontPriceClass).toBe("PriceClass_All");
    expect(line(estimate("ecs-fargate", "prod", 100_000), "cloudfront")?.usd).toBe(0);
    const noFree = { ...ASSUMPTIONS, alwaysFreeTiers: false };
    expect(line(estimate("ecs-fargate", "prod", 1_000_000, noFree), "cloudfront")?.usd).toBeGreaterThan(0);
    const cf = (priceClass: string, share = ASSUMPTIONS.viewerShareSouthAmerica) =>
      line(
        estimate(
          "ecs-fargate",
          "prod",
          10_000_000,
          { ...ASSUMPTIONS, viewerShareSouthAmerica: share },
          { ...prod, monitoring: { ...prod.monitoring, cloudfrontPriceClass: priceClass } },
        ),
        "cloudfront",
      )?.usd ?? 0;
    expect(cf("PriceClass_All")).toBeGreaterThan(cf("PriceClass_100"));
    expect(cf("PriceClass_All", 0)).toBeCloseTo(cf("PriceClass_100"), 2);
    expect(cf("PriceClass_200")).toBeCloseTo(cf("PriceClass_100"), 2);
    expect(PRICES.cloudfront.gbOutSouthAmerica.usd).toBeGreaterThan(PRICES.cloudfront.gbOut.usd);
    expect(FREE_TIER.cloudfront.gbOut.quantity).toBe(1024);
    expect(FREE_TIER.cloudfront.requests.quantity).toBe(10_000_000);
  });

  it("offers the smallest CloudFront flat-rate plan that covers the month, never added to the total", () => {
    expect(flatRatePlanFor(800_000, 13).name).toBe("Free");
    expect(flatRatePlanFor(8_000_000, 134).name).toBe("Pro");
    expect(flatRatePlanFor(80_000_000, 1_335).name).toBe("Business");
    expect(flatRatePlanFor(2_000_000_000, 1).name).toBe("Premium");
    for (const e of estimateAll()) {
      const f = e.edgeFlatRate;
      expect(f.plan.requests >= e.traffic.cloudfrontRequests || f.plan.name === "Premium").toBe(true);
      expect(f.differenceUsd).toBeCloseTo(f.plan.usdMonth - f.payAsYouGoUsd, 2);
      expect(e.components.some((c) => c.name.toLowerCase().includes("flat-rate"))).toBe(false);
    }
  });

  it("says which topologies are built and which are modelled estimates", () => {
    const built = TOPOLOGIES.filter((t) => TOPOLOGY_STATUS[t] === "built");
    expect(built.sort()).toEqual(["ecs-fargate", "lambda-apigw"]);
    const md = renderMarkdown();
    expect(md).toContain("**Built** (the CDK stacks");
    expect(md).toMatch(/\| EKS \(Kubernetes\) on EC2 nodes \| modelled \|/);
    expect(md).toMatch(/\| Lambda \+ API Gateway \| built \|/);
    expect(md).toContain("## Why ECS on Fargate");
  });

  it("docs/costs.md and docs/costs.svg are regenerated from the current model", () => {
    expect(read("docs/costs.md")).toBe(renderMarkdown());
    expect(read("docs/costs.svg")).toBe(renderSvg());
    expect(renderSvg()).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });
});
