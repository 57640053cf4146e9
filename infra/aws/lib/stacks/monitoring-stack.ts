import { Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { Alerts } from "../constructs/alerts.js";
import { HealthCheckCanary } from "../constructs/health-check-canary.js";
import { LambdaAlarms } from "../constructs/lambda-alarms.js";
import { StatusDashboard } from "../constructs/status-dashboard.js";
import { SubmissionMetrics } from "../constructs/submission-metrics.js";
import type { AppStack } from "./app-stack.js";
import type { DataStack } from "./data-stack.js";
import type { EdgeStack } from "./edge-stack.js";
import type { ColetaStackProps } from "./network-stack.js";
import { ServerlessStack } from "./serverless-stack.js";

export interface MonitoringStackProps extends ColetaStackProps {
  readonly dataStack: DataStack;
  /** The API: the App stack (ECS) or the Serverless stack (Lambda, `-c compute=lambda`). */
  readonly appStack: AppStack | ServerlessStack;
  readonly edgeStack: EdgeStack;
}

/**
 * What the monitoring team watches: alert topics per team (+ one for the monitoring team), alarms
 * with runbooks, submission metrics from the API logs, the health-check canary, the status
 * dashboard coleta-<env>-status, and the budget.
 */
export class MonitoringStack extends Stack {
  public readonly alerts: Alerts;
  public readonly submissions: SubmissionMetrics;
  public readonly healthCheck: HealthCheckCanary;
  public readonly dashboard: StatusDashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config, dataStack, appStack, edgeStack } = props;
    // ECS: alarms and graphs of the ALB and the service. Lambda: none of those; LambdaAlarms adds
    // the function's, the HTTP API's and the proxy's.
    const ecs =
      appStack instanceof ServerlessStack
        ? {}
        : {
            loadBalancer: appStack.api.origin.loadBalancer,
            targetGroup: appStack.api.origin.targetGroup,
            clusterName: appStack.api.cluster.clusterName,
            serviceName: appStack.api.service.serviceName,
          };

    this.submissions = new SubmissionMetrics(this, "SubmissionMetrics", { config });
    this.healthCheck = new HealthCheckCanary(this, "HealthCheck", {
      config,
      logsBucketName: dataStack.buckets.logs.bucketName,
    });
    this.alerts = new Alerts(this, "Alerts", {
      config,
      distribution: edgeStack.edge.distribution,
      ...ecs,
      database: dataStack.database.instance,
      cacheMemberClusterIds: dataStack.cache.memberClusterIds,
      submissions: this.submissions,
      healthCheck: this.healthCheck,
    });
    const lambdaAlarms =
      appStack instanceof ServerlessStack
        ? new LambdaAlarms(this, "LambdaAlarms", { alerts: this.alerts, api: appStack.api })
        : undefined;
    this.dashboard = new StatusDashboard(this, "Status", {
      config,
      alerts: this.alerts,
      ...(lambdaAlarms ? { apiWidgets: lambdaAlarms.widgets } : ecs),
      database: dataStack.database.instance,
      cacheMemberClusterIds: dataStack.cache.memberClusterIds,
      submissions: this.submissions,
      healthCheck: this.healthCheck,
    });
  }
}
