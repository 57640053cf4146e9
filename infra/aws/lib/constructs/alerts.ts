import { Duration, Stack } from "aws-cdk-lib";
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

export type Team = "frontend" | "backend" | "platform";

export const TEAM_LABEL: Record<Team, string> = {
  frontend: "the frontend team",
  backend: "the backend team",
  platform: "the platform owner",
};

export function topicName(env: string, team: Team): string {
  return `coleta-${env}-${team}-alerts`;
}

export interface AlertsProps {
  readonly config: ColetaConfig;
  readonly distribution: cloudfront.IDistribution;
  readonly targetGroup: elbv2.IApplicationTargetGroup;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly database: rds.IDatabaseInstance;
  readonly cacheMemberClusterIds: readonly string[];
}

/**
 * Who gets paged for what. One KMS-encrypted, TLS-only SNS topic per team with the team's e-mail
 * addresses; every alarm notifies exactly one team (on ALARM and on OK) and its description says,
 * in plain language, what is wrong and who to call. Plus a monthly AWS Budget for the platform owner.
 */
export class Alerts extends Construct {
  public readonly topics: Record<Team, sns.Topic>;
  public readonly key: kms.Key;
  public readonly alarms: cloudwatch.Alarm[] = [];
  private readonly envName: string;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    const { config } = props;
    const env = config.envName;
    this.envName = env;
    const account = Stack.of(this).account;

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

    const makeTopic = (team: Team, emails: readonly string[]): sns.Topic => {
      const topic = new sns.Topic(this, `${team[0]?.toUpperCase()}${team.slice(1)}Topic`, {
        topicName: topicName(env, team),
        displayName: `Coleta ${env} alerts for ${TEAM_LABEL[team]}`,
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
    this.topics = {
      frontend: makeTopic("frontend", config.alerts.frontend),
      backend: makeTopic("backend", config.alerts.backend),
      platform: makeTopic("platform", config.alerts.platform),
    };

    // --- Frontend team: what users see at the edge --------------------------------------------
    // CloudFront metrics are global and published in us-east-1 (where this stack runs).
    this.alarm("frontend", "CloudFront5xxRate", {
      // Explicit metric: CloudFront publishes with BOTH dimensions (DistributionId, Region=Global);
      // a metric without Region would never receive data.
      metric: new cloudwatch.Metric({
        namespace: "AWS/CloudFront",
        metricName: "5xxErrorRate",
        dimensionsMap: { DistributionId: props.distribution.distributionId, Region: "Global" },
        region: "us-east-1",
        period: Duration.minutes(5),
        statistic: "Average",
      }),
      threshold: 5,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      what: "More than 5% of requests to the website (CloudFront) are failing with 5xx errors. Users may see error pages instead of the app or forms.",
      check:
        "Check recent frontend deploys (S3 sync / invalidation); if /backend requests are the ones failing, involve the backend team.",
    });

    // --- Backend team: the API ----------------------------------------------------------------
    const tgMetrics = props.targetGroup.metrics;
    const requests = tgMetrics.requestCount({ period: Duration.minutes(5), statistic: "Sum" });
    const errors = tgMetrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
      period: Duration.minutes(5),
      statistic: "Sum",
    });
    this.alarm("backend", "Api5xxRate", {
      metric: new cloudwatch.MathExpression({
        expression: "IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)",
        usingMetrics: { requests, errors },
        period: Duration.minutes(5),
        label: "API 5xx rate (%)",
      }),
      threshold: 5,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      what: "More than 5% of API requests are failing with 5xx errors from the API containers. Saving forms and submissions may be failing.",
      check: `Check the API logs (CloudWatch log group /coleta/${env}/api) and the latest backend deploy; roll back if it started with a release.`,
    });
    this.alarm("backend", "ApiLatencyP95", {
      metric: tgMetrics.targetResponseTime({ period: Duration.minutes(5), statistic: "p95" }),
      threshold: 2,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      what: "The API is slow: 5% of requests take longer than 2 seconds (p95 response time) for 15 minutes.",
      check: "Check API CPU/memory, database load (Performance Insights) and slow queries.",
    });
    this.alarm("backend", "ApiUnhealthyHosts", {
      metric: tgMetrics.unhealthyHostCount({ period: Duration.minutes(1), statistic: "Maximum" }),
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      what: "At least one API container is failing its health check (/backend/health/ready) at the load balancer.",
      check: "Check the API logs for startup errors and whether the database and cache are reachable.",
    });
    this.alarm("backend", "ApiRunningTasks", {
      metric: new cloudwatch.Metric({
        namespace: "ECS/ContainerInsights",
        metricName: "RunningTaskCount",
        dimensionsMap: { ClusterName: props.clusterName, ServiceName: props.serviceName },
        period: Duration.minutes(1),
        statistic: "Minimum",
      }),
      threshold: config.api.minTasks,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      what: `Fewer API containers are running than the minimum of ${config.api.minTasks} for 5 minutes (or none report at all). The API may be down or without redundancy.`,
      check: "Check the ECS service events (failed deployments, image pull or secret errors).",
    });

    // --- Platform owner: database, cache, money --------------------------------------------------
    this.alarm("platform", "DatabaseCpu", {
      metric: props.database.metricCPUUtilization({ period: Duration.minutes(5) }),
      threshold: 80,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      what: "The PostgreSQL database CPU has been above 80% for 15 minutes. The app will slow down and may time out.",
      check: "Check Performance Insights for the heaviest queries; consider a larger instance class.",
    });
    this.alarm("platform", "DatabaseFreeStorage", {
      metric: props.database.metricFreeStorageSpace({ period: Duration.minutes(5), statistic: "Minimum" }),
      threshold: config.database.freeStorageAlarmGiB * 1024 ** 3,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      what: `The PostgreSQL database has less than ${config.database.freeStorageAlarmGiB} GiB of free storage. When it runs out, writes (new submissions) fail.`,
      check: "Storage autoscaling may be at its maximum: raise maxAllocatedStorage or clean up data.",
    });
    this.alarm("platform", "DatabaseConnections", {
      metric: props.database.metricDatabaseConnections({ period: Duration.minutes(5), statistic: "Maximum" }),
      threshold: config.database.connectionsAlarmThreshold,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      what: `More than ${config.database.connectionsAlarmThreshold} connections are open on the PostgreSQL database. New API connections may be refused soon.`,
      check: "Check the number of API tasks times DATABASE_POOL_SIZE and look for connection leaks.",
    });
    for (const clusterId of props.cacheMemberClusterIds) {
      this.alarm("platform", `CacheMemory-${clusterId}`, {
        metric: new cloudwatch.Metric({
          namespace: "AWS/ElastiCache",
          metricName: "DatabaseMemoryUsagePercentage",
          dimensionsMap: { CacheClusterId: clusterId },
          period: Duration.minutes(5),
          statistic: "Maximum",
        }),
        threshold: 80,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        what: `Cache node ${clusterId} is using more than 80% of its memory. Keys will be evicted and rate limiting / sessions may misbehave.`,
        check: "Check key growth (REDIS_KEY_PREFIX) and consider a larger cache node type.",
      });
    }

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

  private alarm(
    team: Team,
    id: string,
    options: Omit<cloudwatch.AlarmProps, "alarmDescription" | "alarmName"> & {
      readonly what: string;
      readonly check: string;
    },
  ): cloudwatch.Alarm {
    const { what, check, ...alarmProps } = options;
    const topic = this.topics[team];
    const alarm = new cloudwatch.Alarm(this, id, {
      ...alarmProps,
      alarmName: `coleta-${this.envName}-${team}-${id}`,
      alarmDescription: `Coleta ${this.envName}: ${what} Who to call: ${TEAM_LABEL[team]} (SNS topic ${topicName(this.envName, team)}). ${check}`,
    });
    alarm.addAlarmAction(new actions.SnsAction(topic));
    alarm.addOkAction(new actions.SnsAction(topic));
    this.alarms.push(alarm);
    return alarm;
  }
}
