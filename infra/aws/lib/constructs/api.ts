import { Duration, Stack } from "aws-cdk-lib";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import type * as ecr from "aws-cdk-lib/aws-ecr";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import * as route53 from "aws-cdk-lib/aws-route53";
import * as targets from "aws-cdk-lib/aws-route53-targets";
import type * as s3 from "aws-cdk-lib/aws-s3";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as ssm from "aws-cdk-lib/aws-ssm";
import { Construct } from "constructs";
import type { ColetaConfig } from "../../config/types.js";
import { acknowledge } from "../nag.js";
import { bucketArn, bucketName } from "./buckets.js";
import type { DatabaseConnection } from "./database.js";
import { API_PORT } from "./firewall.js";

export const API_BASE_PATH = "/backend";
/**
 * Liveness: 200 while the process serves HTTP, whatever the database does. The ALB target group and
 * the container health check use it, so a database failover (or a cache blip) does not make every
 * task "unhealthy" at once and have ECS replace them all (a replacement storm that cannot help).
 */
export const HEALTH_CHECK_PATH = "/backend/health/live";
/** Readiness: 200 when the database (and the cache) answer. For the status board and the deploy gate. */
export const READINESS_PATH = "/backend/health/ready";
/** The container health check: Node's fetch (the slim image has no curl), like the Dockerfile's. */
export const CONTAINER_HEALTH_CHECK_COMMAND = [
  "CMD",
  "node",
  "-e",
  `fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'${HEALTH_CHECK_PATH}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
];
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";
export const MIGRATE_COMMAND = ["node", "apps/api/dist/migrate.js"];
/** CA bundle shipped in the API image (apps/api/Dockerfile). */
export const RDS_CA_FILE = "/app/certs/rds-global-bundle.pem";

export interface ApiProps {
  readonly config: ColetaConfig;
  readonly vpc: ec2.IVpc;
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
  readonly cache: {
    readonly host: string;
    readonly port: string;
    readonly authTokenSecret: secretsmanager.ISecret;
  };
}

/**
 * The API: internet-facing ALB that only CloudFront can use, and a Fargate (ARM64) service.
 *
 * Origin protection has two independent locks:
 * 1. network: the ALB security group admits 443 only from the CloudFront origin-facing prefix list;
 * 2. application: the HTTPS listener answers 403 unless the request carries the secret
 *    X-Origin-Verify header that only our distribution sends (value generated in Secrets Manager).
 * CloudFront -> ALB is HTTPS (certificate for origin.<domain>), so neither the header nor the
 * users' form data cross the internet in clear text.
 *
 * Configuration: plain settings in SSM Parameter Store under /coleta/<env>/api/<VAR>, secrets in
 * Secrets Manager; ECS injects both as environment variables at task start.
 */
export class Api extends Construct {
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  public readonly cluster: ecs.Cluster;
  public readonly service: ecs.FargateService;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly migrationTaskDefinition: ecs.FargateTaskDefinition;
  /** The API's settings and secrets as container environment: other tasks of the same image reuse them. */
  public readonly containerSecrets: Record<string, ecs.Secret>;
  public readonly taskRole: iam.Role;
  public readonly migrationTaskRole: iam.Role;
  public readonly executionRole: iam.Role;
  public readonly originVerifySecret: secretsmanager.Secret;
  public readonly originVerifySecretName: string;
  public readonly originDomainName: string;
  public readonly logGroup: logs.LogGroup;
  public readonly settingsPath: string;
  public readonly clusterName: string;
  public readonly serviceName: string;
  public readonly migrationTaskDefinitionFamily: string;
  public readonly taskRoleName: string;
  public readonly migrationTaskRoleName: string;
  public readonly executionRoleName: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { config, vpc } = props;
    const env = config.envName;
    const region = Stack.of(this).region;
    this.originDomainName = `origin.${config.domainName}`;
    this.settingsPath = `/coleta/${env}/api/`;
    this.clusterName = `coleta-${env}`;
    this.serviceName = `coleta-${env}-api`;
    this.migrationTaskDefinitionFamily = `coleta-${env}-migrate`;
    this.taskRoleName = `coleta-${env}-api-task`;
    this.migrationTaskRoleName = `coleta-${env}-migrate-task`;
    this.executionRoleName = `coleta-${env}-api-execution`;

    // --- Origin: certificate, secret header, ALB -------------------------------------------
    const certificate = new acm.Certificate(this, "OriginCertificate", {
      domainName: this.originDomainName,
      validation: acm.CertificateValidation.fromDns(props.publicZone),
    });

    this.originVerifySecretName = `coleta/${env}/origin-verify`;
    this.originVerifySecret = new secretsmanager.Secret(this, "OriginVerify", {
      secretName: this.originVerifySecretName,
      description: "Shared secret CloudFront sends to the ALB in the X-Origin-Verify header",
      generateSecretString: {
        secretStringTemplate: "{}",
        generateStringKey: "value",
        passwordLength: 48,
        excludePunctuation: true,
      },
    });
    acknowledge(
      this.originVerifySecret,
      "AwsSolutions-SMG4",
      "The origin-verify header value is resolved into CloudFront and the ALB listener at deploy time; a Lambda rotation would break the origin until both are redeployed. Rotate by generating a new value and redeploying App and Edge.",
    );

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, "Alb", {
      vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: props.albSecurityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: env === "prod",
    });
    this.loadBalancer.logAccessLogs(props.logsBucket, "alb");

    new route53.ARecord(this, "OriginRecord", {
      zone: props.publicZone,
      recordName: "origin",
      target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer)),
      comment: "ALB origin of CloudFront (only reachable from CloudFront)",
    });

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, "ApiTargets", {
      vpc,
      port: API_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: HEALTH_CHECK_PATH,
        healthyHttpCodes: "200",
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });

    const listener = this.loadBalancer.addListener("Https", {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: false,
      defaultAction: elbv2.ListenerAction.fixedResponse(403, {
        contentType: "text/plain",
        messageBody: "Forbidden",
      }),
    });
    listener.addAction("FromCloudFront", {
      priority: 10,
      conditions: [
        elbv2.ListenerCondition.httpHeader(ORIGIN_VERIFY_HEADER, [
          this.originVerifySecret.secretValueFromJson("value").unsafeUnwrap(),
        ]),
      ],
      action: elbv2.ListenerAction.forward([this.targetGroup]),
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
        parameterName: `${this.settingsPath}${name}`,
        stringValue: value,
        description: `Coleta API setting ${name}`,
      });
      fromSsm[name] = ecs.Secret.fromSsmParameter(param);
    }

    const authSecret = new secretsmanager.Secret(this, "AuthSecret", {
      secretName: `coleta/${env}/auth-secret`,
      description: "AUTH_SECRET of the Coleta API (session signing key)",
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    acknowledge(
      authSecret,
      "AwsSolutions-SMG4",
      "AUTH_SECRET signs user sessions; automatic rotation would log every user out and running tasks only read it at start. Rotate deliberately (new value + ECS redeploy), see infra/aws/README.md.",
    );
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
    this.executionRole = new iam.Role(this, "ExecutionRole", {
      roleName: this.executionRoleName,
      description: "ECS pulls the API image, writes logs and reads the API settings/secrets",
      assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
    });
    this.taskRole = new iam.Role(this, "TaskRole", {
      roleName: this.taskRoleName,
      description: "Coleta API at runtime: read/write the uploads and exports buckets only",
      assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
    });
    for (const purpose of ["uploads", "exports"] as const) {
      const name = bucketName(config, purpose);
      this.taskRole.addToPolicy(
        new iam.PolicyStatement({
          sid: `${purpose[0]?.toUpperCase()}${purpose.slice(1)}Objects`,
          // GetObject also answers HeadObject (the re-check of direct uploads); PutObject also
          // authorises the presigned POSTs the API signs; DeleteObject is erasure and the sweep.
          actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
          resources: [bucketArn(name, "*")],
        }),
      );
      this.taskRole.addToPolicy(
        new iam.PolicyStatement({
          sid: `${purpose[0]?.toUpperCase()}${purpose.slice(1)}List`,
          actions: ["s3:ListBucket"],
          resources: [bucketArn(name)],
        }),
      );
      acknowledge(
        this.taskRole,
        `AwsSolutions-IAM5[Resource::${bucketArn(name, "*")}]`,
        `The API reads and writes arbitrary object keys (per form/submission) in the ${purpose} bucket; the wildcard covers objects of that one bucket only.`,
      );
    }
    acknowledge(
      this.executionRole,
      "AwsSolutions-IAM5[Resource::*]",
      "ecr:GetAuthorizationToken (added by CDK for image pulls) does not support resource-level permissions; all other execution-role statements name the repository, log group, parameters and secrets.",
    );
    this.migrationTaskRole = new iam.Role(this, "MigrationTaskRole", {
      roleName: this.migrationTaskRoleName,
      description: "Coleta database migration task: no AWS permissions needed",
      assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
    });

    // --- ECS ------------------------------------------------------------------------------------
    this.cluster = new ecs.Cluster(this, "Cluster", {
      clusterName: this.clusterName,
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    this.logGroup = new logs.LogGroup(this, "Logs", {
      logGroupName: `/coleta/${env}/api`,
      retention: config.api.logRetentionDays as logs.RetentionDays,
    });

    // A digest, so CDK renders <repository-uri>@sha256:… (lib/image.ts validates it).
    const image = ecs.ContainerImage.fromEcrRepository(props.repository, props.imageDigest);
    const runtimePlatform: ecs.RuntimePlatform = {
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
    };

    this.taskDefinition = new ecs.FargateTaskDefinition(this, "TaskDefinition", {
      family: `coleta-${env}-api`,
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
      serviceName: this.serviceName,
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
    this.service.attachToApplicationTargetGroup(this.targetGroup);

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
      targetGroup: this.targetGroup,
      scaleInCooldown: Duration.minutes(5),
      scaleOutCooldown: Duration.minutes(1),
    });

    // --- One-off migration task (same image, same settings, own role and security group) --------
    this.migrationTaskDefinition = new ecs.FargateTaskDefinition(this, "MigrationTaskDefinition", {
      family: this.migrationTaskDefinitionFamily,
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
