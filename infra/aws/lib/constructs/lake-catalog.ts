import { Duration, Stack } from "aws-cdk-lib";
import * as athena from "aws-cdk-lib/aws-athena";
import * as glue from "aws-cdk-lib/aws-glue";
import * as iam from "aws-cdk-lib/aws-iam";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { acknowledge } from "../nag.js";
import { bucketArn, bucketName, secureBucketProps } from "./buckets.js";
import type { ColetaConstructProps } from "./construct-props.js";

/** Key prefix of the data lake in the exports bucket (apps/api/src/lake/layout.ts writes below it). */
export const LAKE_PREFIX = "lake/";
/** Athena stops (and bills no more than) a query that would scan more than this. */
export const LAKE_BYTES_SCANNED_CUTOFF = 10 * 1024 ** 3;
/** Days Athena query results are kept. */
export const ATHENA_RESULTS_DAYS = 30;

export interface LakeCatalogProps extends ColetaConstructProps {
  readonly exportsBucket: s3.IBucket;
  readonly logsBucket: s3.IBucket;
}

/**
 * The data lake as Athena sees it: a Glue database and one table over
 * s3://<exports>/lake/form=<id>/date=<yyyy-mm-dd>/*.parquet with partition projection (no
 * crawler, no MSCK REPAIR: partitions are computed from the query's `form` and `date`), an Athena
 * workgroup that enforces its results bucket, encryption and a bytes-scanned limit, and a managed
 * policy for analysts. The table's columns are those every form shares (the answers as JSON);
 * each file also holds one typed column per field, which DuckDB and Spark read by name
 * (docs/analytics.md).
 */
export class LakeCatalog extends Construct {
  public readonly databaseName: string;
  public readonly tableName = "submissions";
  public readonly workGroupName: string;
  public readonly resultsBucket: s3.Bucket;
  public readonly analystPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    const { config } = props;
    const { account, region } = Stack.of(this);
    // Glue names: lower case, digits and underscores.
    this.databaseName = `coleta_${config.envName}_lake`;
    this.workGroupName = `coleta-${config.envName}-lake`;
    const exportsName = bucketName(config, "exports");
    const location = `s3://${exportsName}/${LAKE_PREFIX}`;
    const resultsName = bucketName(config, "athena-results");

    this.resultsBucket = new s3.Bucket(this, "AthenaResults", {
      ...secureBucketProps(config, "athena-results", props.logsBucket),
      lifecycleRules: [
        {
          id: "expire-results",
          expiration: Duration.days(ATHENA_RESULTS_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    const database = new glue.CfnDatabase(this, "Database", {
      catalogId: account,
      databaseInput: {
        name: this.databaseName,
        description: "Coleta data lake: submissions exported as Parquet by the lake export task",
      },
    });

    const table = new glue.CfnTable(this, "Submissions", {
      catalogId: account,
      databaseName: this.databaseName,
      tableInput: {
        name: this.tableName,
        description: "Submissions of every form; query with WHERE form = '<form id>' (injected partition)",
        tableType: "EXTERNAL_TABLE",
        parameters: {
          classification: "parquet",
          EXTERNAL: "TRUE",
          "projection.enabled": "true",
          // Form ids are UUIDs, unknown in advance: the query names the form.
          "projection.form.type": "injected",
          "projection.date.type": "date",
          "projection.date.format": "yyyy-MM-dd",
          "projection.date.range": "2024-01-01,NOW",
          "projection.date.interval": "1",
          "projection.date.interval.unit": "DAYS",
          "storage.location.template": `${location}form=$\{form}/date=$\{date}/`,
        },
        partitionKeys: [
          { name: "form", type: "string", comment: "form id" },
          { name: "date", type: "string", comment: "UTC day received, yyyy-mm-dd" },
        ],
        storageDescriptor: {
          location,
          inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
          outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
          serdeInfo: { serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
          columns: [
            { name: "submission_id", type: "string" },
            { name: "received_at", type: "timestamp", comment: "UTC, microseconds" },
            { name: "form_version", type: "int" },
            { name: "answers", type: "string", comment: "the stored answers as JSON (json_extract_scalar)" },
          ],
        },
      },
    });
    table.addResourceDependency(database);

    new athena.CfnWorkGroup(this, "WorkGroup", {
      name: this.workGroupName,
      description: "Coleta data lake queries (results encrypted, per-query scan limit)",
      state: "ENABLED",
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: LAKE_BYTES_SCANNED_CUTOFF,
        engineVersion: { selectedEngineVersion: "Athena engine version 3" },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/`,
          encryptionConfiguration: { encryptionOption: "SSE_S3" },
          expectedBucketOwner: account,
        },
      },
    });

    // What an analyst (or a BI tool's role) needs to query the lake in this workgroup, and nothing else.
    this.analystPolicy = new iam.ManagedPolicy(this, "AnalystPolicy", {
      managedPolicyName: `coleta-${config.envName}-lake-analyst`,
      description: "Query the Coleta data lake with Athena (read-only on the lake)",
      statements: [
        new iam.PolicyStatement({
          sid: "Athena",
          actions: [
            "athena:StartQueryExecution",
            "athena:StopQueryExecution",
            "athena:GetQueryExecution",
            "athena:GetQueryResults",
            "athena:GetWorkGroup",
            "athena:ListQueryExecutions",
          ],
          resources: [`arn:aws:athena:${region}:${account}:workgroup/${this.workGroupName}`],
        }),
        new iam.PolicyStatement({
          sid: "Catalog",
          actions: ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions"],
          resources: [
            `arn:aws:glue:${region}:${account}:catalog`,
            `arn:aws:glue:${region}:${account}:database/${this.databaseName}`,
            `arn:aws:glue:${region}:${account}:table/${this.databaseName}/*`,
          ],
        }),
        new iam.PolicyStatement({
          sid: "LakeRead",
          actions: ["s3:GetObject"],
          resources: [bucketArn(exportsName, `${LAKE_PREFIX}*`)],
        }),
        new iam.PolicyStatement({
          sid: "LakeList",
          actions: ["s3:ListBucket", "s3:GetBucketLocation"],
          resources: [bucketArn(exportsName)],
          conditions: { StringLike: { "s3:prefix": [`${LAKE_PREFIX}*`] } },
        }),
        new iam.PolicyStatement({
          sid: "Results",
          actions: [
            "s3:GetObject",
            "s3:PutObject",
            "s3:AbortMultipartUpload",
            "s3:ListBucket",
            "s3:GetBucketLocation",
          ],
          resources: [bucketArn(resultsName), bucketArn(resultsName, "*")],
        }),
      ],
    });
    const wildcards = {
      [bucketArn(exportsName, `${LAKE_PREFIX}*`)]:
        "objects below lake/ in the exports bucket (per form, per day)",
      [bucketArn(resultsName, "*")]: "objects of the Athena results bucket (one per query)",
      [`arn:aws:glue:${region}:${account}:table/${this.databaseName}/*`]:
        "the tables of the one lake database",
    };
    for (const [resource, what] of Object.entries(wildcards)) {
      acknowledge(
        this.analystPolicy,
        `AwsSolutions-IAM5[Resource::${resource}]`,
        `Read-only analyst access: the wildcard covers ${what}, nothing else.`,
      );
    }
  }
}
