// What the monitoring team gets on AWS, asserted on the synthesized templates of both environments:
// the status dashboard, every alarm with both topics and a runbook, the health-check canary, the
// submission metrics from the API logs, and the cost inventory counted from the same templates.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  DEFAULT_RUNBOOK_BASE_URL,
  runbookUrl,
  SUBMISSION_THRESHOLDS,
  TEAM_IDS,
  TEAMS,
  type TeamId,
} from "@coleta/monitoring";
import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as rds from "aws-cdk-lib/aws-rds";
import * as synthetics from "aws-cdk-lib/aws-synthetics";
import { describe, expect, it } from "vitest";
import { STEPS } from "../canary/steps.mjs";
import { type ColetaConfig, configs, type EnvName } from "../config/index.js";
import { inventoryFromTemplates, readInventory, type TemplateJson } from "../cost/inventory.js";
import { Alerts, alarmRunbookId, kebab, MAX_ALARM_DESCRIPTION } from "../lib/constructs/alerts.js";
import { API_BASE_PATH } from "../lib/constructs/api-paths.js";
import { CANARY_CODE_DIR, CANARY_RUNTIME, HealthCheckCanary } from "../lib/constructs/health-check-canary.js";
import { LAMBDA_ALARM_IDS } from "../lib/constructs/lambda-alarms.js";
import { SUBMISSION_ROUTE, SubmissionMetrics } from "../lib/constructs/submission-metrics.js";
import { resources, synthesizeBeforeAll } from "./helpers.js";

type Json = Record<string, any>;
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..", "..");
const RUNBOOK_DIR = join(repoRoot, "docs", "runbooks");
const envs: EnvName[] = ["dev", "prod"];
const get = synthesizeBeforeAll(envs);
const templatesOf = (env: EnvName) => Object.values(get(env).templates);
const allOfType = (env: EnvName, type: string) =>
  templatesOf(env).flatMap((t) => Object.entries(resources(t, type)));
const monitoring = (env: EnvName) => get(env).templates.monitoring;

/** Alarms of the Monitoring stack by logical id, with their team (from the name). */
function alarmsOf(env: EnvName) {
  return Object.entries(resources(monitoring(env), "AWS::CloudWatch::Alarm")).map(([logicalId, r]) => {
    const p = r.Properties as Json;
    const match = new RegExp(`^coleta-${env}-(frontend|backend|platform)-(.+)$`).exec(p.AlarmName);
    if (!match) throw new Error(`unexpected alarm name ${p.AlarmName}`);
    return { logicalId, team: match[1] as TeamId, id: match[2] as string, p };
  });
}
const alarm = (env: EnvName, id: string) => {
  const found = alarmsOf(env).find((a) => a.id === id);
  if (!found) throw new Error(`no alarm ${id} in ${env}`);
  return found;
};
const topicRef = (env: EnvName, owner: string) => {
  const [id] = Object.entries(resources(monitoring(env), "AWS::SNS::Topic")).find(
    ([, r]) => r.Properties?.TopicName === `coleta-${env}-${owner}-alerts`,
  ) ?? [undefined];
  if (!id) throw new Error(`no topic for ${owner}`);
  return { Ref: id };
};

/** The dashboard body with every CloudFormation token replaced by "TOKEN:<json>" (valid JSON again). */
function dashboardBody(env: EnvName): { raw: string; widgets: Json[] } {
  const dashboards = allOfType(env, "AWS::CloudWatch::Dashboard");
  expect(dashboards).toHaveLength(1);
  const [, dashboard] = dashboards[0] as [string, { Properties?: Json }];
  const body = dashboard.Properties?.DashboardBody as Json;
  const parts: unknown[] = typeof body === "string" ? [body] : body["Fn::Join"][1];
  const raw = parts
    .map((p) => (typeof p === "string" ? p : `TOKEN:${JSON.stringify(p).replace(/"/g, "'")}`))
    .join("");
  return { raw, widgets: JSON.parse(raw).widgets as Json[] };
}
const arnToken = (logicalId: string) => `TOKEN:{'Fn::GetAtt':['${logicalId}','Arn']}`;

function readRunbook(id: string): string {
  return readFileSync(join(RUNBOOK_DIR, `${id}.md`), "utf8");
}

describe.each(envs)("%s: status dashboard", (env) => {
  const config = configs[env];

  it(`is exactly one dashboard, coleta-${env}-status, in the Monitoring stack`, () => {
    expect(allOfType(env, "AWS::CloudWatch::Dashboard")).toHaveLength(1);
    monitoring(env).hasResourceProperties("AWS::CloudWatch::Dashboard", {
      DashboardName: `coleta-${env}-status`,
    });
  });

  it("opens with the explanation in pt-BR and en, with every team's contact from the config", () => {
    const { widgets } = dashboardBody(env);
    const first = widgets.filter((w) => w.y === 0);
    expect(first.map((w) => w.type)).toEqual(["text", "text"]);
    const intro = String(first[0]?.properties.markdown);
    expect(intro).toContain("**Português.**");
    expect(intro).toContain("**English.**");
    for (const words of ["Verde (OK)", "Vermelho (ALARM)", "Cinza", "Green (OK)", "Red (ALARM)", "Grey"]) {
      expect(intro).toContain(words);
    }
    for (const team of TEAM_IDS) {
      const contact = config.alerts.contacts[team];
      for (const text of [
        TEAMS[team].name.en,
        TEAMS[team].name["pt-BR"],
        contact.name,
        contact.phone,
        contact.chat,
        ...config.alerts[team],
      ]) {
        expect(intro, `${team}: ${text}`).toContain(text);
      }
    }
    for (const email of config.alerts.monitoring) expect(intro).toContain(email);
  });

  it("explains every alarm in both languages next to it and links its runbook", () => {
    const { widgets } = dashboardBody(env);
    const glossary = String(widgets.filter((w) => w.y === 0)[1]?.properties.markdown);
    for (const a of alarmsOf(env)) {
      const runbook = alarmRunbookId(a.id.startsWith("CacheMemory-") ? "CacheMemory" : a.id);
      expect(glossary, a.id).toContain(`\`${a.id}\``);
      expect(glossary, a.id).toContain(`(${runbookUrl(runbook, DEFAULT_RUNBOOK_BASE_URL)})`);
    }
  });

  it("shows every alarm of the environment, by ARN, grouped by owning team in the second row", () => {
    const { widgets, raw } = dashboardBody(env);
    const alarmWidgets = widgets.filter((w) => w.type === "alarm");
    expect(alarmWidgets).toHaveLength(TEAM_IDS.length);
    const y = alarmWidgets[0]?.y;
    expect(alarmWidgets.every((w) => w.y === y)).toBe(true);
    expect(y).toBeGreaterThan(0);
    const all = alarmsOf(env);
    // Alarms live only in the Monitoring stack.
    expect(allOfType(env, "AWS::CloudWatch::Alarm")).toHaveLength(all.length);
    TEAM_IDS.forEach((team, i) => {
      const w = alarmWidgets[i] as Json;
      expect(w.properties.title).toContain(TEAMS[team].name.en);
      expect(w.properties.title).toContain(config.alerts.contacts[team].phone);
      expect([...w.properties.alarms].sort()).toEqual(
        all
          .filter((a) => a.team === team)
          .map((a) => arnToken(a.logicalId))
          .sort(),
      );
    });
    for (const a of all) expect(raw, a.id).toContain(arnToken(a.logicalId));
  });

  it("then graphs requests, 4xx/5xx, p95 latency, answers accepted/refused, canary, DB, cache and WAF", () => {
    const { widgets } = dashboardBody(env);
    const alarmRow = widgets.find((w) => w.type === "alarm")?.y as number;
    const graphs = widgets.filter((w) => w.type === "metric");
    expect(graphs.every((g) => g.y > alarmRow)).toBe(true);
    const metrics = graphs.flatMap((g) => g.properties.metrics as unknown[][]);
    const has = (namespace: string, name: string, extra?: (m: unknown[]) => boolean) =>
      expect(
        metrics.some((m) => m[0] === namespace && m[1] === name && (!extra || extra(m))),
        `${namespace} ${name}`,
      ).toBe(true);
    has("AWS/ApplicationELB", "RequestCount");
    has("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count");
    has("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count");
    has("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count");
    has("AWS/ApplicationELB", "TargetResponseTime", (m) => JSON.stringify(m).includes('"stat":"p95"'));
    for (const name of [
      "SubmissionsAccepted",
      "SubmissionsRejectedValidation",
      "SubmissionsRejectedRateLimited",
      "SubmissionsRejectedFormUnavailable",
      "SubmissionsRejectedServerError",
    ]) {
      has(`Coleta/${env}`, name, (m) => JSON.stringify(m).includes('"period":60'));
    }
    has("AWS/RDS", "CPUUtilization");
    has("AWS/RDS", "DatabaseConnections");
    has("AWS/RDS", "FreeStorageSpace");
    has("AWS/ElastiCache", "DatabaseMemoryUsagePercentage");
    has("AWS/WAFV2", "BlockedRequests");
    for (const step of Object.values(STEPS)) {
      has("CloudWatchSynthetics", "SuccessPercent", (m) => m.includes("StepName") && m.includes(step));
    }
    const titles = graphs.map((g) => String(g.properties.title));
    expect(titles.some((t) => /Answers accepted per minute/.test(t))).toBe(true);
    expect(titles.some((t) => /Answers refused per minute/.test(t))).toBe(true);
  });
});

describe.each(envs)("%s: alarms", (env) => {
  const config = configs[env];

  it("notify the owning team's topic and the monitoring topic, on ALARM and on OK", () => {
    for (const a of alarmsOf(env)) {
      const expected = [topicRef(env, a.team), topicRef(env, "monitoring")];
      expect(a.p.AlarmActions, a.id).toEqual(expected);
      expect(a.p.OKActions, a.id).toEqual(expected);
    }
    monitoring(env).hasResourceProperties("AWS::SNS::Topic", {
      TopicName: `coleta-${env}-monitoring-alerts`,
      KmsMasterKeyId: Match.anyValue(),
    });
  });

  it("name the team in plain words, with its contact, and link an existing runbook", () => {
    for (const a of alarmsOf(env)) {
      const description = String(a.p.AlarmDescription);
      expect(description.length, a.id).toBeLessThanOrEqual(MAX_ALARM_DESCRIPTION);
      const contact = config.alerts.contacts[a.team];
      expect(description, a.id).toContain(
        `Who to call: ${TEAMS[a.team].name.en} (${contact.name}, ${contact.phone}, ${contact.chat};`,
      );
      const links = [...description.matchAll(/https:\/\/\S+\/(aws-[a-z0-9-]+)\.md/g)];
      expect(links, a.id).toHaveLength(1);
      const runbook = links[0]?.[1] as string;
      expect(links[0]?.[0]).toBe(runbookUrl(runbook, DEFAULT_RUNBOOK_BASE_URL));
      expect(existsSync(join(RUNBOOK_DIR, `${runbook}.md`)), `${a.id}: docs/runbooks/${runbook}.md`).toBe(
        true,
      );
      expect(runbook).toBe(`aws-${kebab(a.id.replace(/^CacheMemory-.*/, "CacheMemory"))}`);
    }
  });

  it("include the new ones: load balancer 5xx and no healthy targets (backend)", () => {
    const lb = alarm(env, "LoadBalancer5xxRate");
    expect(lb.team).toBe("backend");
    const stats = (lb.p.Metrics as Json[])
      .filter((m) => m.MetricStat)
      .map((m) => m.MetricStat.Metric.MetricName);
    expect(stats.sort()).toEqual(["HTTPCode_ELB_5XX_Count", "RequestCount"]);
    const none = alarm(env, "ApiNoHealthyTargets");
    expect(none.team).toBe("backend");
    expect(none.p).toMatchObject({
      MetricName: "HealthyHostCount",
      Namespace: "AWS/ApplicationELB",
      ComparisonOperator: "LessThanThreshold",
      Threshold: 1,
      TreatMissingData: "breaching",
    });
  });

  it("include the rotation redeploy failures of the App stack's state machine and rule (platform)", () => {
    const a = alarm(env, "RotationRedeployFailed");
    expect(a.team).toBe("platform");
    const sm = Object.values(resources(get(env).templates.app, "AWS::StepFunctions::StateMachine"))[0]
      ?.Properties as Json;
    const rule = Object.values(resources(get(env).templates.app, "AWS::Events::Rule")).find((r) =>
      String(r.Properties?.Name).includes("rotation"),
    )?.Properties as Json;
    const queries = (a.p.Metrics as Json[]).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric);
    const states = queries.filter((m) => m.Namespace === "AWS/States");
    expect(states.map((m) => m.MetricName).sort()).toEqual([
      "ExecutionsAborted",
      "ExecutionsFailed",
      "ExecutionsTimedOut",
    ]);
    for (const m of states) {
      expect(JSON.stringify(m.Dimensions)).toContain(`:stateMachine:${sm.StateMachineName}`);
    }
    const events = queries.find((m) => m.Namespace === "AWS/Events");
    expect(events).toMatchObject({
      MetricName: "FailedInvocations",
      Dimensions: [{ Name: "RuleName", Value: rule.Name }],
    });
  });

  it("include a WAF blocked-requests spike on the Edge stack's web ACL (platform)", () => {
    const a = alarm(env, "WafBlockedSpike");
    expect(a.team).toBe("platform");
    const acl = Object.values(resources(get(env).templates.edge, "AWS::WAFv2::WebACL"))[0]
      ?.Properties as Json;
    expect(a.p).toMatchObject({
      Namespace: "AWS/WAFV2",
      MetricName: "BlockedRequests",
      Statistic: "Sum",
      Threshold: config.monitoring.wafBlockedRequestsPer5Min,
    });
    expect(a.p.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: "WebACL", Value: acl.Name },
        { Name: "Rule", Value: "ALL" },
      ]),
    );
    expect(acl.VisibilityConfig.MetricName).toBe(acl.Name);
  });

  it("include a server-error spike on submissions, at the status board's threshold (backend)", () => {
    const a = alarm(env, "SubmissionServerErrors");
    expect(a.team).toBe("backend");
    expect(a.p.Threshold).toBe(SUBMISSION_THRESHOLDS.degraded.errorRatio * 100);
    const names = (a.p.Metrics as Json[])
      .filter((m) => m.MetricStat)
      .map((m) => `${m.MetricStat.Metric.Namespace}/${m.MetricStat.Metric.MetricName}`);
    expect(names.sort()).toEqual(
      [
        "SubmissionsAccepted",
        "SubmissionsRejectedFormUnavailable",
        "SubmissionsRejectedRateLimited",
        "SubmissionsRejectedServerError",
        "SubmissionsRejectedValidation",
      ].map((n) => `Coleta/${env}/${n}`),
    );
    const main = (a.p.Metrics as Json[]).find((m) => m.ReturnData !== false);
    expect(main?.Expression).toMatch(/100 \* FILL\(serverError, 0\) \/ total/);
  });

  it("include one alarm per canary step for its owning team, and one for a canary that stopped", () => {
    const canary = Object.values(resources(monitoring(env), "AWS::Synthetics::Canary"))[0]
      ?.Properties as Json;
    const step = (id: string, team: TeamId, stepName: string) => {
      const a = alarm(env, id);
      expect(a.team, id).toBe(team);
      expect(a.p).toMatchObject({ Namespace: "CloudWatchSynthetics", MetricName: "SuccessPercent" });
      expect(a.p.Dimensions).toEqual(
        expect.arrayContaining([
          { Name: "CanaryName", Value: canary.Name },
          { Name: "StepName", Value: stepName },
        ]),
      );
      return a.p;
    };
    expect(step("HealthCheckOpenForm", "frontend", STEPS.openForm)).toMatchObject({
      Statistic: "Average",
      ComparisonOperator: "LessThanThreshold",
      Threshold: 100,
      TreatMissingData: "notBreaching",
    });
    expect(step("HealthCheckSubmitAnswer", "backend", STEPS.submitAnswer)).toMatchObject({
      Statistic: "Average",
      Threshold: 100,
    });
    expect(step("HealthCheckNotRunning", "platform", STEPS.openForm)).toMatchObject({
      Statistic: "SampleCount",
      ComparisonOperator: "LessThanThreshold",
      Threshold: 1,
      TreatMissingData: "breaching",
    });
  });
});

describe("runbooks (docs/runbooks/aws-*.md)", () => {
  // The Lambda variant's runbooks are linked by its own alarms (test/lambda.test.ts), not these.
  const lambdaRunbooks = new Set(LAMBDA_ALARM_IDS.map((id) => `${alarmRunbookId(id)}.md`));
  const files = readdirSync(RUNBOOK_DIR).filter((f) => /^aws-.*\.md$/.test(f) && !lambdaRunbooks.has(f));
  const linked = () =>
    new Set(
      envs.flatMap((env) =>
        alarmsOf(env).flatMap((a) =>
          [...String(a.p.AlarmDescription).matchAll(/\/(aws-[a-z0-9-]+)\.md/g)].map((m) => m[1]),
        ),
      ),
    );

  it("exist for every alarm and each is linked by an alarm (no orphans)", () => {
    expect(files.map((f) => f.replace(/\.md$/, "")).sort()).toEqual([...linked()].sort());
  });

  it("speak to the monitoring team first (what people see, how urgent, what to do), then to the owner", () => {
    for (const env of envs) {
      for (const a of alarmsOf(env)) {
        const id = a.id.startsWith("CacheMemory-") ? "CacheMemory" : a.id;
        const text = readRunbook(alarmRunbookId(id));
        const at = (s: string) => text.indexOf(s);
        const team = TEAMS[a.team].name.en;
        expect(text, id).toContain(
          `\`coleta-<env>-${a.team}-${id === "CacheMemory" ? "CacheMemory-<node>" : id}\``,
        );
        const order = [
          "## For the monitoring team",
          "**What people experience.**",
          "**How urgent.**",
          "**What to do.**",
          `Call the **${team}**`,
          "## Para o time de monitoramento",
          `## For the ${team.toLowerCase()}: what to check first`,
        ].map(at);
        expect(
          order.every((i) => i >= 0),
          `${id}: ${order}`,
        ).toBe(true);
        expect(
          [...order].sort((x, y) => x - y),
          id,
        ).toEqual(order);
      }
    }
  });
});

describe.each(envs)("%s: health-check canary", (env) => {
  const config = configs[env];

  it("runs the newest Node.js Playwright runtime every 5 minutes against the configured form", () => {
    const canaries = allOfType(env, "AWS::Synthetics::Canary");
    expect(canaries).toHaveLength(1);
    const p = canaries[0]?.[1].Properties as Json;
    const playwright = Object.values(synthetics.Runtime)
      .filter((r): r is synthetics.Runtime => r instanceof synthetics.Runtime)
      .map((r) => r.name)
      .filter((name) => /^syn-nodejs-playwright-\d+\.\d+$/.test(name))
      .sort(
        (x, y) => Number.parseFloat(x.split("-").pop() ?? "0") - Number.parseFloat(y.split("-").pop() ?? "0"),
      );
    expect(p.RuntimeVersion).toBe(playwright.at(-1));
    expect(p.RuntimeVersion).toBe(CANARY_RUNTIME.name);
    expect(p).toMatchObject({
      Name: `coleta-${env}-health`,
      Schedule: { Expression: "rate(5 minutes)" },
      StartCanaryAfterCreation: true,
      Code: { Handler: "health-check.handler" },
      RunConfig: {
        EnvironmentVariables: {
          COLETA_BASE_URL: `https://${config.domainName}`,
          COLETA_FORM_SLUG: config.monitoring.healthCheckFormSlug,
        },
      },
      ArtifactConfig: { S3Encryption: { EncryptionMode: "SSE_S3" } },
    });
    expect(p.VPCConfig).toBeUndefined();
    expect(String(p.Name).length).toBeLessThanOrEqual(21);
  });

  it("keeps its artifacts in a private, encrypted, TLS-only bucket that expires them", () => {
    const t = monitoring(env);
    const buckets = Object.entries(resources(t, "AWS::S3::Bucket"));
    expect(buckets).toHaveLength(1);
    const [bucketId, bucket] = buckets[0] as [string, { Properties: Json }];
    expect(bucket.Properties).toMatchObject({
      BucketName: `coleta-${env}-canary-${config.account}`,
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { LogFilePrefix: "s3/canary/" },
    });
    const rules = bucket.Properties.LifecycleConfiguration.Rules as Json[];
    expect(rules.some((r) => r.ExpirationInDays > 0 && r.ExpirationInDays <= 31)).toBe(true);
    const policy = Object.values(resources(t, "AWS::S3::BucketPolicy"))[0]?.Properties as Json;
    expect(policy.Bucket).toEqual({ Ref: bucketId });
    expect(JSON.stringify(policy.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    const canary = Object.values(resources(t, "AWS::Synthetics::Canary"))[0]?.Properties as Json;
    expect(JSON.stringify(canary.ArtifactS3Location)).toContain(bucketId);
  });

  it("has a role that may only write its artifacts, its metrics and its own logs", () => {
    const t = monitoring(env);
    const roles = Object.values(resources(t, "AWS::IAM::Role"));
    expect(roles).toHaveLength(1);
    const role = roles[0]?.Properties as Json;
    expect(role.ManagedPolicyArns).toBeUndefined();
    const statements = role.Policies.flatMap((p: Json) => p.PolicyDocument.Statement) as Json[];
    expect(statements.map((s) => [s.Action].flat().join(",")).sort()).toEqual(
      [
        "s3:PutObject",
        "s3:GetBucketLocation",
        "s3:ListAllMyBuckets",
        "cloudwatch:PutMetricData",
        "logs:CreateLogGroup,logs:CreateLogStream,logs:PutLogEvents",
      ].sort(),
    );
    const metrics = statements.find((s) => s.Action === "cloudwatch:PutMetricData") as Json;
    expect(metrics.Condition).toEqual({ StringEquals: { "cloudwatch:namespace": "CloudWatchSynthetics" } });
    const logs = statements.find((s) => JSON.stringify(s.Action).includes("logs:")) as Json;
    expect(JSON.stringify(logs.Resource)).toContain(`/aws/lambda/cwsyn-coleta-${env}-health-*`);
  });

  it("ships only the handler and its step logic, and the handler imports nothing else", () => {
    expect(readdirSync(CANARY_CODE_DIR).sort()).toEqual(["health-check.mjs", "steps.mjs"]);
    const handler = readFileSync(join(CANARY_CODE_DIR, "health-check.mjs"), "utf8");
    const imports = [...handler.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports).toEqual(["@aws/synthetics-playwright", "./steps.mjs"]);
    const steps = readFileSync(join(CANARY_CODE_DIR, "steps.mjs"), "utf8");
    expect([...steps.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1])).toEqual(["node:crypto"]);
    // Only its own settings from the environment; no credentials, cookies or auth headers.
    expect(
      [...steps.matchAll(/env\.([A-Z_]+)/g)].map((m) => m[1]).every((v) => v?.startsWith("COLETA_")),
    ).toBe(true);
    expect(steps).not.toMatch(/authorization|cookie|AWS_SECRET|AWS_ACCESS_KEY|getSecretValue/i);
  });
});

describe.each(envs)("%s: submission metrics from the API logs", (env) => {
  it("are five metric filters on the API log group, one per outcome, in Coleta/<env>", () => {
    const filters = Object.values(resources(monitoring(env), "AWS::Logs::MetricFilter")).map(
      (r) => r.Properties as Json,
    );
    const base = `($.msg = "request") && ($.method = "POST") && ($.route = "${SUBMISSION_ROUTE}")`;
    const byMetric = Object.fromEntries(
      filters.map((f) => [f.MetricTransformations[0].MetricName, f] as [string, Json]),
    );
    expect(Object.keys(byMetric).sort()).toEqual([
      "SubmissionsAccepted",
      "SubmissionsRejectedFormUnavailable",
      "SubmissionsRejectedRateLimited",
      "SubmissionsRejectedServerError",
      "SubmissionsRejectedValidation",
    ]);
    const pattern: Record<string, string> = {
      SubmissionsAccepted: "(($.status = 201) || ($.status = 200))",
      SubmissionsRejectedValidation:
        "(($.status >= 400) && ($.status < 500) && ($.status != 404) && ($.status != 410) && ($.status != 429))",
      SubmissionsRejectedRateLimited: "($.status = 429)",
      SubmissionsRejectedFormUnavailable: "(($.status = 404) || ($.status = 410))",
      SubmissionsRejectedServerError: "($.status >= 500)",
    };
    for (const [name, f] of Object.entries(byMetric)) {
      expect(f.LogGroupName, name).toBe(`/coleta/${env}/api`);
      expect(f.FilterPattern, name).toBe(`{ ${base} && ${pattern[name]} }`);
      expect(f.MetricTransformations, name).toEqual([
        { MetricName: name, MetricNamespace: `Coleta/${env}`, MetricValue: "1", Unit: "Count" },
      ]);
    }
    // The App stack's API log group is the one the filters read.
    get(env).templates.app.hasResourceProperties("AWS::Logs::LogGroup", {
      LogGroupName: `/coleta/${env}/api`,
    });
  });

  it("match the route pattern the API logs for submissions", () => {
    expect(SUBMISSION_ROUTE).toBe(`${API_BASE_PATH}/public/forms/:slug/submissions`);
    expect(API_BASE_PATH).toBe("/backend");
    const routes = readFileSync(join(repoRoot, "apps", "api", "src", "public", "routes.ts"), "utf8");
    expect(routes).toMatch(/\.post\("\/public\/forms\/\{slug\}\/submissions"/);
  });
});

describe("cost inventory (infra/aws/cost/inventory.json)", () => {
  it("is what the synthesized templates contain (regenerate: npm run cost:docs -w @coleta/infra-aws)", () => {
    const inventory = readInventory();
    for (const env of envs) {
      const counted = inventoryFromTemplates(templatesOf(env).map((t) => t.toJSON() as TemplateJson));
      expect(inventory[env], env).toEqual(counted);
      expect(counted.dashboards, env).toBe(1);
      expect(counted.canaries, env).toBe(1);
      expect(counted.alarms, env).toBe(alarmsOf(env).length);
    }
  });
});

describe("runbook base URL", () => {
  it("follows config.monitoring.runbookBaseUrl when set", () => {
    const base = "https://wiki.example.org/coleta/runbooks/";
    const config: ColetaConfig = {
      ...configs.dev,
      monitoring: { ...configs.dev.monitoring, runbookBaseUrl: base },
    };
    const app = new App();
    const stack = new Stack(app, "RunbookLinks", { env: { account: config.account, region: config.region } });
    const loadBalancerArn =
      "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/coleta-dev/0123456789abcdef";
    new Alerts(stack, "Alerts", {
      config,
      distribution: cloudfront.Distribution.fromDistributionAttributes(stack, "Cdn", {
        distributionId: "E123",
        domainName: "d123.cloudfront.net",
      }),
      loadBalancer: elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, "Alb", {
        loadBalancerArn,
        securityGroupId: "sg-123",
      }),
      targetGroup: elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, "Tg", {
        targetGroupArn:
          "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/api/0123456789abcdef",
        loadBalancerArns: loadBalancerArn,
      }),
      clusterName: "coleta-dev",
      serviceName: "coleta-dev-api",
      database: rds.DatabaseInstance.fromDatabaseInstanceAttributes(stack, "Db", {
        instanceIdentifier: "coleta-dev",
        instanceEndpointAddress: "db.example",
        port: 5432,
        securityGroups: [],
      }),
      cacheMemberClusterIds: ["coleta-dev-001"],
      submissions: new SubmissionMetrics(stack, "Submissions", { config }),
      healthCheck: new HealthCheckCanary(stack, "HealthCheck", { config, logsBucketName: "logs" }),
    });
    const descriptions = Object.values(resources(Template.fromStack(stack), "AWS::CloudWatch::Alarm")).map(
      (a) => String(a.Properties?.AlarmDescription),
    );
    expect(descriptions.length).toBeGreaterThan(10);
    for (const d of descriptions) {
      expect(d).toMatch(/Runbook: https:\/\/wiki\.example\.org\/coleta\/runbooks\/aws-[a-z0-9-]+\.md /);
      expect(d).not.toContain(DEFAULT_RUNBOOK_BASE_URL);
    }
  });
});
