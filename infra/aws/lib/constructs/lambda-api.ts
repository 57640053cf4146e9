import { existsSync } from "node:fs";
import { join } from "node:path";
import { Annotations, type CfnElement, CustomResource, Duration, Stack } from "aws-cdk-lib";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as rds from "aws-cdk-lib/aws-rds";
import type * as s3 from "aws-cdk-lib/aws-s3";
import * as cr from "aws-cdk-lib/custom-resources";
import { Construct } from "constructs";
import { acknowledge } from "../nag.js";
import { API_BASE_PATH } from "./api-paths.js";
import { AuthSecret, OriginVerifySecret } from "./api-secrets.js";
import { bucketArn, bucketName } from "./buckets.js";
import type { CacheConnection } from "./cache.js";
import type { InVpcProps } from "./construct-props.js";
import type { DatabaseConnection } from "./database.js";
import { POSTGRES_PORT } from "./firewall.js";
import { type LambdaSettings, lambdaSettings } from "./lambda-settings.js";
import { apiLogGroupName } from "./submission-metrics.js";
import { credentialRefs, vpcFunction } from "./vpc-function.js";

/** Files the bundle (npm run build:lambda -w @coleta/api) must contain. */
export const LAMBDA_BUNDLE_FILES = ["handler.mjs", "migrate.mjs", "certs/amazon-roots.pem"] as const;
/** Where the bundle puts Amazon's root CAs (RDS Proxy presents an ACM certificate). */
export const LAMBDA_CA_FILE = "/var/task/certs/amazon-roots.pem";
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;

export function missingBundleMessage(dir: string): string {
  return `No Lambda bundle in ${dir}: run \`npm run build:lambda -w @coleta/api\` first (or pass -c lambdaBundle=<dir>).`;
}

export interface LambdaApiProps extends InVpcProps {
  /** The API's security group (admitted by the cache; egress to AWS APIs): the function uses it. */
  readonly apiSecurityGroup: ec2.ISecurityGroup;
  /** The migration task's security group: the migration function uses it. */
  readonly migrationSecurityGroup: ec2.ISecurityGroup;
  readonly databaseSecurityGroup: ec2.ISecurityGroup;
  readonly database: DatabaseConnection;
  readonly databaseInstance: rds.IDatabaseInstance;
  readonly cache: CacheConnection;
  readonly exportsBucket: s3.IBucket;
  /** Directory of the built bundle (apps/api/dist-lambda). */
  readonly bundleDir: string;
}

/**
 * The API on AWS Lambda: the same Hono app as the container (apps/api/src/lambda), ARM64, in the
 * private subnets, behind an API Gateway HTTP API that CloudFront uses as its /backend origin.
 *
 * - Database: through an RDS Proxy (many short-lived execution environments would otherwise open
 *   connections faster than PostgreSQL likes); TLS verify-full against Amazon's roots. The proxy
 *   knows the app, migrator and master secrets and follows their rotation by itself.
 * - Migrations: a second function from the same bundle, run by a custom resource on every deploy
 *   of new code; the API's alias `live` moves to the new version only after it succeeded.
 * - Secrets are read by the functions from Secrets Manager at cold start (COLETA_SECRET_ENV), never
 *   placed in the functions' configuration.
 * - Origin: the HTTP API has no security group and takes no WAF; the function refuses requests
 *   without CloudFront's X-Origin-Verify header (the secret the ALB checks in the ECS variant), and
 *   the stage is throttled.
 */
export class LambdaApi extends Construct {
  public readonly settings: LambdaSettings;
  public readonly function: lambda.Function;
  public readonly alias: lambda.Alias;
  public readonly migrationFunction: lambda.Function;
  public readonly migrations: CustomResource;
  public readonly httpApi: apigwv2.HttpApi;
  public readonly stage: apigwv2.HttpStage;
  public readonly proxy: rds.DatabaseProxy;
  public readonly proxySecurityGroup: ec2.SecurityGroup;
  public readonly authSecret: AuthSecret;
  public readonly originVerifySecret: OriginVerifySecret;
  /** The HTTP API's own name (<id>.execute-api.<region>.amazonaws.com): CloudFront's origin. */
  public readonly originDomainName: string;
  public readonly functionName: string;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LambdaApiProps) {
    super(scope, id);
    const { config, vpc } = props;
    const env = config.envName;
    const stack = Stack.of(this);
    this.settings = lambdaSettings(config);
    this.functionName = `coleta-${env}-api`;

    // --- Secrets ----------------------------------------------------------------------------------
    // Same names as the ECS variant (the Edge stack resolves the origin header by name); the two
    // variants are alternatives for an environment, never deployed side by side.
    this.originVerifySecret = new OriginVerifySecret(this, "OriginVerify", {
      env,
      checkedBy: "the API",
      rotation:
        "The origin-verify value is resolved into CloudFront at deploy time and read by the function at cold start; rotating it means a new value and a redeploy of Serverless and Edge.",
    });
    this.authSecret = new AuthSecret(this, "AuthSecret", {
      env,
      rotation:
        "Rotate deliberately (new value; execution environments read it at cold start), see docs/serverless.md.",
    });

    // --- RDS Proxy ----------------------------------------------------------------------------------
    this.proxySecurityGroup = new ec2.SecurityGroup(this, "ProxySecurityGroup", {
      vpc,
      description: "Coleta RDS Proxy: PostgreSQL from the API and migration functions only",
      allowAllOutbound: false,
    });
    // Every rule between the proxy's group and the Network stack's groups is created here, in this
    // stack (CDK's addIngressRule would put some into the Network stack, which cannot refer back).
    const rule = (
      ruleId: string,
      kind: "ingress" | "egress",
      groupId: string,
      peerId: string,
      description: string,
    ) =>
      kind === "ingress"
        ? new ec2.CfnSecurityGroupIngress(this, ruleId, {
            groupId,
            ipProtocol: "tcp",
            fromPort: POSTGRES_PORT,
            toPort: POSTGRES_PORT,
            sourceSecurityGroupId: peerId,
            description,
          })
        : new ec2.CfnSecurityGroupEgress(this, ruleId, {
            groupId,
            ipProtocol: "tcp",
            fromPort: POSTGRES_PORT,
            toPort: POSTGRES_PORT,
            destinationSecurityGroupId: peerId,
            description,
          });
    const proxyId = this.proxySecurityGroup.securityGroupId;
    for (const [source, label] of [
      [props.apiSecurityGroup, "Api"],
      [props.migrationSecurityGroup, "Migration"],
    ] as const) {
      rule(
        `ProxyFrom${label}`,
        "ingress",
        proxyId,
        source.securityGroupId,
        `PostgreSQL from the ${label} function`,
      );
      rule(`${label}ToProxy`, "egress", source.securityGroupId, proxyId, "PostgreSQL to the RDS Proxy");
    }
    const databaseId = props.databaseSecurityGroup.securityGroupId;
    rule("ProxyToDatabase", "egress", proxyId, databaseId, "PostgreSQL to the database");
    rule("DatabaseFromProxy", "ingress", databaseId, proxyId, "PostgreSQL from the RDS Proxy");

    // The instance as seen from here, without its security group: binding the proxy to the real
    // one would add the "from the proxy" rule inside the Network stack (a cycle); the rule is above.
    const instance = props.databaseInstance;
    const target = rds.DatabaseInstance.fromDatabaseInstanceAttributes(this, "ProxyTarget", {
      instanceIdentifier: instance.instanceIdentifier,
      instanceEndpointAddress: instance.dbInstanceEndpointAddress,
      port: Number(props.database.port),
      securityGroups: [],
      engine: instance.engine as rds.IInstanceEngine,
    });
    this.proxy = new rds.DatabaseProxy(this, "Proxy", {
      dbProxyName: `coleta-${env}`,
      proxyTarget: rds.ProxyTarget.fromInstance(target),
      secrets: [props.database.appSecret, props.database.migratorSecret, props.database.adminSecret],
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [this.proxySecurityGroup],
      requireTLS: true,
      maxConnectionsPercent: this.settings.proxyMaxConnectionsPercent,
      idleClientTimeout: Duration.minutes(30),
      debugLogging: false,
    });

    // --- Code -------------------------------------------------------------------------------------
    const bundleReady = LAMBDA_BUNDLE_FILES.every((file) => existsSync(join(props.bundleDir, file)));
    if (!bundleReady) Annotations.of(this).addError(missingBundleMessage(props.bundleDir));
    const code = bundleReady
      ? lambda.Code.fromAsset(props.bundleDir, { exclude: ["*.map", "meta.json", "*.LEGAL.txt"] })
      : lambda.Code.fromInline("export const handler = async () => { throw new Error('no bundle'); };");

    this.logGroup = new logs.LogGroup(this, "Logs", {
      logGroupName: apiLogGroupName(env),
      retention: config.api.logRetentionDays as logs.RetentionDays,
    });

    const proxyEndpoint = this.proxy.endpoint;
    const settings: Record<string, string> = {
      NODE_ENV: "production",
      PUBLIC_URL: `https://${config.domainName}`,
      API_BASE_PATH,
      // CloudFront appends the viewer's address to X-Forwarded-For, API Gateway CloudFront's.
      TRUST_PROXY_HOPS: "2",
      DATABASE_HOST: proxyEndpoint,
      DATABASE_PORT: String(POSTGRES_PORT),
      DATABASE_NAME: props.database.name,
      DATABASE_SSL_MODE: "verify-full",
      DATABASE_SSL_CA_FILE: LAMBDA_CA_FILE,
      DATABASE_POOL_SIZE: String(this.settings.databasePoolSize),
      MIGRATE_ON_START: "false",
      REDIS_HOST: props.cache.host,
      REDIS_PORT: props.cache.port,
      REDIS_TLS: "true",
      SIGNUP_MODE: config.api.signupMode,
      LOG_LEVEL: config.api.logLevel,
      S3_EXPORTS_BUCKET: props.exportsBucket.bucketName,
      // The function opens connections while it runs; the SDK reuses them across invocations.
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: "1",
    };
    const functionProps = {
      runtime: LAMBDA_RUNTIME,
      code,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      logGroup: this.logGroup,
      settings,
    };

    // --- The API function ----------------------------------------------------------------------
    const api = vpcFunction(this, "Function", {
      ...functionProps,
      roleId: "ApiRole",
      roleName: `coleta-${env}-api-function`,
      roleDescription: "Coleta API function: its secrets, the exports bucket, ENIs in the VPC, its logs",
      functionName: this.functionName,
      description: "Coleta API (Hono app behind API Gateway)",
      handler: "handler.handler",
      memorySize: this.settings.memoryMiB,
      timeout: Duration.seconds(this.settings.timeoutSeconds),
      reservedConcurrentExecutions: this.settings.maxConcurrency,
      securityGroups: [props.apiSecurityGroup],
      secrets: {
        ...credentialRefs(props.database.appSecret, "DATABASE"),
        REDIS_PASSWORD: [props.cache.authTokenSecret, "token"],
        AUTH_SECRET: [this.authSecret],
        ORIGIN_VERIFY_HEADER_VALUE: [this.originVerifySecret, "value"],
      },
    });
    this.function = api.fn;
    const apiRole = api.role;
    const exports = bucketName(config, "exports");
    apiRole.addToPolicy(
      new iam.PolicyStatement({
        sid: "ExportDownloads",
        actions: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
        resources: [bucketArn(exports, "downloads/*")],
      }),
    );
    acknowledge(
      apiRole,
      `AwsSolutions-IAM5[Resource::${bucketArn(exports, "downloads/*")}]`,
      "Large exports are written under downloads/<day>/<uuid>/ of the exports bucket and read back through presigned URLs; the wildcard is that one prefix of that one bucket.",
    );

    // --- Migrations: a one-off function run before the new version takes traffic ----------------
    this.migrationFunction = vpcFunction(this, "MigrationFunction", {
      ...functionProps,
      roleId: "MigrationRole",
      roleName: `coleta-${env}-migrate-function`,
      roleDescription: "Coleta database migrations: the migrator, master and app secrets, ENIs, its logs",
      functionName: `coleta-${env}-migrate`,
      description: "Coleta database migrations (custom resource, before traffic moves)",
      handler: "migrate.handler",
      memorySize: 512,
      timeout: Duration.minutes(10),
      securityGroups: [props.migrationSecurityGroup],
      secrets: {
        ...credentialRefs(props.database.migratorSecret, "DATABASE"),
        ...credentialRefs(props.database.adminSecret, "DATABASE_ADMIN"),
        ...credentialRefs(props.database.appSecret, "DATABASE_APP"),
        AUTH_SECRET: [this.authSecret],
      },
    }).fn;

    const provider = new cr.Provider(this, "MigrationProvider", {
      onEventHandler: this.migrationFunction,
      logGroup: new logs.LogGroup(this, "MigrationProviderLogs", {
        retention: config.api.logRetentionDays as logs.RetentionDays,
      }),
    });
    acknowledgeProvider(provider, this.migrationFunction);
    this.migrations = new CustomResource(this, "Migrations", {
      serviceToken: provider.serviceToken,
      resourceType: "Custom::ColetaMigrations",
      // The bundle's asset key is its content hash: new code (new migrations) runs them again, an
      // unchanged deploy does not.
      properties: { Code: bundleReady ? (code.bind(this).s3Location?.objectKey ?? "") : "no-bundle" },
    });
    this.migrations.node.addDependency(this.proxy);

    // Traffic goes to the alias; it moves to the new version only once the migrations succeeded.
    this.alias = new lambda.Alias(this, "Live", { aliasName: "live", version: this.function.currentVersion });
    this.alias.node.addDependency(this.migrations);

    // --- HTTP API (CloudFront's /backend origin) ---------------------------------------------------
    this.httpApi = new apigwv2.HttpApi(this, "HttpApi", {
      apiName: `coleta-${env}-api`,
      description: "Coleta API: CloudFront's /backend origin (requests without X-Origin-Verify get 403)",
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration("Api", this.alias, {
        payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
      }),
    });
    const accessLogs = new logs.LogGroup(this, "AccessLogs", {
      logGroupName: `/coleta/${env}/api-gateway`,
      retention: config.api.logRetentionDays as logs.RetentionDays,
    });
    this.stage = new apigwv2.HttpStage(this, "Stage", {
      httpApi: this.httpApi,
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: this.settings.throttleRatePerSecond, burstLimit: this.settings.throttleBurst },
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs) },
    });
    acknowledge(
      this.httpApi,
      "AwsSolutions-APIG4",
      "Authorization is the API's own (session cookies, organization roles) as in the container variant; requests that bypass CloudFront are refused by the function (X-Origin-Verify).",
    );
    this.originDomainName = `${this.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
  }
}

/** The CDK Provider framework's own function and role (not ours to shape). */
function acknowledgeProvider(provider: cr.Provider, migration: lambda.Function): void {
  acknowledge(
    provider,
    "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
    "The CDK custom-resource provider framework's function only writes its logs.",
  );
  acknowledge(
    provider,
    `AwsSolutions-IAM5[Resource::<${Stack.of(migration).getLogicalId(migration.node.defaultChild as CfnElement)}.Arn>:*]`,
    "The provider framework invokes the migration function's versions (the ':*' suffix); nothing else.",
  );
  acknowledge(
    provider,
    "AwsSolutions-L1",
    "The provider framework's function runtime is chosen by aws-cdk-lib and updated with it.",
  );
}
