import { Duration, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import type { ColetaConfig } from "../../config/types.js";
import { acknowledge } from "../nag.js";
import type { ColetaConstructProps } from "./construct-props.js";

/** Settings every Coleta bucket shares: private, TLS-only, encrypted at rest. */
const secureBucketDefaults = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  encryption: s3.BucketEncryption.S3_MANAGED,
  minimumTLSVersion: 1.2,
} satisfies s3.BucketProps;

/** Key prefix in the logs bucket for the S3 server access logs of each bucket. */
const S3_ACCESS_LOG_PREFIX = "s3/";

export type BucketPurpose = "logs" | "uploads" | "exports" | "frontend" | "canary" | "athena-results";

/**
 * Deterministic, globally unique bucket names (coleta-<env>-<purpose>-<account>). Other stacks can
 * name a bucket's ARN as a literal, which keeps IAM policies readable and free of cross-stack tokens.
 */
export function bucketName(config: ColetaConfig, purpose: BucketPurpose): string {
  return `coleta-${config.envName}-${purpose}-${config.account}`;
}

/** arn:aws:s3:::<bucket> and arn:aws:s3:::<bucket>/<keys> */
export function bucketArn(name: string, keys?: string): string {
  return keys === undefined ? `arn:aws:s3:::${name}` : `arn:aws:s3:::${name}/${keys}`;
}

/**
 * A private, TLS-only, encrypted bucket named coleta-<env>-<purpose>-<account>. With `logsBucket`
 * (in the same stack), its server access logs go to s3/<purpose>/ there.
 */
export function secureBucketProps(
  config: ColetaConfig,
  purpose: BucketPurpose,
  logsBucket?: s3.IBucket,
): s3.BucketProps {
  return {
    ...secureBucketDefaults,
    bucketName: bucketName(config, purpose),
    ...(logsBucket && {
      serverAccessLogsBucket: logsBucket,
      serverAccessLogsPrefix: `${S3_ACCESS_LOG_PREFIX}${purpose}/`,
    }),
  };
}

/**
 * Server access logs of a bucket in another stack than the logs bucket (to s3/<purpose>/). Set on
 * the L1 so no statement naming this bucket is added to the logs bucket's policy (that would be a
 * cross-stack cycle); the logs bucket grants logging.s3.amazonaws.com for this account instead.
 */
export function logAccessAcrossStacks(
  bucket: s3.Bucket,
  logsBucketName: string,
  purpose: BucketPurpose,
): void {
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
    destinationBucketName: logsBucketName,
    logFilePrefix: `${S3_ACCESS_LOG_PREFIX}${purpose}/`,
  };
}

/**
 * What the API may do in its data buckets (uploads, exports), on ECS and on EKS: any object of
 * either bucket, and list them. GetObject also answers HeadObject (the re-check of direct uploads);
 * PutObject also authorises the presigned POSTs the API signs; DeleteObject is erasure and the sweep.
 */
export function grantApiBucketAccess(role: iam.Role, config: ColetaConfig): void {
  for (const purpose of ["uploads", "exports"] as const) {
    const name = bucketName(config, purpose);
    const sid = `${purpose[0]?.toUpperCase()}${purpose.slice(1)}`;
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: `${sid}Objects`,
        actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
        resources: [bucketArn(name, "*")],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: `${sid}List`,
        actions: ["s3:ListBucket"],
        resources: [bucketArn(name)],
      }),
    );
    acknowledge(
      role,
      `AwsSolutions-IAM5[Resource::${bucketArn(name, "*")}]`,
      `The API reads and writes arbitrary object keys (per form/submission) in the ${purpose} bucket; the wildcard covers objects of that one bucket only.`,
    );
  }
}

/**
 * Data buckets of the API plus the central logs bucket.
 * - logs: S3 server access logs (s3/<bucket>/), ALB access logs (alb/), CloudFront logs (cloudfront/).
 *   S3-managed encryption because ALB log delivery does not support KMS; ACLs enabled
 *   (BucketOwnerPreferred) because CloudFront standard logging writes with an ACL grant.
 * - uploads: files respondents attach to submissions (private, versioned).
 * - exports: the data lake of exported submissions (private, versioned, Intelligent-Tiering).
 * The frontend bucket lives next to the CloudFront distribution (see Edge) so its OAC policy can
 * name the distribution without a cross-stack cycle.
 */
export class Buckets extends Construct {
  public readonly logs: s3.Bucket;
  public readonly uploads: s3.Bucket;
  public readonly exports: s3.Bucket;

  constructor(scope: Construct, id: string, props: ColetaConstructProps) {
    super(scope, id);
    const { config } = props;

    this.logs = new s3.Bucket(this, "Logs", {
      ...secureBucketProps(config, "logs"),
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [
        {
          id: "expire-logs",
          expiration: Duration.days(config.storage.logRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        ...(config.storage.logRetentionDays > 60
          ? [
              {
                id: "logs-to-ia",
                transitions: [
                  { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
                ],
              },
            ]
          : []),
      ],
    });
    // S3 server access logging of buckets in other stacks of this account (the frontend bucket):
    // the documented bucket-policy grant, scoped to this account and the s3/ prefix.
    this.logs.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "S3ServerAccessLogsFromThisAccount",
        principals: [new iam.ServicePrincipal("logging.s3.amazonaws.com")],
        actions: ["s3:PutObject"],
        resources: [this.logs.arnForObjects(`${S3_ACCESS_LOG_PREFIX}*`)],
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
    );

    this.uploads = new s3.Bucket(this, "Uploads", {
      ...secureBucketProps(config, "uploads", this.logs),
      versioned: true,
      cors: [
        {
          // The fill page's presigned POSTs (apps/web/src/fill/upload.ts), from the app's origin only.
          allowedOrigins: [`https://${config.domainName}`],
          allowedMethods: [s3.HttpMethods.POST],
          allowedHeaders: ["*"],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          // Erasure: the API deletes a submission's files at once; versioning keeps the bytes as a
          // noncurrent version, so that copy (kept for recovery from a bad deploy) goes after a day.
          id: "tidy-versions",
          noncurrentVersionExpiration: Duration.days(1),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });

    this.exports = new s3.Bucket(this, "Exports", {
      ...secureBucketProps(config, "exports", this.logs),
      versioned: true,
      cors: [
        {
          // Large exports on Lambda answer 303 to a presigned GET under downloads/ (docs/serverless.md).
          // The workspace downloads with fetch, and a cross-origin redirect sends `Origin: null`, so
          // only "*" lets the browser read it; the presigned signature, not CORS, is what grants access.
          allowedOrigins: ["*"],
          allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedHeaders: ["*"],
          exposedHeaders: ["Content-Disposition", "Content-Length", "Content-Type"],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: "data-lake-tiering",
          transitions: [
            {
              storageClass: s3.StorageClass.INTELLIGENT_TIERING,
              transitionAfter: Duration.days(config.storage.exportsIntelligentTieringDays),
            },
          ],
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
  }
}
