import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type * as ecs from "aws-cdk-lib/aws-ecs";
import * as events from "aws-cdk-lib/aws-events";
import * as eventTargets from "aws-cdk-lib/aws-events-targets";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import * as tasks from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import { acknowledge } from "../nag.js";
import type { ColetaConstructProps } from "./construct-props.js";

/** Name of both the state machine and the EventBridge rule (alarms name them without a cross-stack reference). */
export function rotationRedeployName(env: string): string {
  return `coleta-${env}-db-rotation-redeploy`;
}

export interface RotationRedeployProps extends ColetaConstructProps {
  /** The rotated secret (database credentials). */
  readonly secret: secretsmanager.ISecret;
  /** Its literal name, matched as well as the ARN (defensive: the event carries the ARN). */
  readonly secretName: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly service: ecs.IBaseService;
}

/**
 * After Secrets Manager rotates the database password, force a new deployment of the API service.
 *
 * ECS injects DATABASE_PASSWORD when a task starts, so running tasks keep the old password: pooled
 * connections survive (PostgreSQL does not drop sessions on ALTER ROLE), new ones would fail.
 * Secrets Manager records a successful rotation as the CloudTrail service event `RotationSucceeded`
 * (detail.additionalEventData.SecretId = secret ARN), which EventBridge receives from
 * `aws.secretsmanager`. The rule starts a one-step Step Functions state machine that calls
 * `ecs:UpdateService --force-new-deployment` through the AWS SDK integration: no function code or
 * runtime to maintain, and the only permissions are states:StartExecution (EventBridge role) and
 * ecs:UpdateService on this one service (state machine role). The rolling deployment keeps the
 * current task definition (whatever image the backend workflow deployed) and replaces tasks
 * behind the ALB with the usual health checks and circuit breaker.
 *
 * EventBridge gets this event through CloudTrail; AWS documents that "AWS API Call via CloudTrail"
 * events need a trail with logging enabled. If the account has none, verify once with
 * `aws secretsmanager rotate-secret` that the rule fires (docs/security.md, "Secrets").
 */
export class RotationRedeploy extends Construct {
  public readonly rule: events.Rule;
  public readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: RotationRedeployProps) {
    super(scope, id);
    const { config } = props;
    const env = config.envName;

    const redeploy = tasks.CallAwsService.jsonPath(this, "ForceNewDeployment", {
      comment: "Replace the API tasks so they read the rotated database password",
      service: "ecs",
      action: "updateService",
      parameters: {
        Cluster: props.clusterName,
        Service: props.serviceName,
        ForceNewDeployment: true,
      },
      iamAction: "ecs:UpdateService",
      iamResources: [props.service.serviceArn],
    });
    redeploy.addRetry({
      errors: ["Ecs.EcsException", "Ecs.ServerException", "Ecs.ThrottlingException", "States.Timeout"],
      interval: Duration.seconds(30),
      maxAttempts: 5,
      backoffRate: 2,
    });

    const logGroup = new logs.LogGroup(this, "Logs", {
      logGroupName: `/coleta/${env}/states/db-rotation-redeploy`,
      retention: config.api.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, "StateMachine", {
      stateMachineName: rotationRedeployName(env),
      comment: "Force a new ECS deployment of the API after the database password rotated",
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(redeploy),
      timeout: Duration.minutes(15),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    acknowledge(
      this.stateMachine,
      "AwsSolutions-IAM5[Resource::*]",
      "Added by CDK for execution logging (logs:CreateLogDelivery & co.) and X-Ray tracing (xray:PutTraceSegments & co.); these actions do not support resource-level permissions. The only workload permission is ecs:UpdateService on the API service.",
    );

    this.rule = new events.Rule(this, "RotationSucceeded", {
      ruleName: rotationRedeployName(env),
      description: "Database password rotated -> force a new deployment of the API service",
      eventPattern: {
        source: ["aws.secretsmanager"],
        // RotationSucceeded is a CloudTrail service event (not an API call); both detail types are
        // listed so a change in how EventBridge labels it does not silently stop the redeploy.
        detailType: ["AWS Service Event via CloudTrail", "AWS API Call via CloudTrail"],
        detail: {
          eventSource: ["secretsmanager.amazonaws.com"],
          eventName: ["RotationSucceeded"],
          additionalEventData: { SecretId: [props.secret.secretArn, props.secretName] },
        },
      },
    });
    this.rule.addTarget(
      new eventTargets.SfnStateMachine(this.stateMachine, {
        retryAttempts: 10,
        maxEventAge: Duration.hours(2),
      }),
    );
  }
}
