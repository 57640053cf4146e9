import {
  DEFAULT_RUNBOOK_BASE_URL,
  type Localized,
  runbookUrl,
  STATUS_MIN_REQUESTS,
  STATUS_WINDOW_SECONDS,
  SUBMISSION_THRESHOLDS,
  TEAM_IDS,
  TEAMS,
  type TeamId,
} from "@coleta/monitoring";
import { ArnFormat, Duration, Stack } from "aws-cdk-lib";
import * as budgets from "aws-cdk-lib/aws-budgets";
import type * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as rds from "aws-cdk-lib/aws-rds";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import type { ColetaConfig } from "../../config/types.js";
import { cacheMemoryUsed } from "./cache.js";
import type { ColetaConstructProps } from "./construct-props.js";
import { wafBlockedRequests, webAclName } from "./edge.js";
import type { HealthCheckCanary } from "./health-check-canary.js";
import { rotationRedeployName } from "./rotation-redeploy.js";
import { apiLogGroupName, type SubmissionMetrics } from "./submission-metrics.js";

export type Team = TeamId;
/** Who has an alert topic: the three owning teams and the monitoring team (which gets everything). */
export type TopicOwner = TeamId | "monitoring";
export const TOPIC_OWNERS: readonly TopicOwner[] = [...TEAM_IDS, "monitoring"];

export function topicName(env: string, owner: TopicOwner): string {
  return `coleta-${env}-${owner}-alerts`;
}

/** "CloudFront5xxRate" -> "cloud-front-5xx-rate", "ApiLatencyP95" -> "api-latency-p95". */
export function kebab(id: string): string {
  return id
    .replace(/([a-z])([A-Z0-9])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

/** Runbook of an alarm: docs/runbooks/aws-<kebab-id>.md. */
export function alarmRunbookId(id: string): string {
  return `aws-${kebab(id)}`;
}

export function runbookBaseUrl(config: ColetaConfig): string {
  return config.monitoring.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
}

/** CloudWatch's limit on AlarmDescription. */
export const MAX_ALARM_DESCRIPTION = 1024;

export interface AlarmEntry {
  /** Construct id and last part of the alarm name, e.g. "Api5xxRate" or "CacheMemory-coleta-dev-001". */
  readonly id: string;
  readonly team: TeamId;
  /** docs/runbooks/<runbook>.md */
  readonly runbook: string;
  /** A few words for the dashboard and the runbook title. */
  readonly summary: Localized;
  readonly alarm: cloudwatch.Alarm;
}

export interface AlertsProps extends ColetaConstructProps {
  readonly distribution: cloudfront.IDistribution;
  /** The ECS variant's ALB, target group and service; the Lambda variant adds its own alarms. */
  readonly loadBalancer?: elbv2.IApplicationLoadBalancer;
  readonly targetGroup?: elbv2.IApplicationTargetGroup;
  readonly clusterName?: string;
  readonly serviceName?: string;
  readonly database: rds.IDatabaseInstance;
  readonly cacheMemberClusterIds: readonly string[];
  readonly submissions: SubmissionMetrics;
  readonly healthCheck: HealthCheckCanary;
}

/**
 * When an alarm fires: its threshold crossed in `in` of the last `of` periods. Missing data counts
 * as fine (no traffic is no failure) unless `missing: "breaching"`: where silence means something
 * stopped (no healthy container, the canary not running, no database metrics).
 */
export interface AlarmWindow {
  readonly in: number;
  readonly of: number;
  readonly missing?: "breaching";
}

type AlarmCondition = Pick<
  cloudwatch.AlarmProps,
  "threshold" | "comparisonOperator" | "evaluationPeriods" | "datapointsToAlarm" | "treatMissingData"
>;

function condition(
  comparisonOperator: cloudwatch.ComparisonOperator,
  threshold: number,
  window: AlarmWindow,
): AlarmCondition {
  return {
    threshold,
    comparisonOperator,
    evaluationPeriods: window.of,
    datapointsToAlarm: window.in,
    treatMissingData:
      window.missing === "breaching"
        ? cloudwatch.TreatMissingData.BREACHING
        : cloudwatch.TreatMissingData.NOT_BREACHING,
  };
}

/** Fires when the metric is above `threshold` in `window.in` of the last `window.of` periods. */
export const above = (threshold: number, window: AlarmWindow) =>
  condition(cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD, threshold, window);
export const atLeast = (threshold: number, window: AlarmWindow) =>
  condition(cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, threshold, window);
export const below = (threshold: number, window: AlarmWindow) =>
  condition(cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, threshold, window);

/**
 * Percentage of `errors` among `requests`, and 0 below 20 requests in the period: a few failures
 * in little traffic are not an outage worth a call.
 */
export function errorRate(
  requests: cloudwatch.IMetric,
  errors: cloudwatch.IMetric,
  label: string,
  period: Duration,
): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: "IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)",
    usingMetrics: { requests, errors },
    period,
    label,
  });
}

export interface AlarmOptions
  extends Omit<cloudwatch.AlarmProps, "alarmDescription" | "alarmName" | keyof AlarmCondition>,
    AlarmCondition {
  /** What is wrong and what people experience, in plain words. */
  readonly what: string;
  /** What the owning team checks first. */
  readonly check: string;
  /** Runbook base id when several alarms share one runbook (default: the alarm id). */
  readonly runbookOf?: string;
  /** A few words, in both languages, for the dashboard's first row. */
  readonly summary: Localized;
}

/**
 * Who gets called for what. One KMS-encrypted, TLS-only SNS topic per team with the team's e-mail
 * addresses, plus one for the monitoring team. Every alarm notifies its owning team AND the
 * monitoring team, on ALARM and on OK; its description says in plain words what is wrong, which team
 * to call (with the contact from the config) and links its runbook, written first for the
 * monitoring team (docs/runbooks/aws-<id>.md). Plus a monthly AWS Budget for the platform team.
 */
export class Alerts extends Construct {
  public readonly topics: Record<TeamId, sns.Topic>;
  public readonly monitoringTopic: sns.Topic;
  public readonly key: kms.Key;
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly entries: AlarmEntry[] = [];
  private readonly config: ColetaConfig;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    const { config } = props;
    const env = config.envName;
    this.config = config;
    const stack = Stack.of(this);
    const account = stack.account;

    this.key = new kms.Key(this, "TopicKey", {
      alias: `alias/coleta-${env}-alerts`,
      description: "Encrypts the Coleta alert topics",
      enableKeyRotation: true,
    });
    // Alarm and budget notifications are published by these services; they need the data key.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "AllowAlarmAndBudgetPublishers",
        principals: [
          new iam.ServicePrincipal("cloudwatch.amazonaws.com"),
          new iam.ServicePrincipal("budgets.amazonaws.com"),
        ],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: { StringEquals: { "aws:SourceAccount": account } },
      }),
    );

    const makeTopic = (owner: TopicOwner, displayName: string, emails: readonly string[]): sns.Topic => {
      const topic = new sns.Topic(this, `${owner[0]?.toUpperCase()}${owner.slice(1)}Topic`, {
        topicName: topicName(env, owner),
        displayName,
        masterKey: this.key,
        enforceSSL: true,
      });
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: "AllowCloudWatchAlarms",
          principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
          actions: ["sns:Publish"],
          resources: [topic.topicArn],
          conditions: { StringEquals: { "aws:SourceAccount": account } },
        }),
      );
      for (const email of emails) topic.addSubscription(new subscriptions.EmailSubscription(email));
      return topic;
    };
    const teamTopic = (team: TeamId) =>
      makeTopic(team, `Coleta ${env} alerts for the ${TEAMS[team].name.en}`, config.alerts[team]);
    this.topics = {
      frontend: teamTopic("frontend"),
      backend: teamTopic("backend"),
      platform: teamTopic("platform"),
    };
    this.monitoringTopic = makeTopic(
      "monitoring",
      `Coleta ${env}: every alarm, for the monitoring team`,
      config.alerts.monitoring,
    );

    const fiveMinutes = Duration.minutes(5);
    // Counts (requests, errors, executions) are summed per five minutes.
    const fiveMinuteSum = { period: fiveMinutes, statistic: "Sum" };

    // --- Frontend team: what users see at the edge --------------------------------------------
    // CloudFront metrics are global and published in us-east-1 (where this stack runs).
    this.alarm("frontend", "CloudFront5xxRate", {
      summary: {
        en: "Website pages failing (errors at CloudFront)",
        "pt-BR": "Páginas do site falhando (erros no CloudFront)",
      },
      // Explicit metric: CloudFront publishes with BOTH dimensions (DistributionId, Region=Global);
      // a metric without Region would never receive data.
      metric: new cloudwatch.Metric({
        namespace: "AWS/CloudFront",
        metricName: "5xxErrorRate",
        dimensionsMap: { DistributionId: props.distribution.distributionId, Region: "Global" },
        region: "us-east-1",
        period: fiveMinutes,
        statistic: "Average",
      }),
      ...above(5, { in: 2, of: 3 }),
      what: "More than 5% of requests to the website (CloudFront) are failing with 5xx errors. Users may see error pages instead of the app or forms.",
      check:
        "Recent frontend deploys (S3 sync / invalidation); if /backend requests are the ones failing, involve the backend team.",
    });

    const canary = props.healthCheck;
    this.alarm("frontend", "HealthCheckOpenForm", {
      summary: {
        en: "Automatic check cannot open the test form",
        "pt-BR": "Verificação automática não abre o formulário de teste",
      },
      metric: canary.stepSuccess("openForm"),
      // No data = the canary is not running: HealthCheckNotRunning (platform) covers that.
      ...below(100, { in: 2, of: 3 }),
      what: `The automatic check could not open the health-check form (${canary.formUrl}) in a browser in 2 of the last 3 tries (every 5 minutes). People may not be able to open forms.`,
      check: `The failed run of canary ${canary.canaryName} (CloudWatch > Synthetics: message, screenshot), then the latest frontend deploy.`,
    });

    // --- Backend team: the API ----------------------------------------------------------------
    // The load balancer and ECS service (App stack). The Lambda variant has neither: its alarms
    // come through alarm() from LambdaAlarms (lambda-alarms.ts).
    const { loadBalancer, targetGroup, clusterName, serviceName } = props;
    if (loadBalancer && targetGroup && clusterName && serviceName) {
      const tgMetrics = targetGroup.metrics;
      const requests = tgMetrics.requestCount(fiveMinuteSum);
      const errors = tgMetrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, fiveMinuteSum);
      this.alarm("backend", "Api5xxRate", {
        summary: { en: "API answering with server errors", "pt-BR": "API respondendo com erros de servidor" },
        metric: errorRate(requests, errors, "API 5xx rate (%)", fiveMinutes),
        ...above(5, { in: 2, of: 3 }),
        what: "More than 5% of API requests are failing with 5xx errors from the API containers. Saving forms and submissions may be failing.",
        check: `The API logs (log group ${apiLogGroupName(env)}) and the latest backend deploy; roll back if it started with a release.`,
      });
      const albRequests = loadBalancer.metrics.requestCount(fiveMinuteSum);
      const albErrors = loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, fiveMinuteSum);
      this.alarm("backend", "LoadBalancer5xxRate", {
        summary: {
          en: "Load balancer gets no answer from the API",
          "pt-BR": "Balanceador não recebe resposta da API",
        },
        // ELB 5xx (502/503/504) are answered by the load balancer itself: no API container answered in
        // time or at all. They are not in Api5xxRate (target 5xx) nor in the API's logs.
        metric: new cloudwatch.MathExpression({
          expression:
            "IF(FILL(requests, 0) + FILL(errors, 0) >= 20, 100 * FILL(errors, 0) / (FILL(requests, 0) + FILL(errors, 0)), 0)",
          usingMetrics: { requests: albRequests, errors: albErrors },
          period: fiveMinutes,
          label: "Load balancer 5xx rate (%)",
        }),
        ...above(5, { in: 2, of: 3 }),
        what: "More than 5% of requests to the API get an error from the load balancer itself (502/503/504): the API containers did not answer in time or at all. Saving answers and signing in may fail.",
        check:
          "Target health in the API target group, ECS service events (tasks stopping, deployments) and API latency (504s).",
      });
      this.alarm("backend", "ApiNoHealthyTargets", {
        summary: {
          en: "API down: no healthy container",
          "pt-BR": "API fora do ar: nenhum contêiner saudável",
        },
        metric: tgMetrics.healthyHostCount({ period: Duration.minutes(1), statistic: "Minimum" }),
        ...below(1, { in: 3, of: 3, missing: "breaching" }),
        what: "No API container has passed its health check for 3 minutes: the API is down. Nobody can sign in and answers are not received (phones keep them and retry).",
        check:
          "ECS service events and the API logs for startup errors or crashes (the health check is /backend/health/live: the process answers, whatever the database does).",
      });
      this.alarm("backend", "ApiLatencyP95", {
        summary: { en: "API is slow", "pt-BR": "API lenta" },
        metric: tgMetrics.targetResponseTime({ period: fiveMinutes, statistic: "p95" }),
        ...above(2, { in: 3, of: 3 }),
        what: "The API is slow: 5% of requests take longer than 2 seconds (p95 response time) for 15 minutes.",
        check: "API CPU/memory, database load and slow queries (CloudWatch Database Insights).",
      });
      this.alarm("backend", "ApiUnhealthyHosts", {
        summary: {
          en: "An API container fails its health check",
          "pt-BR": "Um contêiner da API falha na verificação",
        },
        metric: tgMetrics.unhealthyHostCount({ period: Duration.minutes(1), statistic: "Maximum" }),
        ...above(0, { in: 3, of: 5 }),
        what: "At least one API container is failing its health check (/backend/health/live) at the load balancer: its process does not answer.",
        check: "The API logs of that container for crashes, memory near its limit or an event loop stuck.",
      });
      this.alarm("backend", "ApiRunningTasks", {
        summary: { en: "Too few API containers running", "pt-BR": "Poucos contêineres da API rodando" },
        metric: new cloudwatch.Metric({
          namespace: "ECS/ContainerInsights",
          metricName: "RunningTaskCount",
          dimensionsMap: { ClusterName: clusterName, ServiceName: serviceName },
          period: Duration.minutes(1),
          statistic: "Minimum",
        }),
        ...below(config.api.minTasks, { in: 5, of: 5, missing: "breaching" }),
        what: `Fewer API containers are running than the minimum of ${config.api.minTasks} for 5 minutes (or none report at all). The API may be down or without redundancy.`,
        check: "The ECS service events (failed deployments, image pull or secret errors).",
      });
    }

    const window = Duration.seconds(STATUS_WINDOW_SECONDS);
    const submissions = props.submissions;
    const errorPercent = SUBMISSION_THRESHOLDS.degraded.errorRatio * 100;
    this.alarm("backend", "SubmissionServerErrors", {
      summary: {
        en: "Answers failing with server errors",
        "pt-BR": "Respostas falhando com erro no servidor",
      },
      // Same numbers as the status board's "Receiving answers" light (amber): @coleta/monitoring.
      metric: new cloudwatch.MathExpression({
        expression: `IF(total >= ${STATUS_MIN_REQUESTS}, 100 * FILL(serverError, 0) / total, 0)`,
        usingMetrics: {
          total: new cloudwatch.MathExpression({
            expression:
              "FILL(accepted, 0) + FILL(validation, 0) + FILL(rateLimited, 0) + FILL(formUnavailable, 0) + FILL(serverError, 0)",
            usingMetrics: {
              accepted: submissions.metric("accepted", window),
              validation: submissions.metric("validation", window),
              rateLimited: submissions.metric("rate_limited", window),
              formUnavailable: submissions.metric("form_unavailable", window),
              serverError: submissions.metric("server_error", window),
            },
            period: window,
          }),
          serverError: submissions.metric("server_error", window),
        },
        period: window,
        label: "Submissions failing with a server error (%)",
      }),
      ...above(errorPercent, { in: 2, of: 3 }),
      what: `More than ${errorPercent}% of answers sent by respondents fail with a server error (in 2 of the last 3 five-minute windows with at least ${STATUS_MIN_REQUESTS} answers). Phones keep these answers and retry, but they are not being received.`,
      check: `The API logs (log group ${apiLogGroupName(env)}, route POST /backend/public/forms/:slug/submissions, status >= 500), the database alarms and the latest backend deploy.`,
    });
    this.alarm("backend", "HealthCheckSubmitAnswer", {
      summary: {
        en: "Automatic check cannot send an answer",
        "pt-BR": "Verificação automática não envia resposta",
      },
      metric: canary.stepSuccess("submitAnswer"),
      ...below(100, { in: 2, of: 3 }),
      what: "The automatic check could not send an answer to the health-check form in 2 of the last 3 tries (every 5 minutes). Respondents' answers may not be received.",
      check: `The failed run of canary ${canary.canaryName} (its message names the HTTP status), the API logs and the SubmissionServerErrors alarm.`,
    });

    // --- Platform team: database, cache, edge protection, automation, the check itself ----------
    this.alarm("platform", "DatabaseCpu", {
      summary: { en: "Database overloaded (CPU)", "pt-BR": "Banco de dados sobrecarregado (CPU)" },
      metric: props.database.metricCPUUtilization({ period: fiveMinutes }),
      ...above(80, { in: 3, of: 3, missing: "breaching" }),
      what: "The PostgreSQL database CPU has been above 80% for 15 minutes. The app will slow down and may time out.",
      check:
        "CloudWatch Database Insights (top SQL by load) for the heaviest queries; consider a larger instance class.",
    });
    this.alarm("platform", "DatabaseFreeStorage", {
      summary: { en: "Database running out of space", "pt-BR": "Banco de dados ficando sem espaço" },
      metric: props.database.metricFreeStorageSpace({ period: fiveMinutes, statistic: "Minimum" }),
      ...below(config.database.freeStorageAlarmGiB * 1024 ** 3, { in: 2, of: 2, missing: "breaching" }),
      what: `The PostgreSQL database has less than ${config.database.freeStorageAlarmGiB} GiB of free storage. When it runs out, writes (new submissions) fail.`,
      check: "Storage autoscaling may be at its maximum: raise maxAllocatedStorage or clean up data.",
    });
    this.alarm("platform", "DatabaseConnections", {
      summary: { en: "Too many database connections", "pt-BR": "Conexões demais no banco de dados" },
      metric: props.database.metricDatabaseConnections({ period: fiveMinutes, statistic: "Maximum" }),
      ...above(config.database.connectionsAlarmThreshold, { in: 3, of: 3 }),
      what: `More than ${config.database.connectionsAlarmThreshold} connections are open on the PostgreSQL database. New API connections may be refused soon.`,
      check: "The number of API tasks times DATABASE_POOL_SIZE; look for connection leaks.",
    });
    for (const clusterId of props.cacheMemberClusterIds) {
      this.alarm("platform", `CacheMemory-${clusterId}`, {
        summary: { en: "Cache memory almost full", "pt-BR": "Memória do cache quase cheia" },
        runbookOf: "CacheMemory",
        metric: cacheMemoryUsed(clusterId, { period: fiveMinutes }),
        ...above(80, { in: 3, of: 3, missing: "breaching" }),
        what: `Cache node ${clusterId} is using more than 80% of its memory. Keys will be evicted and rate limiting / sessions may misbehave.`,
        check: "Key growth (REDIS_KEY_PREFIX); consider a larger cache node type.",
      });
    }

    const rotation = rotationRedeployName(env);
    const stateMachineArn = stack.formatArn({
      service: "states",
      resource: "stateMachine",
      resourceName: rotation,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const executions = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: "AWS/States",
        metricName,
        dimensionsMap: { StateMachineArn: stateMachineArn },
        ...fiveMinuteSum,
      });
    this.alarm("platform", "RotationRedeployFailed", {
      summary: {
        en: "Restart after database password change failed",
        "pt-BR": "Reinício após troca da senha do banco falhou",
      },
      metric: new cloudwatch.MathExpression({
        expression: "FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0) + FILL(notStarted, 0)",
        usingMetrics: {
          failed: executions("ExecutionsFailed"),
          timedOut: executions("ExecutionsTimedOut"),
          aborted: executions("ExecutionsAborted"),
          // EventBridge could not start the state machine at all.
          notStarted: new cloudwatch.Metric({
            namespace: "AWS/Events",
            metricName: "FailedInvocations",
            dimensionsMap: { RuleName: rotation },
            ...fiveMinuteSum,
          }),
        },
        period: fiveMinutes,
        label: "Failed redeploys after a password rotation",
      }),
      // 1 of 12 five-minute windows: stays in ALARM for an hour after a failure (it happens at most
      // once per rotation, so a 5-minute ALARM followed by OK would be easy to miss).
      ...atLeast(1, { in: 1, of: 12 }),
      what: `The automatic API restart after the database password rotation failed (state machine ${rotation}). Running API containers still work, but new database connections will fail until the API is redeployed.`,
      check: `The failed execution of state machine ${rotation} (Step Functions console); force a new deployment of the API service by hand.`,
    });
    this.alarm("platform", "WafBlockedSpike", {
      summary: { en: "Firewall blocking many requests", "pt-BR": "Firewall bloqueando muitas requisições" },
      metric: wafBlockedRequests(env, "ALL", { period: fiveMinutes }),
      ...above(config.monitoring.wafBlockedRequestsPer5Min, { in: 2, of: 3 }),
      what: `The firewall (WAF) blocked more than ${config.monitoring.wafBlockedRequestsPer5Min} requests in 5 minutes, twice in 15 minutes. Either an attack is being stopped (no harm) or real people are blocked, e.g. a field team sending many answers from one internet connection.`,
      check: `Which rule blocks (WAF console, web ACL ${webAclName(env)}; logs in aws-waf-logs-coleta-${env}); for PublicApiRateLimit, whether the source is a known field team.`,
    });
    this.alarm("platform", "HealthCheckNotRunning", {
      summary: { en: "Automatic check stopped running", "pt-BR": "Verificação automática parou" },
      // The "open-form" step runs first in every run: no result from it = no run reached the steps.
      metric: canary.stepSuccess("openForm", { statistic: "SampleCount" }),
      ...below(1, { in: 3, of: 3, missing: "breaching" }),
      what: `The automatic health check (canary ${canary.canaryName}) has not run for 15 minutes, so nobody is watching whether forms open and answers arrive.`,
      check: `Canary ${canary.canaryName} in CloudWatch > Synthetics: state (stopped?), runtime deprecation, role, and errors before the first step.`,
    });

    // --- Budget ------------------------------------------------------------------------------------
    const platformTopic = this.topics.platform;
    platformTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "AllowBudgets",
        principals: [new iam.ServicePrincipal("budgets.amazonaws.com")],
        actions: ["sns:Publish"],
        resources: [platformTopic.topicArn],
        conditions: { StringEquals: { "aws:SourceAccount": account } },
      }),
    );
    const subscribers = [{ subscriptionType: "SNS", address: platformTopic.topicArn }];
    const budget = new budgets.CfnBudget(this, "Budget", {
      budget: {
        budgetName: `coleta-${env}-monthly`,
        budgetType: "COST",
        timeUnit: "MONTHLY",
        budgetLimit: { amount: config.budget.monthlyLimitUsd, unit: "USD" },
      },
      notificationsWithSubscribers: [
        ...config.budget.actualThresholdsPercent.map((threshold) => ({
          notification: {
            notificationType: "ACTUAL",
            comparisonOperator: "GREATER_THAN",
            threshold,
            thresholdType: "PERCENTAGE",
          },
          subscribers,
        })),
        {
          notification: {
            notificationType: "FORECASTED",
            comparisonOperator: "GREATER_THAN",
            threshold: config.budget.forecastThresholdPercent,
            thresholdType: "PERCENTAGE",
          },
          subscribers,
        },
      ],
    });
    // Budgets checks it may publish when the notification is created.
    budget.node.addDependency(platformTopic);
    budget.node.addDependency(this.key);
  }

  /** The alarms of one team, in creation order. */
  alarmsOf(team: TeamId): AlarmEntry[] {
    return this.entries.filter((e) => e.team === team);
  }

  /** Adds an alarm owned by `team` (also sent to the monitoring team), with its runbook. */
  alarm(team: TeamId, id: string, options: AlarmOptions): cloudwatch.Alarm {
    const { what, check, runbookOf, summary, ...alarmProps } = options;
    const env = this.config.envName;
    const runbook = alarmRunbookId(runbookOf ?? id);
    const teamName = TEAMS[team].name.en;
    const contact = this.config.alerts.contacts[team];
    const description = [
      `Coleta ${env}: ${what}`,
      `Who to call: ${teamName} (${contact.name}, ${contact.phone}, ${contact.chat}; alerts also on SNS ${topicName(env, team)}).`,
      `Runbook: ${runbookUrl(runbook, runbookBaseUrl(this.config))}`,
      `${teamName} checks first: ${check}`,
    ].join(" ");
    if (description.length > MAX_ALARM_DESCRIPTION) {
      throw new Error(
        `alarm ${id}: description has ${description.length} characters (max ${MAX_ALARM_DESCRIPTION}); shorten the texts or the contacts in config.alerts.contacts`,
      );
    }
    const alarm = new cloudwatch.Alarm(this, id, {
      ...alarmProps,
      alarmName: `coleta-${env}-${team}-${id}`,
      alarmDescription: description,
    });
    for (const topic of [this.topics[team], this.monitoringTopic]) {
      alarm.addAlarmAction(new actions.SnsAction(topic));
      alarm.addOkAction(new actions.SnsAction(topic));
    }
    this.alarms.push(alarm);
    this.entries.push({ id, team, runbook, summary, alarm });
    return alarm;
  }
}
