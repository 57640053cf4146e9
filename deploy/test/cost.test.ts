// Cost model (infra/aws/cost): properties that must hold whatever the prices, and the
// generated docs/costs.md being up to date. Lives here because infra/aws's vitest project is
// owned by the CDK workspace; see infra/aws/cost/README in docs/costs.md.
import { describe, expect, it } from "vitest";
import {
  ASSUMPTIONS,
  ENVIRONMENTS,
  estimate,
  estimateAll,
  INVENTORY,
  TOPOLOGIES,
  TRAFFIC_LEVELS,
  trafficFor,
} from "../../infra/aws/cost/model.ts";
import { allPrices, PRICES, PRICES_AS_OF } from "../../infra/aws/cost/prices.ts";
import { renderMarkdown, renderSvg } from "../../infra/aws/cost/render.ts";
import { read } from "./lib/repo.ts";

describe("cost model", () => {
  it("every price is positive, dated and has an https AWS source page", () => {
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}$/);
    const prices = allPrices();
    expect(prices.length).toBeGreaterThan(30);
    for (const [name, p] of prices) {
      expect(p.usd, name).toBeGreaterThan(0);
      expect(p.unit, name).not.toBe("");
      expect(p.source, name).toMatch(/^https:\/\/aws\.amazon\.com\/[a-z0-9/-]*pricing\/([a-z-]+\/)?$/);
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
        const cw = e.components.find((c) => c.name.startsWith("CloudWatch ("));
        expect(cw?.detail, `${t} ${env}`).toContain(`${m.alarms} alarms (${m.alarmMetrics} metrics)`);
        expect(cw?.detail).toContain(`${m.dashboards} dashboard`);
        const canary = e.components.find((c) => c.name.startsWith("CloudWatch Synthetics"));
        expect(canary?.usd, `${t} ${env}`).toBeGreaterThanOrEqual(
          Math.floor(PRICES.cloudwatch.canaryRun.usd * m.canaryRunsPerMonth * 100) / 100,
        );
      }
    }
  });

  it("docs/costs.md and docs/costs.svg are regenerated from the current model", () => {
    expect(read("docs/costs.md")).toBe(renderMarkdown());
    expect(read("docs/costs.svg")).toBe(renderSvg());
    expect(renderSvg()).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });
});
