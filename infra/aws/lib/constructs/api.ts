import { Duration, Stack } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import type * as ecr from "aws-cdk-lib/aws-ecr";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as route53 from "aws-cdk-lib/aws-route53";
import type * as s3 from "aws-cdk-lib/aws-s3";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as ssm from "aws-cdk-lib/aws-ssm";
import { Construct } from "constructs";
import { acknowledge } from "../nag.js";
import { AlbOrigin } from "./alb-origin.js";
import { API_BASE_PATH, HEALTH_CHECK_PATH } from "./api-paths.js";
import { AuthSecret } from "./api-secrets.js";
import { grantApiBucketAccess } from "./buckets.js";
import type { CacheConnection } from "./cache.js";
import type { InVpcProps } from "./construct-props.js";
import type { DatabaseConnection } from "./database.js";
import { API_PORT } from "./firewall.js";
import { type DeployTargetNames, deployTargetNames } from "./github-deploy.js";

/** The container health check: Node's fetch (the slim image has no curl), like the Dockerfile's. */
export const CONTAINER_HEALTH_CHECK_COMMAND = [
  "CMD",
  "node",
  "-e",
  `fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'${HEALTH_CHECK_PATH}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
];
export const MIGRATE_COMMAND = ["node", "apps/api/dist/migrate.js"];
/** CA bundle shipped in the API image (apps/api/Dockerfile). */
export const RDS_CA_FILE = "/app/certs/rds-global-bundle.pem";

export interface ApiProps extends InVpcProps {
  readonly albSecurityGroup: ec2.ISecurityGroup;
  readonly serviceSecurityGroup: ec2.ISecurityGroup;
  readonly migrationSecurityGroup: ec2.ISecurityGroup;
  readonly publicZone: route53.IHostedZone;
  readonly repository: ecr.IRepository;
  /** Image digest ("sha256:<64 hex>"): task definitions pin `<repository>@<digest>`, never a tag. */
  readonly imageDigest: string;
  readonly logsBucket: s3.IBucket;
  readonly uploadsBucket: s3.IBucket;
  readonly exportsBucket: s3.IBucket;
  /** db.internal.<domain> + the RDS endpoint name for TLS, and the admin/migrator/app secrets. */
  readonly database: DatabaseConnection;
  readonly cache: CacheConnection;
}

/**
 * The API on ECS: a Fargate (ARM64) service behind the ALB origin that only CloudFront can use
 * (AlbOrigin: prefix-list security group and the secret X-Origin-Verify header).
 *
 * Configuration: plain settings in SSM Parameter Store under /coleta/<env>/api/<VAR>, secrets in
 * Secrets Manager; ECS injects both as environment variables at task start.
 */
export class Api extends Construct {
  public readonly cluster: ecs.Cluster;
  public readonly service: ecs.FargateService;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly migrationTaskDefinition: ecs.FargateTaskDefinition;
  /** The API's settings and secrets as container environment: other tasks of the same image reuse them. */
  public readonly containerSecrets: Record<string, ecs.Secret>;
  public readonly taskRole: iam.Role;
  public readonly migrationTaskRole: iam.Role;
  public readonly executionRole: iam.Role;
  /** CloudFront's origin: the ALB, its target group and the origin-verify secret. */
  public readonly origin: AlbOrigin;
  public readonly logGroup: logs.LogGroup;
  /** Literal names of the cluster, service, task families, roles and log group (the Cicd stack's too). */
  public readonly names: DeployTargetNames;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { config, vpc } = props;
    const env = config.envName;
    const region = Stack.of(this).region;
    const settingsPath = `/coleta/${env}/api/`;
    const names = deployTargetNames(env);
    this.names = names;

    // --- Origin: certificate, secret header, ALB -------------------------------------------
    // Id "Default" adds no step to the logical ids: the ALB, its certificate and the secret keep the
    // ids they had when this construct created them itself (new ids would replace them).
    this.origin = new AlbOrigin(this, "Default", {
      config,
      vpc,
      albSecurityGroup: props.albSecurityGroup,
      publicZone: props.publicZone,
      logsBucket: props.logsBucket,
      stackName: "App",
    });

    // --- Configuration ------------------------------------------------------------------------
    const settings: Record<string, string> = {
      NODE_ENV: "production",
      PORT: String(API_PORT),
      PUBLIC_URL: `https://${config.domainName}`,
      API_BASE_PATH,
      // CloudFront appends the viewer IP to X-Forwarded-For, the ALB appends CloudFront's IP.
      TRUST_PROXY_HOPS: "2",
      // Our name for the database; verify-full checks the RDS certificate's name (the endpoint).
      DATABASE_HOST: props.database.host,
      DATABASE_PORT: props.database.port,
      DATABASE_NAME: props.database.name,
      DATABASE_SSL_MODE: "verify-full",
      DATABASE_SSL_CA_FILE: RDS_CA_FILE,
      DATABASE_SSL_SERVERNAME: props.database.serverName,
      // The service runs as coleta_app (DML only); the migration task applies migrations.
      MIGRATE_ON_START: "false",
      DATABASE_POOL_SIZE: String(config.api.databasePoolSize),
      REDIS_HOST: props.cache.host,
      REDIS_PORT: props.cache.port,
      REDIS_TLS: "true",
      SIGNUP_MODE: config.api.signupMode,
      LOG_LEVEL: config.api.logLevel,
      // Respondents' files (docs/api.md, "Uploads"): browsers POST straight to the bucket with
      // presigned POSTs signed by the task role; the bucket's CORS rule admits the app's origin.
      UPLOAD_STORAGE: "s3",
      S3_BUCKET: props.uploadsBucket.bucketName,
      S3_REGION: region,
      S3_EXPORTS_BUCKET: props.exportsBucket.bucketName,
      AWS_REGION: region,
    };
    const settingsParams = new Construct(this, "Settings");
    const fromSsm: Record<string, ecs.Secret> = {};
    for (const [name, value] of Object.entries(settings)) {
      const param = new ssm.StringParameter(settingsParams, name, {
        parameterName: `${settingsPath}${name}`,
        stringValue: value,
        description: `Coleta API setting ${name}`,
      });
      fromSsm[name] = ecs.Secret.fromSsmParameter(param);
    }

    const authSecret = new AuthSecret(this, "AuthSecret", {
      env,
      rotation:
        "Running tasks only read it at start: rotate deliberately (new value + ECS redeploy), see infra/aws/README.md.",
    });
    const credentials = (secret: secretsmanager.ISecret, prefix: string) => ({
      [`${prefix}_USER`]: ecs.Secret.fromSecretsManager(secret, "username"),
      [`${prefix}_PASSWORD`]: ecs.Secret.fromSecretsManager(secret, "password"),
    });
    // The service as coleta_app; the migration task as coleta_migrator, with the master user's and
    // the app's credentials for the role bootstrap (docs/configuration.md, "Database roles").
    const databaseSecrets = credentials(props.database.appSecret, "DATABASE");
    const migrationDatabaseSecrets = {
      ...credentials(props.database.migratorSecret, "DATABASE"),
      ...credentials(props.database.adminSecret, "DATABASE_ADMIN"),
      ...credentials(props.database.appSecret, "DATABASE_APP"),
    };
    const allSecrets: Record<string, ecs.Secret> = {
      ...fromSsm,
      ...databaseSecrets,
      REDIS_PASSWORD: ecs.Secret.fromSecretsManager(props.cache.authTokenSecret, "token"),
      AUTH_SECRET: ecs.Secret.fromSecretsManager(authSecret),
    };
    this.containerSecrets = allSecrets;

    // --- IAM ----------------------------------------------------------------------------------
    const ecsRole = (roleId: string, roleName: string, description: string) =>
      new iam.Role(this, roleId, {
        roleName,
        description,
        assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
      });
    this.executionRole = ecsRole(
      "ExecutionRole",
      names.executionRoleName,
      "ECS pulls the API image, writes logs and reads the API settings/secrets",
    );
    this.taskRole = ecsRole(
      "TaskRole",
      names.taskRoleName,
      "Coleta API at runtime: read/write the uploads and exports buckets only",
    );
    grantApiBucketAccess(this.taskRole, config);
    acknowledge(
      this.executionRole,
      "AwsSolutions-IAM5[Resource::*]",
      "ecr:GetAuthorizationToken (added by CDK for image pulls) does not support resource-level permissions; all other execution-role statements name the repository, log group, parameters and secrets.",
    );
    this.migrationTaskRole = ecsRole(
      "MigrationTaskRole",
      names.migrationTaskRoleName,
      "Coleta database migration task: no AWS permissions needed",
    );

    // --- ECS ------------------------------------------------------------------------------------
    this.cluster = new ecs.Cluster(this, "Cluster", {
      clusterName: names.clusterName,
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    this.logGroup = new logs.LogGroup(this, "Logs", {
      logGroupName: names.logGroupName,
      retention: config.api.logRetentionDays as logs.RetentionDays,
    });

    // A digest, so CDK renders <repository-uri>@sha256:… (lib/image.ts validates it).
    const image = ecs.ContainerImage.fromEcrRepository(props.repository, props.imageDigest);
    const runtimePlatform: ecs.RuntimePlatform = {
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
    };

    this.taskDefinition = new ecs.FargateTaskDefinition(this, "TaskDefinition", {
      family: names.apiTaskFamily,
      cpu: config.api.cpu,
      memoryLimitMiB: config.api.memoryMiB,
      runtimePlatform,
      executionRole: this.executionRole,
      taskRole: this.taskRole,
    });
    this.taskDefinition.addContainer("api", {
      containerName: "api",
      image,
      essential: true,
      portMappings: [{ containerPort: API_PORT, name: "http" }],
      secrets: allSecrets,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: "api" }),
      stopTimeout: Duration.seconds(30),
      // Liveness only (see HEALTH_CHECK_PATH): ECS replaces a task whose process hangs, never all
      // tasks because the database is failing over.
      healthCheck: {
        command: CONTAINER_HEALTH_CHECK_COMMAND,
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
    });

    this.service = new ecs.FargateService(this, "Service", {
      serviceName: names.serviceName,
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      securityGroups: [props.serviceSecurityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    });
    this.service.attachToApplicationTargetGroup(this.origin.targetGroup);

    const scaling = this.service.autoScaleTaskCount({
      minCapacity: config.api.minTasks,
      maxCapacity: config.api.maxTasks,
    });
    scaling.scaleOnCpuUtilization("Cpu", {
      targetUtilizationPercent: config.api.cpuTargetPercent,
      scaleInCooldown: Duration.minutes(5),
      scaleOutCooldown: Duration.minutes(1),
    });
    scaling.scaleOnRequestCount("Requests", {
      requestsPerTarget: config.api.requestsPerTargetPerMinute,
      targetGroup: this.origin.targetGroup,
      scaleInCooldown: Duration.minutes(5),
      scaleOutCooldown: Duration.minutes(1),
    });

    // --- One-off migration task (same image, same settings, own role and security group) --------
    this.migrationTaskDefinition = new ecs.FargateTaskDefinition(this, "MigrationTaskDefinition", {
      family: names.migrationTaskFamily,
      cpu: 256,
      memoryLimitMiB: 512,
      runtimePlatform,
      executionRole: this.executionRole,
      taskRole: this.migrationTaskRole,
    });
    this.migrationTaskDefinition.addContainer("migrate", {
      containerName: "migrate",
      image,
      essential: true,
      command: MIGRATE_COMMAND,
      secrets: { ...allSecrets, ...migrationDatabaseSecrets },
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: "migrate" }),
    });
    this.migrationSecurityGroupId = props.migrationSecurityGroup.securityGroupId;
    this.migrationSubnetIds = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds;
  }

  /** For `aws ecs run-task --network-configuration` of the migration task. */
  public readonly migrationSecurityGroupId: string;
  public readonly migrationSubnetIds: string[];
}
