import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ArnFormat, Duration, Size, Stack, Token } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as iam from "aws-cdk-lib/aws-iam";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as synthetics from "aws-cdk-lib/aws-synthetics";
import { Construct } from "constructs";
import { STEPS } from "../../canary/steps.mjs";
import { acknowledge } from "../nag.js";
import { logAccessAcrossStacks, secureBucketProps } from "./buckets.js";
import type { ColetaConstructProps } from "./construct-props.js";

const here = dirname(fileURLToPath(import.meta.url));
/** The canary's code: canary/health-check.mjs (handler) + canary/steps.mjs, zipped as they are. */
export const CANARY_CODE_DIR = join(here, "..", "..", "canary");
export const CANARY_HANDLER = "health-check.handler";
/** Newest Node.js browser runtime in this aws-cdk-lib (2.276): Node 22, Playwright 1.58, Chromium 145. */
export const CANARY_RUNTIME = synthetics.Runtime.SYNTHETICS_NODEJS_PLAYWRIGHT_6_0;
export const CANARY_INTERVAL = Duration.minutes(5);
/** Days canary artifacts (screenshots, HAR files, logs of each run) are kept. */
export const CANARY_ARTIFACT_DAYS = 31;

export { STEPS as HEALTH_CHECK_STEPS };
export type HealthCheckStep = keyof typeof STEPS;

/** Kept within the historical 21-character limit of canary names. */
export function canaryName(env: string): string {
  return `coleta-${env}-health`;
}

export interface HealthCheckCanaryProps extends ColetaConstructProps {
  /** The shared logs bucket (Data stack): server access logs of the artifacts bucket. */
  readonly logsBucketName: string;
}

/**
 * A CloudWatch Synthetics canary that, every 5 minutes, opens the published health-check form at
 * https://<domain>/frontend/f/<slug> in Chromium and sends one answer, as two named steps:
 * "open-form" (frontend team) and "submit-answer" (backend team). Each step publishes its own
 * SuccessPercent metric (dimensions CanaryName, StepName), which the alarms watch.
 *
 * Artifacts go to a private, S3-encrypted, TLS-only bucket that deletes them after 31 days. The
 * canary's role may only write there, publish CloudWatchSynthetics metrics and write its own logs.
 */
export class HealthCheckCanary extends Construct {
  public readonly canary: synthetics.Canary;
  public readonly artifactsBucket: s3.Bucket;
  public readonly role: iam.Role;
  public readonly canaryName: string;
  public readonly formUrl: string;

  constructor(scope: Construct, id: string, props: HealthCheckCanaryProps) {
    super(scope, id);
    const { config } = props;
    const env = config.envName;
    const slug = config.monitoring.healthCheckFormSlug;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) {
      throw new Error(`monitoring.healthCheckFormSlug "${slug}" is not a form link name (a-z, 0-9, -)`);
    }
    this.canaryName = canaryName(env);
    this.formUrl = `https://${config.domainName}/frontend/f/${slug}`;

    this.artifactsBucket = new s3.Bucket(this, "Artifacts", {
      ...secureBucketProps(config, "canary"),
      lifecycleRules: [
        {
          id: "expire-canary-artifacts",
          expiration: Duration.days(CANARY_ARTIFACT_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    // The logs bucket lives in the Data stack.
    logAccessAcrossStacks(this.artifactsBucket, props.logsBucketName, "canary");

    const stack = Stack.of(this);
    const logGroupArn = stack.formatArn({
      service: "logs",
      resource: "log-group",
      resourceName: `/aws/lambda/cwsyn-${this.canaryName}-*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.role = new iam.Role(this, "Role", {
      description: `CloudWatch Synthetics canary ${this.canaryName}: write its artifacts, metrics and logs only`,
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      inlinePolicies: {
        canary: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: "WriteArtifacts",
              actions: ["s3:PutObject"],
              resources: [this.artifactsBucket.arnForObjects("*")],
            }),
            new iam.PolicyStatement({
              sid: "LocateArtifactsBucket",
              actions: ["s3:GetBucketLocation"],
              resources: [this.artifactsBucket.bucketArn],
            }),
            new iam.PolicyStatement({
              sid: "ListBucketsForSynthetics",
              actions: ["s3:ListAllMyBuckets"],
              resources: ["*"],
            }),
            new iam.PolicyStatement({
              sid: "PublishCanaryMetrics",
              actions: ["cloudwatch:PutMetricData"],
              resources: ["*"],
              conditions: { StringEquals: { "cloudwatch:namespace": "CloudWatchSynthetics" } },
            }),
            new iam.PolicyStatement({
              sid: "WriteOwnLogs",
              actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
              resources: [logGroupArn],
            }),
          ],
        }),
      },
    });
    acknowledge(
      this.role,
      "AwsSolutions-IAM5[Resource::*]",
      "CloudWatch Synthetics requires s3:ListAllMyBuckets (no resource-level permissions) and cloudwatch:PutMetricData (no resource-level permissions; limited here by the cloudwatch:namespace condition to CloudWatchSynthetics).",
    );
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.artifactsBucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      "The canary writes a new screenshot/HAR/log object per run under generated keys; the wildcard covers objects of its own artifacts bucket only, and only s3:PutObject.",
    );
    // With @aws-cdk/core:enablePartitionLiterals (cdk.json) the partition is the literal "aws".
    const partition = Token.isUnresolved(stack.partition) ? "<AWS::Partition>" : stack.partition;
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[Resource::arn:${partition}:logs:${stack.region}:${stack.account}:log-group:/aws/lambda/cwsyn-${this.canaryName}-*]`,
      "Synthetics names the canary's Lambda function (and so its log group) cwsyn-<canary name>-<random id> at creation; the wildcard covers only that suffix.",
    );

    this.canary = new synthetics.Canary(this, "Canary", {
      canaryName: this.canaryName,
      runtime: CANARY_RUNTIME,
      test: synthetics.Test.custom({
        code: synthetics.Code.fromAsset(CANARY_CODE_DIR),
        handler: CANARY_HANDLER,
      }),
      schedule: synthetics.Schedule.rate(CANARY_INTERVAL),
      environmentVariables: {
        COLETA_BASE_URL: `https://${config.domainName}`,
        COLETA_FORM_SLUG: slug,
        COLETA_STEP_TIMEOUT_MS: "20000",
      },
      role: this.role,
      artifactsBucketLocation: { bucket: this.artifactsBucket, prefix: "runs" },
      artifactS3EncryptionMode: synthetics.ArtifactsEncryptionMode.S3_MANAGED,
      memory: Size.mebibytes(1536),
      timeout: Duration.minutes(2),
      successRetentionPeriod: Duration.days(7),
      failureRetentionPeriod: Duration.days(CANARY_ARTIFACT_DAYS),
      provisionedResourceCleanup: true,
      startAfterCreation: true,
    });
  }

  /** SuccessPercent of one step (100 = the step passed in every run of the period). */
  stepSuccess(step: HealthCheckStep, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: "CloudWatchSynthetics",
      metricName: "SuccessPercent",
      dimensionsMap: { CanaryName: this.canaryName, StepName: STEPS[step] },
      statistic: "Average",
      period: CANARY_INTERVAL,
      ...options,
    });
  }

  /** SuccessPercent of whole runs. */
  runSuccess(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: "CloudWatchSynthetics",
      metricName: "SuccessPercent",
      dimensionsMap: { CanaryName: this.canaryName },
      statistic: "Average",
      period: CANARY_INTERVAL,
      ...options,
    });
  }
}
