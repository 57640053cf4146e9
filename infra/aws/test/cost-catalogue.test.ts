// The cost model cannot drift from the stacks: every resource type of the synthesized dev and prod
// templates has a cost line or a free entry (infra/aws/cost/catalogue.ts), inventory.json is what
// the templates contain, and every cost line prices the quantities the templates set.
// Regenerate after a stack change: npm run cost:docs -w @coleta/infra-aws
import { beforeAll, describe, expect, it } from "vitest";
import { configs, type EnvName } from "../config/index.js";
import { classifyTemplates, type TemplateJson } from "../cost/catalogue.js";
import { type EnvInventory, inventoryFromTemplates, readInventory } from "../cost/inventory.js";
import { estimate, qty, sizesFor } from "../cost/model.js";
import { synthEnv } from "./helpers.js";

const envs: EnvName[] = ["dev", "prod"];
const templates: Partial<Record<EnvName, TemplateJson[]>> = {};
const fresh: Partial<Record<EnvName, EnvInventory>> = {};

beforeAll(() => {
  for (const env of envs) {
    const synthesized = synthEnv(env);
    templates[env] = Object.values(synthesized.templates).map((t) => t.toJSON() as TemplateJson);
    fresh[env] = inventoryFromTemplates(templates[env]);
  }
});

const templatesOf = (env: EnvName): TemplateJson[] => {
  const t = templates[env];
  if (!t) throw new Error(`${env} not synthesized`);
  return t;
};
const inventoryOf = (env: EnvName): EnvInventory => {
  const i = fresh[env];
  if (!i) throw new Error(`${env} not synthesized`);
  return i;
};
/** Resources of one type straight from the templates (not through the catalogue). */
const ofType = (env: EnvName, type: string) =>
  templatesOf(env).flatMap((t) => Object.values(t.Resources ?? {}).filter((r) => r.Type === type));

describe("cost catalogue (infra/aws/cost/catalogue.ts)", () => {
  it("has a cost line or a free entry for every resource type of both environments", () => {
    for (const env of envs) {
      const missing = classifyTemplates(templatesOf(env))
        .filter((c) => c.classification.kind === "unpriced")
        .map((c) => {
          const reason = c.classification.kind === "unpriced" ? c.classification.reason : "";
          return `${env}: ${c.resource.Type} (${c.id}): ${reason}`;
        });
      expect(missing, `not priced:\n${missing.join("\n")}`).toEqual([]);
    }
  });

  it("inventory.json is what the templates contain (regenerate: npm run cost:docs -w @coleta/infra-aws)", () => {
    const inventory = readInventory();
    for (const env of envs) expect(inventory[env], env).toEqual(inventoryOf(env));
  });

  it("every cost line of the built topology prices the quantities the templates contain", () => {
    for (const env of envs) {
      const e = estimate("ecs-fargate", env, 1_000_000);
      for (const [line, quantities] of Object.entries(inventoryOf(env).quantities)) {
        const component = e.components.find((c) => c.line === line);
        expect(component, `${env}: no cost line "${line}" in the estimate`).toBeDefined();
        expect(component?.quantities, `${env} ${line}`).toEqual(quantities);
      }
      for (const c of e.components.filter((c) => c.line && Object.keys(c.quantities).length > 0)) {
        if (c.line === "crossAz") continue; // its quantity is the AZ count, checked below
        expect(
          inventoryOf(env).quantities[c.line as keyof EnvInventory["quantities"]],
          `${env} ${c.name}`,
        ).toEqual(c.quantities);
      }
    }
  });

  it("counts alarms, secrets, dashboards, canaries, WAF rules, hosted zones, NAT gateways and log groups from the templates", () => {
    for (const env of envs) {
      const inv = inventoryOf(env);
      const webAcls = ofType(env, "AWS::WAFv2::WebACL");
      const direct = {
        alarms: ofType(env, "AWS::CloudWatch::Alarm").length,
        secrets: ofType(env, "AWS::SecretsManager::Secret").length,
        dashboards: ofType(env, "AWS::CloudWatch::Dashboard").length,
        canaries: ofType(env, "AWS::Synthetics::Canary").length,
        wafRules: webAcls.reduce((n, w) => n + ((w.Properties?.Rules as unknown[]) ?? []).length, 0),
        hostedZones: ofType(env, "AWS::Route53::HostedZone").length,
        natGateways: ofType(env, "AWS::EC2::NatGateway").length,
        elasticIps: ofType(env, "AWS::EC2::EIP").length,
        kmsKeys: ofType(env, "AWS::KMS::Key").length,
        flowLogs: ofType(env, "AWS::EC2::FlowLog").length,
        logGroups: ofType(env, "AWS::Logs::LogGroup").length,
      };
      expect(
        {
          alarms: qty(inv, "cloudwatch", "alarms"),
          secrets: qty(inv, "secrets", "secrets"),
          dashboards: qty(inv, "cloudwatch", "dashboards"),
          canaries: qty(inv, "synthetics", "canaries"),
          wafRules: qty(inv, "waf", "rules"),
          hostedZones: qty(inv, "route53", "hostedZones"),
          natGateways: qty(inv, "nat", "natGateways"),
          elasticIps: qty(inv, "nat", "elasticIps"),
          kmsKeys: qty(inv, "kms", "keys"),
          flowLogs: qty(inv, "flowLogs", "flowLogs"),
          logGroups: (["apiLogs", "flowLogs", "wafLogs", "otherLogs"] as const).reduce(
            (n, line) => n + qty(inv, line, "logGroups"),
            0,
          ),
        },
        env,
      ).toEqual(direct);
      expect(inv.logGroups).toHaveLength(direct.logGroups);
      expect(direct.alarms, env).toBeGreaterThan(10);
      expect(direct.wafRules, env).toBeGreaterThan(0);
    }
  });

  it("every log group expires (the model prices storage for the retention the template sets)", () => {
    for (const env of envs) {
      const never = inventoryOf(env).logGroups.filter((g) => g.retentionDays === null);
      expect(never, env).toEqual([]);
      const c = configs[env];
      const retention = (kind: string) =>
        inventoryOf(env).logGroups.find((g) => g.kind === kind)?.retentionDays;
      expect(retention("api"), env).toBe(c.api.logRetentionDays);
      expect(retention("vpc-flow-logs"), env).toBe(c.network.flowLogRetentionDays);
    }
  });

  it("the sizes the model takes from config are the ones the templates deploy", () => {
    for (const env of envs) {
      const c = configs[env];
      const { sizes, availabilityZones } = inventoryOf(env);
      const s = sizesFor(env);
      expect(sizes.api, env).toEqual({
        cpu: c.api.cpu,
        memoryMiB: c.api.memoryMiB,
        minTasks: c.api.minTasks,
        maxTasks: c.api.maxTasks,
      });
      expect(sizes.database?.instanceClass, env).toBe(`db.${c.database.instanceType}`);
      expect(sizes.database?.multiAz, env).toBe(c.database.multiAz);
      expect(sizes.database?.allocatedStorageGiB, env).toBe(c.database.allocatedStorageGiB);
      expect(sizes.cache, env).toMatchObject({ nodeType: c.cache.nodeType, nodes: c.cache.nodes });
      expect(availabilityZones, env).toBe(c.network.availabilityZones.length);
      expect(s.azs, env).toBe(availabilityZones);
      expect(s.natGateways, env).toBe(c.network.natGateways);
      expect(inventoryOf(env).cloudfrontPriceClass, env).toBe(c.edge.priceClass);
    }
  });
});
