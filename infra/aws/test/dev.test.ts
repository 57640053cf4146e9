import { contentSecurityPolicy, HSTS, ISOLATION_HEADERS, REFERRER_POLICY } from "@coleta/http-policy";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { devConfig } from "../config/dev.js";
import { acknowledgements, logicalId, resources, type Synthesized, synthEnv } from "./helpers.js";

let s: Synthesized;
let t: Synthesized["templates"];
beforeAll(() => {
  s = synthEnv("dev");
  t = s.templates;
});

type Json = Record<string, unknown>;
const sgId = (template: Template, description: string) =>
  logicalId(template, "AWS::EC2::SecurityGroup", (p) => p.GroupDescription === description);
const getAttGroupId = (id: string) => ({ "Fn::GetAtt": [id, "GroupId"] });
/** The App stack stores the API setting `name` as SSM parameter /coleta/dev/api/<name> = `value`. */
const hasApiSetting = (name: string, value: string) =>
  t.app.hasResourceProperties("AWS::SSM::Parameter", { Name: `/coleta/dev/api/${name}`, Value: value });

/** All ingress rules (inline and standalone) that target the security group `id`. */
function ingressOf(template: Template, id: string): Json[] {
  const inline = (resources(template, "AWS::EC2::SecurityGroup")[id]?.Properties?.SecurityGroupIngress ??
    []) as Json[];
  const standalone = Object.values(resources(template, "AWS::EC2::SecurityGroupIngress"))
    .map((r) => r.Properties as Json)
    .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify(getAttGroupId(id)));
  return [...inline, ...standalone];
}

const ALB_SG = "Coleta ALB: HTTPS only from CloudFront origin-facing IPs";
const API_SG = "Coleta API Fargate tasks";
const MIGRATION_SG = "Coleta one-off database migration task";
const ROTATION_SG = "Secrets Manager rotation Lambda for the database secret";
const DB_SG = "Coleta PostgreSQL: only API, migration task and rotation Lambda";
const CACHE_SG = "Coleta Valkey cache: only the API";

describe("network", () => {
  it("spans 2 AZs with public, private (egress) and isolated subnets and 1 NAT gateway", () => {
    const net = t.network;
    net.resourceCountIs("AWS::EC2::Subnet", 6);
    net.resourceCountIs("AWS::EC2::NatGateway", 1);
    const azs = new Set(
      Object.values(resources(net, "AWS::EC2::Subnet")).map((r) => r.Properties?.AvailabilityZone),
    );
    expect([...azs].sort()).toEqual(["us-east-1a", "us-east-1b"]);
    for (const tier of ["public", "private", "isolated"]) {
      const tagged = Object.values(resources(net, "AWS::EC2::Subnet")).filter((r) =>
        ((r.Properties?.Tags ?? []) as Json[]).some(
          (tag) => tag.Key === "aws-cdk:subnet-name" && tag.Value === tier,
        ),
      );
      expect(tagged, tier).toHaveLength(2);
    }
  });

  it("logs all VPC traffic and has an S3 gateway endpoint", () => {
    t.network.hasResourceProperties("AWS::EC2::FlowLog", { TrafficType: "ALL", ResourceType: "VPC" });
    t.network.hasResourceProperties("AWS::EC2::VPCEndpoint", {
      VpcEndpointType: "Gateway",
      ServiceName: Match.objectLike({ "Fn::Join": Match.arrayWith([Match.arrayWith([".s3"])]) }),
    });
  });

  it("ALB admits only HTTPS from the CloudFront origin-facing prefix list", () => {
    const rules = ingressOf(t.network, sgId(t.network, ALB_SG));
    expect(rules).toEqual([
      expect.objectContaining({
        IpProtocol: "tcp",
        FromPort: 443,
        ToPort: 443,
        SourcePrefixListId: devConfig.cloudFrontOriginFacingPrefixListId,
      }),
    ]);
    expect(devConfig.cloudFrontOriginFacingPrefixListId).toBe("pl-3b927c52");
  });

  it("database admits 5432 ONLY from the API, migration task and rotation Lambda groups", () => {
    const rules = ingressOf(t.network, sgId(t.network, DB_SG));
    const sources = rules.map((r) => {
      expect(r).toMatchObject({ IpProtocol: "tcp", FromPort: 5432, ToPort: 5432 });
      expect(r.CidrIp).toBeUndefined();
      expect(r.CidrIpv6).toBeUndefined();
      return JSON.stringify(r.SourceSecurityGroupId);
    });
    expect(sources.sort()).toEqual(
      [API_SG, MIGRATION_SG, ROTATION_SG]
        .map((d) => JSON.stringify(getAttGroupId(sgId(t.network, d))))
        .sort(),
    );
  });

  it("cache admits its port only from the API group", () => {
    const rules = ingressOf(t.network, sgId(t.network, CACHE_SG));
    expect(rules).toEqual([
      expect.objectContaining({
        FromPort: devConfig.cache.port,
        ToPort: devConfig.cache.port,
        SourceSecurityGroupId: getAttGroupId(sgId(t.network, API_SG)),
      }),
    ]);
  });

  it("API admits 3000 only from the ALB; migration and rotation admit nothing", () => {
    expect(ingressOf(t.network, sgId(t.network, API_SG))).toEqual([
      expect.objectContaining({
        FromPort: 3000,
        SourceSecurityGroupId: getAttGroupId(sgId(t.network, ALB_SG)),
      }),
    ]);
    expect(ingressOf(t.network, sgId(t.network, MIGRATION_SG))).toEqual([]);
    expect(ingressOf(t.network, sgId(t.network, ROTATION_SG))).toEqual([]);
  });

  it("no security group ingress anywhere is open to 0.0.0.0/0 or ::/0", () => {
    for (const [name, template] of Object.entries(t)) {
      const inline = Object.values(resources(template, "AWS::EC2::SecurityGroup")).flatMap(
        (r) => (r.Properties?.SecurityGroupIngress ?? []) as Json[],
      );
      const standalone = Object.values(resources(template, "AWS::EC2::SecurityGroupIngress")).map(
        (r) => r.Properties as Json,
      );
      for (const rule of [...inline, ...standalone]) {
        expect(rule.CidrIp, name).not.toBe("0.0.0.0/0");
        expect(rule.CidrIpv6, name).not.toBe("::/0");
      }
    }
  });

  it("creates the public zone and a private zone internal.<domain> attached to the VPC (no split horizon)", () => {
    t.network.hasResourceProperties("AWS::Route53::HostedZone", {
      Name: `${devConfig.domainName}.`,
      VPCs: Match.absent(),
    });
    t.network.hasResourceProperties("AWS::Route53::HostedZone", {
      Name: `internal.${devConfig.domainName}.`,
      VPCs: [Match.objectLike({ VPCRegion: "us-east-1" })],
    });
    // (test/database-name.test.ts: which names resolve where.)
  });
});

describe("data", () => {
  const isolatedRefs = (ids: unknown) => {
    const list = ids as Json[];
    expect(list).toHaveLength(2);
    for (const id of list) expect(JSON.stringify(id)).toMatch(/isolatedSubnet/);
  };

  it("puts RDS and ElastiCache in the isolated subnets", () => {
    const dbSubnets = Object.values(resources(t.data, "AWS::RDS::DBSubnetGroup"));
    expect(dbSubnets).toHaveLength(1);
    isolatedRefs(dbSubnets[0]?.Properties?.SubnetIds);
    const cacheSubnets = Object.values(resources(t.data, "AWS::ElastiCache::SubnetGroup"));
    expect(cacheSubnets).toHaveLength(1);
    isolatedRefs(cacheSubnets[0]?.Properties?.SubnetIds);
  });

  it("runs encrypted PostgreSQL 17 with 7-day backups, single-AZ and no deletion protection in dev", () => {
    t.data.hasResourceProperties("AWS::RDS::DBInstance", {
      Engine: "postgres",
      EngineVersion: Match.stringLikeRegexp("^17\\."),
      StorageEncrypted: true,
      BackupRetentionPeriod: 7,
      MultiAZ: false,
      DeletionProtection: false,
      PubliclyAccessible: false,
      EnablePerformanceInsights: false,
    });
  });

  it("forces TLS with rds.force_ssl=1", () => {
    t.data.hasResourceProperties("AWS::RDS::DBParameterGroup", { Parameters: { "rds.force_ssl": "1" } });
  });

  it("keeps credentials in Secrets Manager and rotates them with a hosted Lambda in the rotation SG", () => {
    t.data.hasResourceProperties("AWS::SecretsManager::Secret", { Name: "coleta/dev/database" });
    t.data.hasResourceProperties("AWS::SecretsManager::RotationSchedule", {
      HostedRotationLambda: Match.objectLike({
        RotationType: "PostgreSQLSingleUser",
        VpcSecurityGroupIds: Match.anyValue(),
        VpcSubnetIds: Match.anyValue(),
      }),
      RotationRules: { ScheduleExpression: "rate(30 days)" },
    });
    const rotation = Object.values(resources(t.data, "AWS::SecretsManager::RotationSchedule"))[0]
      ?.Properties as Json;
    expect(JSON.stringify(rotation.HostedRotationLambda)).toMatch(/FirewallRotation/);
  });

  it("runs Valkey with TLS, at-rest encryption and an AUTH token from Secrets Manager", () => {
    t.data.hasResourceProperties("AWS::ElastiCache::ReplicationGroup", {
      Engine: "valkey",
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      Port: devConfig.cache.port,
      NumCacheClusters: 1,
      AuthToken: Match.objectLike({
        "Fn::Join": Match.arrayWith([Match.arrayWith(["{{resolve:secretsmanager:"])]),
      }),
    });
  });

  it("publishes db.internal.<domain> and cache.internal.<domain> in the private zone", () => {
    for (const name of ["db", "cache"]) {
      t.data.hasResourceProperties("AWS::Route53::RecordSet", {
        Name: `${name}.internal.${devConfig.domainName}.`,
        Type: "CNAME",
        HostedZoneId: Match.objectLike({
          "Fn::GetStackOutput": Match.objectLike({ OutputName: Match.stringLikeRegexp("InternalZone") }),
        }),
      });
    }
  });

  it("creates the ECR repository with scan on push", () => {
    t.data.hasResourceProperties("AWS::ECR::Repository", {
      RepositoryName: "coleta-dev/api",
      ImageScanningConfiguration: { ScanOnPush: true },
    });
  });
});

describe("buckets", () => {
  const allBuckets = () => [
    ...Object.entries(resources(t.data, "AWS::S3::Bucket")),
    ...Object.entries(resources(t.edge, "AWS::S3::Bucket")),
  ];

  it("has five private, encrypted buckets; all but the logs bucket log to the logs bucket", () => {
    const buckets = allBuckets();
    expect(buckets.map(([, b]) => b.Properties?.BucketName).sort()).toEqual(
      ["athena-results", "exports", "frontend", "logs", "uploads"].map((p) => `coleta-dev-${p}-111111111111`),
    );
    for (const [id, bucket] of buckets) {
      const p = bucket.Properties as Json;
      expect(p.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(JSON.stringify(p.BucketEncryption), id).toMatch(/AES256/);
      if (!String(p.BucketName).includes("-logs-")) {
        expect(p.LoggingConfiguration, id).toEqual({
          DestinationBucketName: expect.anything(),
          LogFilePrefix: expect.stringMatching(/^s3\//),
        });
      }
    }
  });

  it("enforces TLS in every bucket policy", () => {
    for (const template of [t.data, t.edge]) {
      const policies = Object.values(resources(template, "AWS::S3::BucketPolicy"));
      const buckets = Object.keys(resources(template, "AWS::S3::Bucket"));
      expect(policies).toHaveLength(buckets.length);
      for (const policy of policies) {
        expect(JSON.stringify(policy.Properties?.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
      }
    }
  });

  it("versions frontend/uploads/exports and expires logs", () => {
    t.edge.hasResourceProperties("AWS::S3::Bucket", { VersioningConfiguration: { Status: "Enabled" } });
    for (const purpose of ["uploads", "exports"]) {
      t.data.hasResourceProperties("AWS::S3::Bucket", {
        BucketName: `coleta-dev-${purpose}-111111111111`,
        VersioningConfiguration: { Status: "Enabled" },
      });
    }
    t.data.hasResourceProperties("AWS::S3::Bucket", {
      BucketName: "coleta-dev-logs-111111111111",
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: devConfig.storage.logRetentionDays })]),
      },
    });
  });

  it("uploads bucket: browser POSTs from the app's origin only, erased files gone in a day", () => {
    t.data.hasResourceProperties("AWS::S3::Bucket", {
      BucketName: "coleta-dev-uploads-111111111111",
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({ AllowedMethods: ["POST"], AllowedOrigins: [`https://${devConfig.domainName}`] }),
        ],
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 1 } })]),
      },
    });
    hasApiSetting("UPLOAD_STORAGE", "s3");
  });

  it("exports bucket: a browser may read (GET/HEAD only) the presigned downloads a 303 points at", () => {
    t.data.hasResourceProperties("AWS::S3::Bucket", {
      BucketName: "coleta-dev-exports-111111111111",
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedMethods: ["GET", "HEAD"], AllowedOrigins: ["*"] })],
      },
    });
  });
});

describe("api", () => {
  it("runs a Fargate ARM64 service with circuit breaker + rollback in private subnets", () => {
    t.app.hasResourceProperties("AWS::ECS::Service", {
      ServiceName: "coleta-dev-api",
      LaunchType: "FARGATE",
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: "DISABLED" }) },
    });
    const service = Object.values(resources(t.app, "AWS::ECS::Service"))[0]?.Properties as Json;
    expect(JSON.stringify(service.NetworkConfiguration)).toMatch(/privateSubnet/);
    t.app.hasResourceProperties("AWS::ECS::TaskDefinition", {
      Family: "coleta-dev-api",
      RuntimePlatform: { CpuArchitecture: "ARM64", OperatingSystemFamily: "LINUX" },
    });
    t.app.hasResourceProperties("AWS::ECS::Cluster", {
      ClusterSettings: [{ Name: "containerInsights", Value: "enabled" }],
    });
  });

  it("injects settings from SSM and secrets from Secrets Manager, with no plain environment", () => {
    const td = Object.values(resources(t.app, "AWS::ECS::TaskDefinition")).find(
      (r) => r.Properties?.Family === "coleta-dev-api",
    );
    const container = ((td?.Properties?.ContainerDefinitions ?? []) as Json[])[0] as Json;
    expect(container.Environment).toBeUndefined();
    const secrets = Object.fromEntries(
      (container.Secrets as Json[]).map((x) => [x.Name, JSON.stringify(x.ValueFrom)]),
    );
    for (const name of ["DATABASE_USER", "DATABASE_PASSWORD", "REDIS_PASSWORD", "AUTH_SECRET"]) {
      expect(secrets[name], name).toMatch(/secretsmanager|GetStackOutput|Ref/);
    }
    expect(secrets.DATABASE_USER).toMatch(/:username::/);
    expect(secrets.DATABASE_PASSWORD).toMatch(/:password::/);
    for (const name of [
      "NODE_ENV",
      "PUBLIC_URL",
      "DATABASE_HOST",
      "DATABASE_SSL_MODE",
      "REDIS_TLS",
      "UPLOAD_STORAGE",
      "S3_BUCKET",
      "S3_REGION",
      "AWS_REGION",
    ]) {
      expect(secrets[name], name).toMatch(/parameter/);
    }
    hasApiSetting("DATABASE_SSL_MODE", "verify-full");
    hasApiSetting("DATABASE_SSL_CA_FILE", "/app/certs/rds-global-bundle.pem");
    hasApiSetting("REDIS_TLS", "true");
    hasApiSetting("API_BASE_PATH", "/backend");
  });

  it("health-checks /backend/health/live and forwards only requests carrying the origin secret", () => {
    t.app.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", {
      HealthCheckPath: "/backend/health/live",
      Port: 3000,
      TargetType: "ip",
    });
    t.app.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", {
      Protocol: "HTTPS",
      Port: 443,
      DefaultActions: [
        Match.objectLike({
          Type: "fixed-response",
          FixedResponseConfig: Match.objectLike({ StatusCode: "403" }),
        }),
      ],
    });
    t.app.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", {
      Conditions: [
        {
          Field: "http-header",
          HttpHeaderConfig: {
            HttpHeaderName: "X-Origin-Verify",
            Values: [
              Match.objectLike({
                "Fn::Join": Match.arrayWith([Match.arrayWith(["{{resolve:secretsmanager:"])]),
              }),
            ],
          },
        },
      ],
      Actions: [Match.objectLike({ Type: "forward" })],
    });
    t.app.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", {
      Scheme: "internet-facing",
      LoadBalancerAttributes: Match.arrayWith([
        { Key: "access_logs.s3.enabled", Value: "true" },
        { Key: "access_logs.s3.prefix", Value: "alb" },
      ]),
    });
  });

  it("autoscales between the configured min/max on CPU and on ALB requests per target", () => {
    t.app.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", {
      MinCapacity: devConfig.api.minTasks,
      MaxCapacity: devConfig.api.maxTasks,
      ScalableDimension: "ecs:service:DesiredCount",
    });
    t.app.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: "ECSServiceAverageCPUUtilization" },
        TargetValue: devConfig.api.cpuTargetPercent,
      }),
    });
    t.app.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: "ALBRequestCountPerTarget" }),
        TargetValue: devConfig.api.requestsPerTargetPerMinute,
      }),
    });
  });

  it("has a one-off migration task definition with the same image and the migrate command", () => {
    const defs = Object.values(resources(t.app, "AWS::ECS::TaskDefinition")).map((r) => r.Properties as Json);
    const api = defs.find((d) => d.Family === "coleta-dev-api");
    const migrate = defs.find((d) => d.Family === "coleta-dev-migrate");
    const container = (d: Json | undefined) => ((d?.ContainerDefinitions ?? []) as Json[])[0] as Json;
    expect(container(migrate).Command).toEqual(["node", "apps/api/dist/migrate.js"]);
    expect(container(migrate).Image).toEqual(container(api).Image);
    // Pinned by digest (the pipeline's), never by tag: test/delivery.test.ts has the details.
    expect(JSON.stringify(container(api).Image)).toContain("@sha256:");
    expect(migrate?.RuntimePlatform).toEqual({ CpuArchitecture: "ARM64", OperatingSystemFamily: "LINUX" });
  });

  it("task role may only touch the uploads and exports buckets", () => {
    const taskRoleId = logicalId(t.app, "AWS::IAM::Role", (p) => p.RoleName === "coleta-dev-api-task");
    const policies = Object.values(resources(t.app, "AWS::IAM::Policy")).filter((p) =>
      JSON.stringify(p.Properties?.Roles).includes(taskRoleId),
    );
    expect(policies).toHaveLength(1);
    const statements = ((policies[0]?.Properties?.PolicyDocument ?? {}) as Json).Statement as Json[];
    const actions = statements.flatMap((st) => st.Action as string[]);
    expect(actions.every((a) => a.startsWith("s3:"))).toBe(true);
    const res = statements.flatMap((st) => [st.Resource].flat() as string[]).sort();
    expect(res).toEqual(
      [
        "arn:aws:s3:::coleta-dev-exports-111111111111",
        "arn:aws:s3:::coleta-dev-exports-111111111111/*",
        "arn:aws:s3:::coleta-dev-uploads-111111111111",
        "arn:aws:s3:::coleta-dev-uploads-111111111111/*",
      ].sort(),
    );
  });

  it("writes API logs to CloudWatch with the configured retention", () => {
    t.app.hasResourceProperties("AWS::Logs::LogGroup", {
      LogGroupName: "/coleta/dev/api",
      RetentionInDays: devConfig.api.logRetentionDays,
    });
  });
});

describe("database password rotation", () => {
  it("forces a new API deployment when Secrets Manager reports RotationSucceeded for the app's database secret", () => {
    const rules = resources(t.app, "AWS::Events::Rule");
    const [ruleId, rule] = Object.entries(rules).find(
      ([, r]) => r.Properties?.Name === "coleta-dev-db-rotation-redeploy",
    ) as [string, { Properties: Json }];
    const pattern = rule.Properties.EventPattern as Json;
    expect(pattern.source).toEqual(["aws.secretsmanager"]);
    expect(pattern["detail-type"]).toContain("AWS Service Event via CloudTrail");
    const detail = pattern.detail as Json;
    expect(detail.eventSource).toEqual(["secretsmanager.amazonaws.com"]);
    expect(detail.eventName).toEqual(["RotationSucceeded"]);
    const secretIds = JSON.stringify((detail.additionalEventData as Json).SecretId);
    // The service runs as coleta_app: its secret, not the master's (test/database-roles.test.ts).
    expect(secretIds).toMatch(/Coleta-dev-Data.*DatabaseAppSecret/); // the Data stack's secret ARN
    expect(secretIds).toContain('"coleta/dev/database-app"');

    // Target: the state machine, started with a role that may only start it.
    const targets = rule.Properties.Targets as Json[];
    expect(targets).toHaveLength(1);
    const smId = logicalId(t.app, "AWS::StepFunctions::StateMachine");
    expect((targets[0] as Json).Arn).toEqual({ Ref: smId });
    const roleId = ((targets[0] as Json).RoleArn as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0] as string;
    const policies = Object.values(resources(t.app, "AWS::IAM::Policy")).filter((p) =>
      JSON.stringify(p.Properties?.Roles).includes(roleId),
    );
    const eventsStatements = policies.flatMap(
      (p) => ((p.Properties?.PolicyDocument ?? {}) as Json).Statement as Json[],
    );
    expect(eventsStatements).toEqual([
      expect.objectContaining({ Action: "states:StartExecution", Resource: { Ref: smId } }),
    ]);
    expect(ruleId).toBeTruthy();

    // The state machine calls ecs:UpdateService --force-new-deployment on the API service only.
    const sm = resources(t.app, "AWS::StepFunctions::StateMachine")[smId]?.Properties as Json;
    const parts = (sm.DefinitionString as { "Fn::Join": [string, unknown[]] })["Fn::Join"][1];
    const definition = JSON.parse(
      parts
        .map((p) => (typeof p === "string" ? p : p && (p as Json).Ref === "AWS::Partition" ? "aws" : "?"))
        .join(""),
    ) as { StartAt: string; States: Record<string, Json> };
    expect(Object.keys(definition.States)).toHaveLength(1);
    expect(definition.States[definition.StartAt]).toMatchObject({
      Type: "Task",
      End: true,
      Resource: "arn:aws:states:::aws-sdk:ecs:updateService",
      Parameters: { Cluster: "coleta-dev", Service: "coleta-dev-api", ForceNewDeployment: true },
    });
    const smRole = (sm.RoleArn as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0] as string;
    const smStatements = Object.values(resources(t.app, "AWS::IAM::Policy"))
      .filter((p) => JSON.stringify(p.Properties?.Roles).includes(smRole))
      .flatMap((p) => ((p.Properties?.PolicyDocument ?? {}) as Json).Statement as Json[]);
    const ecsStatements = smStatements.filter((st) => JSON.stringify(st.Action).includes("ecs:"));
    expect(ecsStatements).toEqual([
      expect.objectContaining({ Action: "ecs:UpdateService", Resource: { Ref: expect.any(String) } }),
    ]);
    expect(JSON.stringify(ecsStatements[0]?.Resource)).toMatch(/ApiService/);
    expect(sm.LoggingConfiguration).toMatchObject({ Level: "ALL" });
  });
});

describe("edge", () => {
  const distribution = () =>
    ((Object.values(resources(t.edge, "AWS::CloudFront::Distribution"))[0]?.Properties ?? {}) as Json)
      .DistributionConfig as Json;
  const behavior = (pattern: string) =>
    (distribution().CacheBehaviors as Json[]).find((b) => b.PathPattern === pattern) as Json;
  const origin = (id: unknown) => (distribution().Origins as Json[]).find((o) => o.Id === id) as Json;
  const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
  const ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

  it("serves /frontend/* from the private bucket through OAC with the SPA routing function", () => {
    const b = behavior("/frontend/*");
    const o = origin(b.TargetOriginId);
    expect(JSON.stringify(o.DomainName)).toMatch(/FrontendBucket/);
    expect(o.OriginAccessControlId).toBeDefined();
    expect(JSON.stringify(b.FunctionAssociations)).toMatch(/SpaRouting/);
    t.edge.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: "s3:GetObject",
            Condition: { StringEquals: { "AWS:SourceArn": Match.anyValue() } },
          }),
        ]),
      },
    });
    t.edge.hasResourceProperties("AWS::CloudFront::OriginAccessControl", {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: "s3",
        SigningBehavior: "always",
      }),
    });
  });

  const headersPolicy = (behaviorPattern: string) => {
    const ref = behavior(behaviorPattern).ResponseHeadersPolicyId as { Ref: string };
    expect(ref.Ref, `${behaviorPattern} uses a custom response headers policy`).toBeDefined();
    return ((resources(t.edge, "AWS::CloudFront::ResponseHeadersPolicy")[ref.Ref]?.Properties ?? {}) as Json)
      .ResponseHeadersPolicyConfig as Json;
  };
  // The expected values come from @coleta/http-policy, the definition the API and nginx use too.
  const customHeaders = (config: Json) =>
    Object.fromEntries(
      ((config.CustomHeadersConfig as Json).Items as Json[]).map((h) => [h.Header, h.Value]),
    );

  it("lets other sites frame only the respondent page /frontend/f/* (CSP frame-ancestors *, no X-Frame-Options)", () => {
    const patterns = (distribution().CacheBehaviors as Json[]).map((b) => b.PathPattern);
    // CloudFront takes the first matching pattern: /frontend/f/* must precede /frontend/*.
    expect(patterns.indexOf("/frontend/f/*")).toBeGreaterThanOrEqual(0);
    expect(patterns.indexOf("/frontend/f/*")).toBeLessThan(patterns.indexOf("/frontend/*"));

    const fill = behavior("/frontend/f/*");
    const app = behavior("/frontend/*");
    // Same S3 origin, same SPA function (which maps /frontend/f/* to fill.html), same cache policy.
    expect(fill.TargetOriginId).toBe(app.TargetOriginId);
    expect(fill.FunctionAssociations).toEqual(app.FunctionAssociations);
    expect(JSON.stringify(fill.FunctionAssociations)).toMatch(/SpaRouting/);
    expect(fill.CachePolicyId).toEqual(app.CachePolicyId);
    expect(fill.ViewerProtocolPolicy).toBe("redirect-to-https");

    const embeddable = headersPolicy("/frontend/f/*").SecurityHeadersConfig as Json;
    expect(embeddable.FrameOptions).toBeUndefined();
    expect(embeddable.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: contentSecurityPolicy("anyone"),
      Override: true,
    });
    expect(embeddable.ContentSecurityPolicy).toMatchObject({
      ContentSecurityPolicy: expect.stringMatching(/frame-ancestors \*$/),
    });
    expect(embeddable.ContentTypeOptions).toEqual({ Override: true });
    expect(embeddable.ReferrerPolicy).toEqual({ ReferrerPolicy: REFERRER_POLICY, Override: true });
    expect(embeddable.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: HSTS.maxAgeSeconds,
      IncludeSubdomains: HSTS.includeSubDomains,
      Override: true,
    });
    expect(customHeaders(headersPolicy("/frontend/f/*"))).toEqual(ISOLATION_HEADERS);

    const workspace = headersPolicy("/frontend/*").SecurityHeadersConfig as Json;
    expect(workspace.FrameOptions).toEqual({ FrameOption: "SAMEORIGIN", Override: true });
    expect(workspace.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: contentSecurityPolicy("self"),
      Override: true,
    });
    expect(workspace.ContentTypeOptions).toEqual({ Override: true });
    expect(workspace.ReferrerPolicy).toEqual({ ReferrerPolicy: REFERRER_POLICY, Override: true });
    expect(workspace.StrictTransportSecurity).toEqual(embeddable.StrictTransportSecurity);
    expect(customHeaders(headersPolicy("/frontend/*"))).toEqual(ISOLATION_HEADERS);
  });

  it("caches the web app by the origin's Cache-Control (min TTL 0), so no-cache HTML and fill-sw.js revalidate", () => {
    for (const pattern of ["/frontend/*", "/frontend/f/*"]) {
      const ref = behavior(pattern).CachePolicyId as { Ref: string };
      expect(ref.Ref, pattern).toBeDefined();
      const config = ((resources(t.edge, "AWS::CloudFront::CachePolicy")[ref.Ref]?.Properties ?? {}) as Json)
        .CachePolicyConfig as Json;
      // With MinTTL > 0 CloudFront would cache "Cache-Control: no-cache" responses for MinTTL.
      expect(config.MinTTL, pattern).toBe(0);
      expect(config.MaxTTL).toBe(31536000);
      expect(config.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
        CookiesConfig: { CookieBehavior: "none" },
        HeadersConfig: { HeaderBehavior: "none" },
        QueryStringsConfig: { QueryStringBehavior: "none" },
      });
    }
  });

  it("sends /backend/* to the ALB over HTTPS: no caching, all methods, all viewer headers, secret header", () => {
    const b = behavior("/backend/*");
    expect(b.CachePolicyId).toBe(CACHING_DISABLED);
    expect(b.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    expect((b.AllowedMethods as string[]).sort()).toEqual([
      "DELETE",
      "GET",
      "HEAD",
      "OPTIONS",
      "PATCH",
      "POST",
      "PUT",
    ]);
    const o = origin(b.TargetOriginId);
    expect(o.DomainName).toBe(`origin.${devConfig.domainName}`);
    expect(o.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: "https-only",
      OriginSSLProtocols: ["TLSv1.2"],
    });
    expect(o.OriginCustomHeaders).toEqual([
      {
        HeaderName: "X-Origin-Verify",
        HeaderValue: "{{resolve:secretsmanager:coleta/dev/origin-verify:SecretString:value::}}",
      },
    ]);
  });

  it("redirects / with a CloudFront Function on the default behaviour", () => {
    const d = distribution();
    expect(JSON.stringify((d.DefaultCacheBehavior as Json).FunctionAssociations)).toMatch(/RootRedirect/);
    expect(d.Aliases).toEqual([devConfig.domainName]);
    expect(d.Logging).toMatchObject({ Prefix: "cloudfront/" });
    expect(JSON.stringify(d.WebACLId)).toMatch(/WebAcl/);
  });

  it("attaches a CLOUDFRONT WAF with the managed rule sets and a /backend/public/* rate limit", () => {
    t.edge.hasResourceProperties("AWS::WAFv2::WebACL", {
      Scope: "CLOUDFRONT",
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: "PublicApiRateLimit",
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: Match.objectLike({
              AggregateKeyType: "IP",
              ScopeDownStatement: {
                ByteMatchStatement: Match.objectLike({
                  SearchString: "/backend/public/",
                  PositionalConstraint: "STARTS_WITH",
                }),
              },
            }),
          },
        }),
        ...[
          "AWSManagedRulesAmazonIpReputationList",
          "AWSManagedRulesCommonRuleSet",
          "AWSManagedRulesKnownBadInputsRuleSet",
        ].map((name) =>
          Match.objectLike({
            Name: name,
            Statement: { ManagedRuleGroupStatement: Match.objectLike({ VendorName: "AWS", Name: name }) },
          }),
        ),
      ]),
    });
  });

  it("blocks /backend/metrics at the edge as the first WAF rule, after decoding and path normalisation", () => {
    const acl = Object.values(resources(t.edge, "AWS::WAFv2::WebACL"))[0]?.Properties as Json;
    const rules = acl.Rules as Json[];
    const rule = rules.find((r) => r.Name === "BlockInternalMetrics") as Json;
    expect(rule).toBeDefined();
    expect(rule.Action).toEqual({ Block: {} });
    expect(rule.Priority).toBe(Math.min(...rules.map((r) => r.Priority as number)));
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
    const matches = ((rule.Statement as Json).OrStatement as Json).Statements as Json[];
    expect(matches.map((m) => (m.ByteMatchStatement as Json).PositionalConstraint)).toEqual([
      "EXACTLY",
      "STARTS_WITH",
    ]);
    expect(matches.map((m) => (m.ByteMatchStatement as Json).SearchString)).toEqual([
      "/backend/metrics",
      "/backend/metrics/",
    ]);
    for (const m of matches) {
      const bm = m.ByteMatchStatement as Json;
      expect(bm.FieldToMatch).toEqual({ UriPath: {} });
      expect((bm.TextTransformations as Json[]).map((x) => x.Type)).toEqual([
        "URL_DECODE",
        "NORMALIZE_PATH_WIN",
        "LOWERCASE",
      ]);
    }
  });

  it("points the apex (A + AAAA) at CloudFront and origin.<domain> at the ALB", () => {
    for (const type of ["A", "AAAA"]) {
      t.edge.hasResourceProperties("AWS::Route53::RecordSet", {
        Name: `${devConfig.domainName}.`,
        Type: type,
      });
    }
    t.app.hasResourceProperties("AWS::Route53::RecordSet", {
      Name: `origin.${devConfig.domainName}.`,
      Type: "A",
    });
    t.edge.hasResourceProperties("AWS::CertificateManager::Certificate", {
      DomainName: devConfig.domainName,
      ValidationMethod: "DNS",
    });
  });
});

describe("alerts", () => {
  const topicId = (owner: string) =>
    logicalId(t.monitoring, "AWS::SNS::Topic", (p) => p.TopicName === `coleta-dev-${owner}-alerts`);

  it("has KMS-encrypted, TLS-only topics per team and for the monitoring team with the configured e-mails", () => {
    for (const owner of ["frontend", "backend", "platform", "monitoring"] as const) {
      const id = topicId(owner);
      t.monitoring.hasResourceProperties("AWS::SNS::Topic", {
        TopicName: `coleta-dev-${owner}-alerts`,
        KmsMasterKeyId: Match.anyValue(),
      });
      expect(devConfig.alerts[owner].length, owner).toBeGreaterThan(0);
      for (const email of devConfig.alerts[owner]) {
        t.monitoring.hasResourceProperties("AWS::SNS::Subscription", {
          Protocol: "email",
          Endpoint: email,
          TopicArn: { Ref: id },
        });
      }
      const policy = Object.values(resources(t.monitoring, "AWS::SNS::TopicPolicy")).find((p) =>
        JSON.stringify(p.Properties?.Topics).includes(id),
      );
      expect(JSON.stringify(policy?.Properties?.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it("wires each alarm to its team's topic AND the monitoring topic and explains who to call", () => {
    const alarms = Object.values(resources(t.monitoring, "AWS::CloudWatch::Alarm")).map(
      (a) => a.Properties as Json,
    );
    const expected: Record<string, string> = {
      CloudFront5xxRate: "frontend",
      HealthCheckOpenForm: "frontend",
      Api5xxRate: "backend",
      LoadBalancer5xxRate: "backend",
      ApiNoHealthyTargets: "backend",
      ApiLatencyP95: "backend",
      ApiUnhealthyHosts: "backend",
      ApiRunningTasks: "backend",
      SubmissionServerErrors: "backend",
      HealthCheckSubmitAnswer: "backend",
      DatabaseCpu: "platform",
      DatabaseFreeStorage: "platform",
      DatabaseConnections: "platform",
      "CacheMemory-coleta-dev-001": "platform",
      RotationRedeployFailed: "platform",
      WafBlockedSpike: "platform",
      HealthCheckNotRunning: "platform",
    };
    const teamName: Record<string, string> = {
      frontend: "Frontend team",
      backend: "Backend team",
      platform: "Platform team",
    };
    expect(alarms).toHaveLength(Object.keys(expected).length);
    for (const [name, team] of Object.entries(expected)) {
      const alarm = alarms.find((a) => a.AlarmName === `coleta-dev-${team}-${name}`);
      expect(alarm, name).toBeDefined();
      const actions = [{ Ref: topicId(team) }, { Ref: topicId("monitoring") }];
      expect(alarm?.AlarmActions, name).toEqual(actions);
      expect(alarm?.OKActions, name).toEqual(actions);
      const contact = devConfig.alerts.contacts[team as "frontend" | "backend" | "platform"];
      expect(String(alarm?.AlarmDescription), name).toContain(
        `Who to call: ${teamName[team]} (${contact.name}, ${contact.phone}, ${contact.chat};`,
      );
    }
    const cf = alarms.find((a) => a.AlarmName === "coleta-dev-frontend-CloudFront5xxRate");
    expect(cf).toMatchObject({ Namespace: "AWS/CloudFront", MetricName: "5xxErrorRate" });
    expect(cf?.Dimensions).toEqual(expect.arrayContaining([{ Name: "Region", Value: "Global" }]));
    const p95 = alarms.find((a) => a.AlarmName === "coleta-dev-backend-ApiLatencyP95");
    expect(p95).toMatchObject({ MetricName: "TargetResponseTime", ExtendedStatistic: "p95" });
  });

  it("has a monthly budget that notifies the platform topic", () => {
    t.monitoring.hasResourceProperties("AWS::Budgets::Budget", {
      Budget: Match.objectLike({
        BudgetType: "COST",
        TimeUnit: "MONTHLY",
        BudgetLimit: { Amount: devConfig.budget.monthlyLimitUsd, Unit: "USD" },
      }),
      NotificationsWithSubscribers: Match.arrayWith([
        Match.objectLike({
          Subscribers: [{ SubscriptionType: "SNS", Address: { Ref: topicId("platform") } }],
        }),
      ]),
    });
  });
});

describe("github deploy", () => {
  const roleTrust = (name: string) =>
    Object.values(resources(t.cicd, "AWS::IAM::Role")).find((r) => r.Properties?.RoleName === name)
      ?.Properties?.AssumeRolePolicyDocument as Json;

  it("creates the GitHub OIDC provider and three deploy roles limited to the repo + environment", () => {
    t.cicd.hasResourceProperties("AWS::IAM::OIDCProvider", {
      Url: "https://token.actions.githubusercontent.com",
      ClientIdList: ["sts.amazonaws.com"],
    });
    for (const name of [
      "coleta-dev-github-deploy-frontend",
      "coleta-dev-github-deploy-backend",
      "coleta-dev-github-infra",
    ]) {
      const trust = roleTrust(name);
      expect(trust, name).toBeDefined();
      const statement = (trust.Statement as Json[])[0] as Json;
      expect(statement.Action).toBe("sts:AssumeRoleWithWebIdentity");
      expect(statement.Condition).toEqual({
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": [`repo:${devConfig.github.repository}:environment:dev`],
        },
      });
    }
  });

  const policyOf = (roleName: string) => {
    const id = logicalId(t.cicd, "AWS::IAM::Role", (p) => p.RoleName === roleName);
    return JSON.stringify(
      Object.values(resources(t.cicd, "AWS::IAM::Policy"))
        .filter((p) => JSON.stringify(p.Properties?.Roles).includes(id))
        .map((p) => p.Properties?.PolicyDocument),
    );
  };

  it("limits deploy-frontend to S3 sync + CloudFront invalidation", () => {
    const doc = policyOf("coleta-dev-github-deploy-frontend");
    const actions = [...doc.matchAll(/"((?:s3|cloudfront|ssm|ecr|ecs|iam|sts|logs):[A-Za-z*]+)"/g)].map(
      (m) => m[1],
    );
    expect(new Set(actions.map((a) => a?.split(":")[0]))).toEqual(new Set(["s3", "ssm"]));
    // The invalidation is granted by the Edge stack (it owns the distribution; Cicd never waits for it).
    const edgePolicies = JSON.stringify(
      Object.values(resources(t.edge, "AWS::IAM::Policy")).map((p) => p.Properties),
    );
    expect(edgePolicies).toContain("cloudfront:CreateInvalidation");
    expect(edgePolicies).toContain("coleta-dev-github-deploy-frontend");
  });

  it("limits deploy-backend to ECR push, ECS update/run-task and PassRole on the task roles", () => {
    const doc = policyOf("coleta-dev-github-deploy-backend");
    for (const action of ["ecr:PutImage", "ecs:UpdateService", "ecs:RunTask", "iam:PassRole"])
      expect(doc).toContain(action);
    expect(doc).not.toContain("s3:");
    const passRole = (JSON.parse(doc) as Json[])
      .flatMap((d) => d.Statement as Json[])
      .find((st) => st.Action === "iam:PassRole") as Json;
    expect([passRole.Resource].flat().sort()).toEqual(
      ["coleta-dev-api-execution", "coleta-dev-api-task", "coleta-dev-migrate-task"].map(
        (name) => `arn:aws:iam::111111111111:role/${name}`,
      ),
    );
    expect(passRole.Condition).toEqual({
      StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
    });
  });

  it("lets deploy-backend describe and register task definition revisions (Resource * acknowledged)", () => {
    const statements = (JSON.parse(policyOf("coleta-dev-github-deploy-backend")) as Json[]).flatMap(
      (d) => d.Statement as Json[],
    );
    const register = statements.find((st) => st.Sid === "RegisterTaskDefinitionRevisions") as Json;
    expect(register).toBeDefined();
    expect([register.Action].flat().sort()).toEqual([
      "ecs:DescribeTaskDefinition",
      "ecs:RegisterTaskDefinition",
    ]);
    expect(register.Resource).toBe("*");
    const ack = acknowledgements(s.stacks.cicd).find(
      (a) => a.path.endsWith("DeployBackendRole") && a.id.endsWith("AwsSolutions-IAM5[Resource::*]"),
    );
    expect(String(ack?.reason)).toMatch(/RegisterTaskDefinition/);
  });

  it("lets the infra role only assume the CDK bootstrap roles", () => {
    const doc = policyOf("coleta-dev-github-infra");
    expect(doc).toContain("cdk-hnb659fds-deploy-role-111111111111-us-east-1");
    expect(doc).toContain("sts:AssumeRole");
  });

  it("exports deploy outputs and mirrors them in SSM under /coleta/dev/deploy/", () => {
    const outputs = t.cicd.toJSON().Outputs as Record<string, unknown>;
    const expected: Record<string, string> = {
      AppUrl: "app-url",
      FrontendBucketName: "frontend-bucket",
      FrontendS3Uri: "frontend-s3-uri",
      EcrRepositoryUri: "ecr-repository-uri",
      EcrRepositoryName: "ecr-repository-name",
      ClusterName: "cluster-name",
      ServiceName: "service-name",
      MigrationTaskDefinitionFamily: "migration-task-family",
      MigrationSubnetIds: "migration-subnet-ids",
      MigrationSecurityGroupId: "migration-security-group-id",
      DeployFrontendRoleArn: "deploy-frontend-role-arn",
      DeployBackendRoleArn: "deploy-backend-role-arn",
      InfraRoleArn: "infra-role-arn",
      ApiLogGroupName: "api-log-group",
      DiffRoleArn: "diff-role-arn",
    };
    // distribution-id is published by the Edge stack (test/delivery.test.ts).
    for (const [key, param] of Object.entries(expected)) {
      expect(outputs[key], key).toBeDefined();
      t.cicd.hasResourceProperties("AWS::SSM::Parameter", { Name: `/coleta/dev/deploy/${param}` });
    }
  });
});
