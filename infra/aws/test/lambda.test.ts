// `-c compute=lambda`: the Serverless stack (function, HTTP API, RDS Proxy, migrations) in place of
// App, behind the same CloudFront distribution and WAF, with its alarms for the backend team on the
// status dashboard. One synthesis (prod) for the whole file; dev is synthesized by `cdk synth`.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { configs } from "../config/index.js";
import { classifyTemplates, type TemplateJson } from "../cost/catalogue.js";
import { sizesFor } from "../cost/model.js";
import { addColetaLambdaEnvironment, type ColetaLambdaStacks, checkCompute } from "../lib/coleta.js";
import { alarmRunbookId } from "../lib/constructs/alerts.js";
import { LAMBDA_ALARM_IDS } from "../lib/constructs/lambda-alarms.js";
import { LAMBDA_BUNDLE_FILES, LAMBDA_CA_FILE } from "../lib/constructs/lambda-api.js";
import { lambdaSettings, proxyClientConnectionCeiling } from "../lib/constructs/lambda-settings.js";
import { nagFindings } from "./helpers.js";

const here = dirname(fileURLToPath(import.meta.url));
const cdkJson = JSON.parse(readFileSync(join(here, "..", "cdk.json"), "utf8")) as {
  context: Record<string, unknown>;
};
const RUNBOOKS = join(here, "..", "..", "..", "docs", "runbooks");

/** A stand-in for apps/api/dist-lambda: the files the construct requires, not the real code. */
function fakeBundle(): string {
  const dir = mkdtempSync(join(tmpdir(), "coleta-lambda-bundle-"));
  for (const file of LAMBDA_BUNDLE_FILES) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), "export const handler = async () => ({});\n");
  }
  return dir;
}

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
const all = (t: Template, type: string) => Object.values(t.findResources(type)) as Resource[];
const entries = (t: Template, type: string) => Object.entries(t.findResources(type)) as [string, Resource][];

let app: App;
let stacks: ColetaLambdaStacks;
let t: Record<"serverless" | "edge" | "monitoring", Template>;
const config = configs.prod;
const settings = lambdaSettings(config);

beforeAll(() => {
  app = new App({ context: { ...cdkJson.context } });
  stacks = addColetaLambdaEnvironment(app, config, { lambdaBundleDir: fakeBundle() });
  app.synth();
  t = {
    serverless: Template.fromStack(stacks.serverless),
    edge: Template.fromStack(stacks.edge),
    monitoring: Template.fromStack(stacks.monitoring),
  };
});

describe("the compute switch", () => {
  it("accepts ecs, lambda and eks (default ecs) and refuses anything else in one line", () => {
    expect(checkCompute(undefined)).toBe("ecs");
    expect(checkCompute("lambda")).toBe("lambda");
    expect(checkCompute("eks")).toBe("eks");
    expect(() => checkCompute("fargate")).toThrow(
      /^Unknown compute "fargate": use ecs, lambda, eks \(default ecs\)$/,
    );
  });
});

describe("Coleta-prod with compute=lambda", () => {
  it("replaces App with Serverless: no ECS, no ALB; Edge and Monitoring follow it", () => {
    expect(Object.keys(stacks).sort()).toEqual([
      "cicd",
      "data",
      "edge",
      "monitoring",
      "network",
      "serverless",
    ]);
    expect(all(t.serverless, "AWS::ECS::Service")).toHaveLength(0);
    expect(all(t.serverless, "AWS::ElasticLoadBalancingV2::LoadBalancer")).toHaveLength(0);
    expect(stacks.edge.dependencies).toContain(stacks.serverless);
  });

  it("runs the API on Node.js LTS, ARM64, in the private subnets, with the API's security group", () => {
    const [fn] = all(t.serverless, "AWS::Lambda::Function").filter(
      (f) => f.Properties.Handler === "handler.handler",
    );
    expect(fn?.Properties).toMatchObject({
      Runtime: "nodejs24.x",
      Architectures: ["arm64"],
      MemorySize: settings.memoryMiB,
      Timeout: 29,
      ReservedConcurrentExecutions: settings.maxConcurrency,
      TracingConfig: { Mode: "Active" },
    });
    const subnets = JSON.stringify(fn?.Properties.VpcConfig.SubnetIds);
    expect(subnets).toMatch(/privateSubnet/i);
    expect(subnets).not.toMatch(/isolated|public/i);
    expect(JSON.stringify(fn?.Properties.VpcConfig.SecurityGroupIds)).toMatch(/FirewallApi/);
  });

  it("configures the function like the container, with secrets as references only", () => {
    const [fn] = all(t.serverless, "AWS::Lambda::Function").filter(
      (f) => f.Properties.Handler === "handler.handler",
    );
    const vars = fn?.Properties.Environment.Variables as Record<string, unknown>;
    expect(vars).toMatchObject({
      NODE_ENV: "production",
      API_BASE_PATH: "/backend",
      TRUST_PROXY_HOPS: "2",
      DATABASE_SSL_MODE: "verify-full",
      DATABASE_SSL_CA_FILE: LAMBDA_CA_FILE,
      DATABASE_POOL_SIZE: String(settings.databasePoolSize),
      MIGRATE_ON_START: "false",
      REDIS_TLS: "true",
    });
    // The database is dialled through the proxy's endpoint.
    expect(JSON.stringify(vars.DATABASE_HOST)).toMatch(/Proxy.*Endpoint/);
    // No value of a secret, only ARNs (#field) for the function to read at cold start.
    for (const name of ["DATABASE_PASSWORD", "AUTH_SECRET", "REDIS_PASSWORD", "ORIGIN_VERIFY_HEADER_VALUE"]) {
      expect(vars[name], name).toBeUndefined();
    }
    const refs = JSON.stringify(vars.COLETA_SECRET_ENV);
    for (const name of [
      "DATABASE_USER",
      "DATABASE_PASSWORD",
      "REDIS_PASSWORD",
      "AUTH_SECRET",
      "ORIGIN_VERIFY_HEADER_VALUE",
    ]) {
      expect(refs, name).toContain(name);
    }
    expect(JSON.stringify(t.serverless.toJSON())).not.toMatch(/resolve:secretsmanager/);
  });

  it("puts an RDS Proxy (TLS required) between the functions and the database, admitted both ways", () => {
    const [proxy] = all(t.serverless, "AWS::RDS::DBProxy");
    expect(proxy?.Properties).toMatchObject({ EngineFamily: "POSTGRESQL", RequireTLS: true });
    expect(proxy?.Properties.Auth).toHaveLength(3);
    const [targets] = all(t.serverless, "AWS::RDS::DBProxyTargetGroup");
    expect(targets?.Properties.ConnectionPoolConfigurationInfo).toMatchObject({
      MaxConnectionsPercent: settings.proxyMaxConnectionsPercent,
    });
    const ingress = all(t.serverless, "AWS::EC2::SecurityGroupIngress").map((r) => r.Properties.Description);
    const egress = all(t.serverless, "AWS::EC2::SecurityGroupEgress").map((r) => r.Properties.Description);
    expect(ingress.sort()).toEqual([
      "PostgreSQL from the Api function",
      "PostgreSQL from the Migration function",
      "PostgreSQL from the RDS Proxy",
    ]);
    expect(egress.sort()).toEqual([
      "PostgreSQL to the RDS Proxy",
      "PostgreSQL to the RDS Proxy",
      "PostgreSQL to the database",
    ]);
    for (const r of all(t.serverless, "AWS::EC2::SecurityGroupIngress")) {
      expect(r.Properties.FromPort).toBe(5432);
      expect(r.Properties.CidrIp).toBeUndefined();
    }
  });

  it("runs migrations as a custom resource before the alias that takes traffic moves", () => {
    const [migrationsId] = entries(t.serverless, "Custom::ColetaMigrations").map(([id]) => id);
    expect(migrationsId).toBeDefined();
    const [migrate] = all(t.serverless, "AWS::Lambda::Function").filter(
      (f) => f.Properties.Handler === "migrate.handler",
    );
    expect(JSON.stringify(migrate?.Properties.Environment.Variables.COLETA_SECRET_ENV)).toContain(
      "DATABASE_ADMIN_PASSWORD",
    );
    const [[, alias]] = entries(t.serverless, "AWS::Lambda::Alias") as [[string, Resource]];
    expect(alias.Properties.Name).toBe("live");
    expect(alias.DependsOn).toContain(migrationsId);
    // The integration invokes the alias, not $LATEST.
    const [integration] = all(t.serverless, "AWS::ApiGatewayV2::Integration");
    expect(JSON.stringify(integration?.Properties.IntegrationUri)).toMatch(/Live/);
    expect(integration?.Properties.PayloadFormatVersion).toBe("2.0");
  });

  it("serves it as an HTTP API, throttled and access-logged, that is CloudFront's /backend origin", () => {
    t.serverless.hasResourceProperties("AWS::ApiGatewayV2::Api", { ProtocolType: "HTTP" });
    t.serverless.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: settings.throttleRatePerSecond,
        ThrottlingBurstLimit: settings.throttleBurst,
      },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    const [distribution] = all(t.edge, "AWS::CloudFront::Distribution");
    const json = JSON.stringify(distribution?.Properties);
    expect(json).toMatch(/execute-api/);
    expect(json).toContain("X-Origin-Verify");
    expect(
      distribution?.Properties.DistributionConfig.CacheBehaviors.map(
        (b: { PathPattern: string }) => b.PathPattern,
      ),
    ).toContain("/backend/*");
    // WAF unchanged: the same web ACL on the distribution.
    expect(distribution?.Properties.DistributionConfig.WebACLId).toBeDefined();
  });

  it("routes the function's, the API's and the proxy's alarms to the backend team, with runbooks", () => {
    const backend = stacks.monitoring.alerts.alarmsOf("backend").map((e) => e.id);
    for (const id of LAMBDA_ALARM_IDS) {
      expect(backend, id).toContain(id);
      expect(
        existsSync(join(RUNBOOKS, `${alarmRunbookId(id)}.md`)),
        `docs/runbooks/${alarmRunbookId(id)}.md`,
      ).toBe(true);
    }
    // No alarm on a load balancer or ECS service that does not exist here.
    expect(backend).not.toContain("ApiNoHealthyTargets");
    expect(backend).not.toContain("ApiRunningTasks");
    const alarms = all(t.monitoring, "AWS::CloudWatch::Alarm");
    const byName = (suffix: string) => alarms.find((a) => String(a.Properties.AlarmName).endsWith(suffix));
    expect(byName("backend-LambdaThrottles")?.Properties).toMatchObject({
      MetricName: "Throttles",
      Namespace: "AWS/Lambda",
    });
    expect(byName("backend-LambdaDurationP95")?.Properties).toMatchObject({
      MetricName: "Duration",
      ExtendedStatistic: "p95",
      Threshold: settings.durationP95AlarmMs,
    });
    expect(byName("backend-ProxyClientConnections")?.Properties).toMatchObject({
      Namespace: "AWS/RDS",
      MetricName: "ClientConnections",
      Threshold: Math.floor(proxyClientConnectionCeiling(settings) * 0.8),
    });
    for (const alarm of LAMBDA_ALARM_IDS) {
      expect(byName(`backend-${alarm}`)?.Properties.AlarmActions, alarm).toHaveLength(2);
    }
  });

  it("shows them on the status dashboard", () => {
    const [dashboard] = all(t.monitoring, "AWS::CloudWatch::Dashboard");
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    expect(body).toContain("LambdaThrottles");
    expect(body).toContain("AWS/ApiGateway");
    expect(body).toContain("ClientConnections");
  });

  it("is fully priced by the cost catalogue (the cost model's Lambda line is this variant)", () => {
    // The stacks shared with ECS are priced by test/cost-catalogue.test.ts.
    const templates = [t.serverless.toJSON() as TemplateJson];
    const unpriced = classifyTemplates(templates).filter((c) => c.classification.kind === "unpriced");
    expect(unpriced.map((c) => `${c.resource.Type}: ${JSON.stringify(c.classification)}`)).toEqual([]);
    expect(sizesFor("prod").lambda).toEqual({
      memoryGb: Math.round((settings.memoryMiB / 1024) * 100) / 100,
      maxConcurrency: settings.maxConcurrency,
    });
  });

  it("has zero unacknowledged cdk-nag AwsSolutions findings", () => {
    expect(nagFindings(app).map((v) => v.ruleName)).toEqual([]);
  });
});
