import { Duration } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as targets from "aws-cdk-lib/aws-scheduler-targets";
import { Construct } from "constructs";
import { acknowledge } from "../nag.js";
import { bucketArn, bucketName } from "./buckets.js";
import type { InVpcProps } from "./construct-props.js";
import { LAKE_PREFIX } from "./lake-catalog.js";

/** The lake export in the API image (apps/api/src/lake/cli.ts, bundled by apps/api/scripts/build.mjs). */
export const LAKE_EXPORT_COMMAND = ["node", "apps/api/dist/lake-export.js"];
/** How often new submissions and erasures reach the lake. */
export const LAKE_EXPORT_RATE = Duration.hours(1);

export interface LakeScheduleProps extends InVpcProps {
  readonly cluster: ecs.ICluster;
  /** The API image (same digest as the service): the export is the API's own code. */
  readonly image: ecs.ContainerImage;
  /** The API's settings and secrets (database host, TLS, coleta_app credentials…). */
  readonly secrets: Record<string, ecs.Secret>;
  readonly executionRole: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  /** The API service's security group: the one the database admits. */
  readonly securityGroup: ec2.ISecurityGroup;
}

/**
 * EventBridge Scheduler runs the lake export as a Fargate task every LAKE_EXPORT_RATE: the API
 * image with the lake command, as coleta_app, writing only below lake/ in the exports bucket. A
 * failed run is not retried by the scheduler: the next run repairs it (apps/api/src/lake/export.ts),
 * and runs never overlap (a database advisory lock).
 */
export class LakeSchedule extends Construct {
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly taskRole: iam.Role;
  public readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: LakeScheduleProps) {
    super(scope, id);
    const { config } = props;
    const env = config.envName;
    const exportsName = bucketName(config, "exports");

    this.taskRole = new iam.Role(this, "TaskRole", {
      roleName: `coleta-${env}-lake-export-task`,
      description: "Coleta lake export: read/write/delete objects below lake/ in the exports bucket",
      assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
    });
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        sid: "LakeObjects",
        actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
        resources: [bucketArn(exportsName, `${LAKE_PREFIX}*`)],
      }),
    );
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        sid: "LakeList",
        actions: ["s3:ListBucket"],
        resources: [bucketArn(exportsName)],
        conditions: { StringLike: { "s3:prefix": [`${LAKE_PREFIX}*`] } },
      }),
    );
    acknowledge(
      this.taskRole,
      `AwsSolutions-IAM5[Resource::${bucketArn(exportsName, `${LAKE_PREFIX}*`)}]`,
      "The export writes and deletes Parquet files under per-form, per-day keys below lake/ in the exports bucket; the wildcard covers that prefix of one bucket only.",
    );

    this.taskDefinition = new ecs.FargateTaskDefinition(this, "TaskDefinition", {
      family: `coleta-${env}-lake-export`,
      cpu: 512,
      memoryLimitMiB: 1024,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
      executionRole: props.executionRole,
      taskRole: this.taskRole,
    });
    this.taskDefinition.addContainer("lake-export", {
      containerName: "lake-export",
      image: props.image,
      essential: true,
      command: [...LAKE_EXPORT_COMMAND, "--bucket", exportsName, "--prefix", LAKE_PREFIX],
      secrets: props.secrets,
      logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: "lake-export" }),
    });

    this.schedule = new scheduler.Schedule(this, "Schedule", {
      scheduleName: `coleta-${env}-lake-export`,
      description: "Incremental export of submissions to the data lake (Parquet)",
      schedule: scheduler.ScheduleExpression.rate(LAKE_EXPORT_RATE),
      target: new targets.EcsRunFargateTask(props.cluster, {
        taskDefinition: this.taskDefinition,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [props.securityGroup],
        assignPublicIp: false,
        retryAttempts: 0,
      }),
    });
  }
}
