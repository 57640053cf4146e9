import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as logs from "aws-cdk-lib/aws-logs";
import * as rds from "aws-cdk-lib/aws-rds";
import * as route53 from "aws-cdk-lib/aws-route53";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import type { ColetaConfig } from "../../config/types.js";
import { acknowledge } from "../nag.js";
import type { InVpcProps } from "./construct-props.js";
import { internalDomainName } from "./dns.js";
import { POSTGRES_PORT } from "./firewall.js";

export const DATABASE_NAME = "coleta";
/** The RDS master user: administration only (and the migration task's role bootstrap). */
export const DATABASE_USER = "coleta";
/** Owns the schema and runs the migrations (DDL). Created by the migration task's bootstrap. */
export const DATABASE_MIGRATOR_USER = "coleta_migrator";
/** What the API service runs as: DML on the tables, no DDL. Created by the same bootstrap. */
export const DATABASE_APP_USER = "coleta_app";
export const POSTGRES_ENGINE_VERSION = rds.PostgresEngineVersion.VER_17_9;
/** The three database secrets (each rotated by Secrets Manager): master, migrator, app. */
export type DatabaseRole = "admin" | "migrator" | "app";
/** Secret names: coleta/<env>/database (the master, as before), …/database-migrator, …/database-app. */
export const databaseSecretName = (envName: string, role: DatabaseRole = "admin") =>
  role === "admin" ? `coleta/${envName}/database` : `coleta/${envName}/database-${role}`;
/** The name the apps use for the database (private zone; see Dns). */
export const databaseHostName = (config: ColetaConfig) => `db.${internalDomainName(config)}`;

/** Everything a client needs to reach the database: what the API service and migration task get. */
export interface DatabaseConnection {
  /** The name the apps dial: db.internal.<domain> (CNAME to the RDS endpoint, private zone). */
  readonly host: string;
  /** The name on the server certificate, checked by verify-full: the RDS endpoint address. */
  readonly serverName: string;
  readonly port: string;
  readonly name: string;
  /** Master user: only the migration task's role bootstrap (and people) use it. */
  readonly adminSecret: secretsmanager.ISecret;
  /** coleta_migrator: the migration task. */
  readonly migratorSecret: secretsmanager.ISecret;
  /** coleta_app: the API service. */
  readonly appSecret: secretsmanager.ISecret;
}

export interface DatabaseProps extends InVpcProps {
  readonly securityGroup: ec2.ISecurityGroup;
  /** Security group of the rotation Lambdas (allowed into the database by the Firewall). */
  readonly rotationSecurityGroup: ec2.ISecurityGroup;
  /** The internal zone (internal.<domain>, attached to the VPC). */
  readonly privateZone: route53.IHostedZone;
}

/**
 * RDS for PostgreSQL (PostGIS is available as an extension; the migration task creates it).
 *
 * - isolated subnets, storage encrypted, TLS forced (rds.force_ssl=1);
 * - three sets of credentials in Secrets Manager (JSON keys username/password/host/port/dbname),
 *   each rotated by its own Secrets Manager *hosted* rotation Lambda (single user):
 *   the master user `coleta` (administration; the migration task's role bootstrap),
 *   `coleta_migrator` (owns the schema, runs the migrations) and `coleta_app` (the API: DML only).
 *   The migration task creates the two roles with these passwords on its first run
 *   (apps/api/src/db/postgres.ts ensureRoles, docs/configuration.md "Database roles"). The Lambdas
 *   run in the private subnets with one security group: they reach the database directly and the
 *   Secrets Manager API through the NAT gateway (no interface endpoint to pay for);
 * - db.internal.<domain>: CNAME to the RDS endpoint in the internal private zone. The apps dial it
 *   with sslmode=verify-full and DATABASE_SSL_SERVERNAME=<RDS endpoint>: the RDS certificate names
 *   the endpoint, never our name, so the identity check is done against the endpoint's name;
 * - CloudWatch Database Insights (config.database.databaseInsights) instead of the retired
 *   Performance Insights console.
 */
export class Database extends Construct {
  public readonly instance: rds.DatabaseInstance;
  /** Host, port, name and the three secrets: the one description of the database its clients get. */
  public readonly connection: DatabaseConnection;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { config, vpc } = props;
    const db = config.database;
    const isProd = config.envName === "prod";
    const instanceIdentifier = `coleta-${config.envName}`;

    const engine = rds.DatabaseInstanceEngine.postgres({ version: POSTGRES_ENGINE_VERSION });

    const parameterGroup = new rds.ParameterGroup(this, "Parameters", {
      engine,
      description: "Coleta PostgreSQL: TLS required",
      parameters: { "rds.force_ssl": "1" },
    });

    const subnetGroup = new rds.SubnetGroup(this, "Subnets", {
      vpc,
      description: "Coleta PostgreSQL: isolated subnets (no internet route)",
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Created up front so the exported PostgreSQL log has a retention period (no custom resource).
    const logGroups = ["postgresql", "upgrade"].map(
      (type) =>
        new logs.LogGroup(this, `Log-${type}`, {
          logGroupName: `/aws/rds/instance/${instanceIdentifier}/${type}`,
          retention: config.api.logRetentionDays as logs.RetentionDays,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    );

    this.instance = new rds.DatabaseInstance(this, "Instance", {
      instanceIdentifier,
      engine,
      instanceType: new ec2.InstanceType(db.instanceType),
      vpc,
      subnetGroup,
      securityGroups: [props.securityGroup],
      port: POSTGRES_PORT,
      databaseName: DATABASE_NAME,
      credentials: rds.Credentials.fromGeneratedSecret(DATABASE_USER, {
        secretName: databaseSecretName(config.envName),
      }),
      parameterGroup,
      storageType: rds.StorageType.GP3,
      allocatedStorage: db.allocatedStorageGiB,
      maxAllocatedStorage: db.maxAllocatedStorageGiB,
      storageEncrypted: true,
      multiAz: db.multiAz,
      deletionProtection: db.deletionProtection,
      backupRetention: Duration.days(db.backupRetentionDays),
      preferredBackupWindow: "03:00-04:00",
      preferredMaintenanceWindow: "sun:04:30-sun:05:30",
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      publiclyAccessible: false,
      iamAuthentication: true,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      ...databaseInsights(db.databaseInsights),
      ...(db.enhancedMonitoringIntervalSeconds > 0
        ? { monitoringInterval: Duration.seconds(db.enhancedMonitoringIntervalSeconds) }
        : {}),
      cloudwatchLogsExports: ["postgresql", "upgrade"],
      removalPolicy: isProd ? RemovalPolicy.RETAIN : RemovalPolicy.SNAPSHOT,
    });
    for (const group of logGroups) this.instance.node.addDependency(group);

    acknowledge(
      this.instance,
      "AwsSolutions-RDS11",
      "Port 5432 is kept: the database is in isolated subnets and its security group admits only the API, migration and rotation groups, so a non-standard port adds no protection.",
    );
    if (!db.multiAz) {
      acknowledge(
        this.instance,
        "AwsSolutions-RDS3",
        `Single-AZ by configuration in ${config.envName} to save cost; production runs Multi-AZ (config.database.multiAz).`,
      );
    }
    if (!db.deletionProtection) {
      acknowledge(
        this.instance,
        "AwsSolutions-RDS10",
        `Deletion protection is off in ${config.envName} so the environment can be torn down; removal still takes a final snapshot. Production enables it.`,
      );
    }
    if (db.enhancedMonitoringIntervalSeconds > 0) {
      const role = this.instance.node.tryFindChild("MonitoringRole");
      if (role) {
        acknowledge(
          role,
          "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]",
          "AWS-managed AmazonRDSEnhancedMonitoringRole is the documented, minimal policy for RDS enhanced monitoring (write to the RDSOSMetrics log group).",
        );
      }
    }

    // The master user's secret (coleta/<env>/database).
    const secret = this.instance.secret;
    if (!secret) throw new Error("database secret missing");

    const rotation = (functionSuffix: string) =>
      secretsmanager.HostedRotation.postgreSqlSingleUser({
        functionName: `coleta-${config.envName}-${functionSuffix}`,
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [props.rotationSecurityGroup],
      });
    secret.addRotationSchedule("Rotation", {
      hostedRotation: rotation("db-secret-rotation"),
      automaticallyAfter: Duration.days(db.credentialRotationDays),
    });

    // The two application roles. Attached to the instance, so the secrets carry host/port/engine
    // (the rotation Lambda connects with them); dbname so it logs into `coleta`.
    const roleSecret = (role: "migrator" | "app", username: string, purpose: string) => {
      const roleName = role === "app" ? "App" : "Migrator";
      const generated = new rds.DatabaseSecret(this, `${roleName}Secret`, {
        username,
        dbname: DATABASE_NAME,
        secretName: databaseSecretName(config.envName, role),
      });
      (generated.node.defaultChild as secretsmanager.CfnSecret).description = purpose;
      const attached = generated.attach(this.instance);
      attached.addRotationSchedule("Rotation", {
        hostedRotation: rotation(`db-${role}-secret-rotation`),
        automaticallyAfter: Duration.days(db.credentialRotationDays),
        // The role only exists once the migration task has run: an immediate rotation at deploy
        // time would find nothing to log into. The first rotation comes after the period.
        rotateImmediatelyOnUpdate: false,
      });
      return attached;
    };
    const migratorSecret = roleSecret(
      "migrator",
      DATABASE_MIGRATOR_USER,
      "Coleta PostgreSQL role coleta_migrator: owns the schema, runs the migrations (DDL)",
    );
    const appSecret = roleSecret(
      "app",
      DATABASE_APP_USER,
      "Coleta PostgreSQL role coleta_app: the API service (DML only)",
    );

    new route53.CnameRecord(this, "Alias", {
      zone: props.privateZone,
      recordName: "db",
      domainName: this.instance.dbInstanceEndpointAddress,
      ttl: Duration.minutes(1),
      comment: "Coleta PostgreSQL (RDS endpoint); the apps dial this name",
    });

    this.connection = {
      host: databaseHostName(config),
      serverName: this.instance.dbInstanceEndpointAddress,
      port: this.instance.dbInstanceEndpointPort,
      name: DATABASE_NAME,
      adminSecret: secret,
      migratorSecret,
      appSecret,
    };
  }
}

/**
 * CloudWatch Database Insights. The Performance Insights console reached end of life in 2026;
 * its data now shows in Database Insights. "standard" (free) keeps 7 days of database load
 * (Performance Insights' free tier, so the same cost as before); "advanced" adds fleet views, lock
 * analysis and execution plans, needs 15 months of retention and is billed per vCPU-hour.
 */
function databaseInsights(
  mode: ColetaConfig["database"]["databaseInsights"],
): Partial<rds.DatabaseInstanceProps> {
  if (mode === "off") return { enablePerformanceInsights: false };
  if (mode === "standard") {
    return {
      enablePerformanceInsights: true,
      performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
      databaseInsightsMode: rds.DatabaseInsightsMode.STANDARD,
    };
  }
  return {
    enablePerformanceInsights: true,
    performanceInsightRetention: rds.PerformanceInsightRetention.MONTHS_15,
    databaseInsightsMode: rds.DatabaseInsightsMode.ADVANCED,
  };
}
