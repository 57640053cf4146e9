import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { configs } from "../config/index.js";
import { bucketName } from "../lib/constructs/buckets.js";
import { LAKE_BYTES_SCANNED_CUTOFF, LAKE_PREFIX } from "../lib/constructs/lake-catalog.js";
import { LAKE_EXPORT_COMMAND } from "../lib/constructs/lake-schedule.js";
import { nagFindings, resources, type Synthesized, synthEnv } from "./helpers.js";

let dev: Synthesized;
beforeAll(() => {
  dev = synthEnv("dev");
});

const config = configs.dev;
const exportsBucket = bucketName(config, "exports");

describe("data lake: catalog (Data stack)", () => {
  it("has a Glue table over lake/form=…/date=… with partition projection, no crawler", () => {
    const data = dev.templates.data;
    data.hasResourceProperties("AWS::Glue::Database", {
      DatabaseInput: Match.objectLike({ Name: "coleta_dev_lake" }),
    });
    data.hasResourceProperties("AWS::Glue::Table", {
      DatabaseName: "coleta_dev_lake",
      TableInput: Match.objectLike({
        Name: "submissions",
        TableType: "EXTERNAL_TABLE",
        PartitionKeys: [
          Match.objectLike({ Name: "form", Type: "string" }),
          Match.objectLike({ Name: "date", Type: "string" }),
        ],
        Parameters: Match.objectLike({
          "projection.enabled": "true",
          "projection.form.type": "injected",
          "projection.date.type": "date",
          "projection.date.format": "yyyy-MM-dd",
          "storage.location.template": `s3://${exportsBucket}/${LAKE_PREFIX}form=\${form}/date=\${date}/`,
        }),
        StorageDescriptor: Match.objectLike({
          Location: `s3://${exportsBucket}/${LAKE_PREFIX}`,
          SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
          Columns: [
            { Name: "submission_id", Type: "string" },
            Match.objectLike({ Name: "received_at", Type: "timestamp" }),
            { Name: "form_version", Type: "int" },
            Match.objectLike({ Name: "answers", Type: "string" }),
          ],
        }),
      }),
    });
    expect(Object.keys(resources(data, "AWS::Glue::Crawler"))).toEqual([]);
  });

  it("has an Athena workgroup that enforces encrypted results in its own bucket and a scan limit", () => {
    const data = dev.templates.data;
    data.hasResourceProperties("AWS::Athena::WorkGroup", {
      Name: "coleta-dev-lake",
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: LAKE_BYTES_SCANNED_CUTOFF,
        ResultConfiguration: Match.objectLike({
          OutputLocation: Match.anyValue(),
          EncryptionConfiguration: { EncryptionOption: "SSE_S3" },
        }),
      }),
    });
    data.hasResourceProperties("AWS::S3::Bucket", {
      BucketName: bucketName(config, "athena-results"),
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      }),
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 30 })]) },
    });
  });
});

describe("data lake: scheduled export (App stack)", () => {
  it("runs the API image's lake command on Fargate every hour from EventBridge Scheduler", () => {
    const app = dev.templates.app;
    app.hasResourceProperties("AWS::ECS::TaskDefinition", {
      Family: "coleta-dev-lake-export",
      RuntimePlatform: { CpuArchitecture: "ARM64", OperatingSystemFamily: "LINUX" },
      ContainerDefinitions: [
        Match.objectLike({
          Command: [...LAKE_EXPORT_COMMAND, "--bucket", exportsBucket, "--prefix", LAKE_PREFIX],
          // The API's own settings and database credentials.
          Secrets: Match.arrayWith([
            Match.objectLike({ Name: "DATABASE_HOST" }),
            Match.objectLike({ Name: "DATABASE_PASSWORD" }),
          ]),
        }),
      ],
    });
    const schedules = Object.values(resources(app, "AWS::Scheduler::Schedule"));
    expect(schedules).toHaveLength(1);
    const schedule = schedules[0]?.Properties as Record<string, any>;
    expect(schedule.ScheduleExpression).toBe("rate(1 hour)");
    expect(schedule.Target.EcsParameters).toMatchObject({
      LaunchType: "FARGATE",
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: "DISABLED" } },
    });
    expect(schedule.Target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 0 });
  });

  it("lets the export task touch only the lake/ prefix of the exports bucket", () => {
    const app = dev.templates.app;
    const [policy] = Object.values(resources(app, "AWS::IAM::Policy")).filter((p) =>
      JSON.stringify(p.Properties?.Roles ?? "").includes("LakeExportTaskRole"),
    );
    const document = policy?.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] };
    expect(document.Statement).toEqual([
      expect.objectContaining({
        Action: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
        Resource: `arn:aws:s3:::${exportsBucket}/${LAKE_PREFIX}*`,
      }),
      expect.objectContaining({
        Action: "s3:ListBucket",
        Resource: `arn:aws:s3:::${exportsBucket}`,
        Condition: { StringLike: { "s3:prefix": [`${LAKE_PREFIX}*`] } },
      }),
    ]);
  });

  it("passes cdk-nag (AwsSolutions) with no findings", () => {
    const findings = nagFindings(dev.app).map((v) => ({
      rule: v.ruleName,
      at: v.violatingResources.map((r) => r.constructPath ?? ""),
    }));
    expect(findings.filter((f) => f.at.some((p) => /Lake/.test(p)))).toEqual([]);
  });
});
