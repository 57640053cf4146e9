import { Duration, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import type { ColetaConfig } from "../../config/types.js";

/** Settings every Coleta bucket shares: private, TLS-only, encrypted at rest. */
export const secureBucketDefaults = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  encryption: s3.BucketEncryption.S3_MANAGED,
  minimumTLSVersion: 1.2,
} satisfies s3.BucketProps;

/** Key prefix in the logs bucket for the S3 server access logs of each bucket. */
export const S3_ACCESS_LOG_PREFIX = "s3/";

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

export interface BucketsProps {
  readonly config: ColetaConfig;
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

  constructor(scope: Construct, id: string, props: BucketsProps) {
    super(scope, id);
    const { config } = props;

    this.logs = new s3.Bucket(this, "Logs", {
      ...secureBucketDefaults,
      bucketName: bucketName(config, "logs"),
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
      ...secureBucketDefaults,
      bucketName: bucketName(config, "uploads"),
      versioned: true,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: `${S3_ACCESS_LOG_PREFIX}uploads/`,
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
      ...secureBucketDefaults,
      bucketName: bucketName(config, "exports"),
      versioned: true,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: `${S3_ACCESS_LOG_PREFIX}exports/`,
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
