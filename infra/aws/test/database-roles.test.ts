// Database roles, health checks that do not flap, Database Insights and Lambda runtimes, from the
// synthesized templates. The roles' SQL (who may run DDL, who only DML) is proved against a real
// PostgreSQL in apps/api/src/db/postgres.server.test.ts; here: which secret each task gets, that
// every secret rotates, and what the containers and the load balancer check.
import { describe, expect, it } from "vitest";
import type { EnvName } from "../config/index.js";
import { CANARY_RUNTIME } from "../lib/constructs/health-check-canary.js";
import { resourcesOf, type Synthesized, synthesizeBeforeAll } from "./helpers.js";

type Json = Record<string, unknown>;
const envs: EnvName[] = ["dev", "prod"];
const get = synthesizeBeforeAll(envs);

/** Each Secrets Manager-backed variable of a container → the logical id of the secret's attachment. */
function secretSources(s: Synthesized, family: string): Record<string, string> {
  const td = resourcesOf(s, "AWS::ECS::TaskDefinition").find((t) => t.props.Family === family);
  const [container] = (td?.props.ContainerDefinitions ?? []) as Json[];
  const out: Record<string, string> = {};
  for (const { Name, ValueFrom } of (container?.Secrets ?? []) as Array<{
    Name: string;
    ValueFrom: unknown;
  }>) {
    const text = JSON.stringify(ValueFrom);
    const match = /PublishOutputRefDatabase(Instance|Migrator|App)Secret.*?:(username|password)::/.exec(text);
    if (match) out[Name] = `${match[1]}:${match[2]}`;
  }
  return out;
}

describe.each(envs)("%s: database roles", (env) => {
  const s = () => get(env);

  it("keeps three database secrets, each attached to the instance and rotated by its own hosted Lambda", () => {
    const secrets = resourcesOf(s(), "AWS::SecretsManager::Secret").filter((x) =>
      String(x.props.Name).startsWith(`coleta/${env}/database`),
    );
    const byName = Object.fromEntries(
      secrets.map((x) => [
        x.props.Name,
        JSON.parse(String((x.props.GenerateSecretString as Json).SecretStringTemplate)),
      ]),
    );
    expect(byName).toEqual({
      [`coleta/${env}/database`]: { username: "coleta" },
      [`coleta/${env}/database-migrator`]: { username: "coleta_migrator", dbname: "coleta" },
      [`coleta/${env}/database-app`]: { username: "coleta_app", dbname: "coleta" },
    });
    const instance = resourcesOf(s(), "AWS::RDS::DBInstance")[0]?.id;
    const attachments = resourcesOf(s(), "AWS::SecretsManager::SecretTargetAttachment");
    expect(attachments.map((a) => a.props.TargetId)).toEqual([
      { Ref: instance },
      { Ref: instance },
      { Ref: instance },
    ]);
    expect(attachments.map((a) => (a.props.SecretId as { Ref: string }).Ref).sort()).toEqual(
      secrets.map((x) => x.id).sort(),
    );

    const rotations = resourcesOf(s(), "AWS::SecretsManager::RotationSchedule");
    expect(rotations).toHaveLength(3);
    const names = rotations.map((r) => {
      const hosted = r.props.HostedRotationLambda as Json;
      expect(hosted.RotationType).toBe("PostgreSQLSingleUser");
      expect(JSON.stringify(hosted.VpcSecurityGroupIds)).toMatch(/FirewallRotation/);
      expect(JSON.stringify(hosted.VpcSubnetIds)).toMatch(/privateSubnet/);
      expect(r.props.RotationRules).toEqual({ ScheduleExpression: "rate(30 days)" });
      // Each schedule rotates the secret its attachment names.
      expect(attachments.map((a) => a.id)).toContain((r.props.SecretId as { Ref: string }).Ref);
      return `${hosted.RotationLambdaName}${r.props.RotateImmediatelyOnUpdate === false ? " (first after 30 days)" : ""}`;
    });
    expect(names.sort()).toEqual(
      [
        `coleta-${env}-db-secret-rotation`,
        // The roles exist only once the migration task ran: no rotation at deploy time.
        `coleta-${env}-db-migrator-secret-rotation (first after 30 days)`,
        `coleta-${env}-db-app-secret-rotation (first after 30 days)`,
      ].sort(),
    );
  });

  it("runs the service as coleta_app, without migrations at start and without the other secrets", () => {
    expect(secretSources(s(), `coleta-${env}-api`)).toEqual({
      DATABASE_USER: "App:username",
      DATABASE_PASSWORD: "App:password",
    });
    const params = Object.fromEntries(
      resourcesOf(s(), "AWS::SSM::Parameter").map(({ props }) => [String(props.Name), props.Value]),
    );
    expect(params[`/coleta/${env}/api/MIGRATE_ON_START`]).toBe("false");
  });

  it("runs the migration task as coleta_migrator, with the master and app credentials for the bootstrap", () => {
    expect(secretSources(s(), `coleta-${env}-migrate`)).toEqual({
      DATABASE_USER: "Migrator:username",
      DATABASE_PASSWORD: "Migrator:password",
      DATABASE_ADMIN_USER: "Instance:username",
      DATABASE_ADMIN_PASSWORD: "Instance:password",
      DATABASE_APP_USER: "App:username",
      DATABASE_APP_PASSWORD: "App:password",
    });
  });

  it("redeploys the service when the app's secret rotates (the only one it uses)", () => {
    const [rule] = resourcesOf(s(), "AWS::Events::Rule").filter(
      (r) => r.props.Name === `coleta-${env}-db-rotation-redeploy`,
    );
    const ids = JSON.stringify(
      ((rule?.props.EventPattern ?? {}) as { detail: { additionalEventData: { SecretId: unknown } } }).detail
        .additionalEventData.SecretId,
    );
    expect(ids).toMatch(/DatabaseAppSecretAttachment/);
    expect(ids).toContain(`"coleta/${env}/database-app"`);
    expect(ids).not.toMatch(/DatabaseInstanceSecret|DatabaseMigratorSecret/);
  });
});

describe.each(envs)("%s: health checks use liveness", (env) => {
  const s = () => get(env);

  it("checks /backend/health/live at the load balancer and in the container, never readiness", () => {
    const groups = resourcesOf(s(), "AWS::ElasticLoadBalancingV2::TargetGroup");
    expect(groups.map((g) => g.props.HealthCheckPath)).toEqual(["/backend/health/live"]);
    const td = resourcesOf(s(), "AWS::ECS::TaskDefinition").find(
      (t) => t.props.Family === `coleta-${env}-api`,
    );
    const [container] = (td?.props.ContainerDefinitions ?? []) as Json[];
    const check = container?.HealthCheck as Json;
    expect(check).toMatchObject({ Interval: 15, Timeout: 5, Retries: 3, StartPeriod: 30 });
    const command = check.Command as string[];
    expect(command.slice(0, 3)).toEqual(["CMD", "node", "-e"]);
    expect(command[3]).toContain("/backend/health/live");
    expect(JSON.stringify(Object.values(s().templates).map((t) => t.toJSON()))).not.toContain(
      "/backend/health/ready",
    );
  });
});

describe("runtimes and database monitoring", () => {
  it("uses a current Node.js LTS for every Lambda function (none on Node 20 or older)", () => {
    for (const env of envs) {
      const runtimes = resourcesOf(get(env), "AWS::Lambda::Function").map((f) => String(f.props.Runtime));
      for (const runtime of runtimes.filter((r) => r.startsWith("nodejs"))) {
        expect(Number(/^nodejs(\d+)/.exec(runtime)?.[1]), `${env} ${runtime}`).toBeGreaterThanOrEqual(24);
      }
    }
    // The canary's runtime bundles its own Node.js: 22 from syn-nodejs-playwright-4.0 on (there is
    // no Node 24 Synthetics runtime yet); 20 before that.
    expect(Number(/^syn-nodejs-playwright-(\d+)\./.exec(CANARY_RUNTIME.name)?.[1])).toBeGreaterThanOrEqual(4);
  });

  it("uses Database Insights (standard in prod) instead of the retired Performance Insights settings", () => {
    const dev = resourcesOf(get("dev"), "AWS::RDS::DBInstance")[0]?.props;
    expect(dev).toMatchObject({ EnablePerformanceInsights: false });
    expect(dev?.DatabaseInsightsMode).toBeUndefined();
    const prod = resourcesOf(get("prod"), "AWS::RDS::DBInstance")[0]?.props;
    expect(prod).toMatchObject({
      DatabaseInsightsMode: "standard",
      EnablePerformanceInsights: true,
      PerformanceInsightsRetentionPeriod: 7,
    });
  });

  it("names Database Insights, not Performance Insights, in every alarm text", () => {
    for (const env of envs) {
      const alarms = resourcesOf(get(env), "AWS::CloudWatch::Alarm");
      const text = JSON.stringify(alarms.map((a) => a.props.AlarmDescription));
      expect(text).not.toMatch(/Performance Insights/);
      expect(text).toMatch(/Database Insights/);
    }
  });
});
