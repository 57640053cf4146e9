import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as logs from "aws-cdk-lib/aws-logs";
import * as rds from "aws-cdk-lib/aws-rds";
import * as route53 from "aws-cdk-lib/aws-route53";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import type { ColetaConfig } from "../../config/types.js";
import { acknowledge } from "../nag.js";
import { POSTGRES_PORT } from "./firewall.js";

export const DATABASE_NAME = "coleta";
export const DATABASE_USER = "coleta";
export const POSTGRES_ENGINE_VERSION = rds.PostgresEngineVersion.VER_17_9;
/** Name of the generated database credentials secret (rotated by Secrets Manager). */
export const databaseSecretName = (envName: string) => `coleta/${envName}/database`;

export interface DatabaseProps {
  readonly config: ColetaConfig;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  /** Security group of the rotation Lambda (allowed into the database by the Firewall). */
  readonly rotationSecurityGroup: ec2.ISecurityGroup;
  readonly privateZone: route53.IHostedZone;
}

/**
 * RDS for PostgreSQL (PostGIS is available as an extension; the API creates it in a migration).
 *
 * - isolated subnets, storage encrypted, TLS forced (rds.force_ssl=1);
 * - credentials generated into Secrets Manager (JSON keys username/password/host/port/dbname) and
 *   rotated by a Secrets Manager *hosted* rotation Lambda (single user). The Lambda runs in the
 *   private subnets with its own security group: it reaches the database directly and the
 *   Secrets Manager API through the NAT gateway (no interface endpoint to pay for);
 * - db.<domain> CNAME in the private zone for humans and tools. The API connects to the RDS
 *   endpoint name itself because sslmode=verify-full checks the certificate's host name, and the
 *   RDS certificate names the endpoint, not our CNAME.
 */
export class Database extends Construct {
  public readonly instance: rds.DatabaseInstance;
  public readonly secret: secretsmanager.ISecret;
  public readonly instanceIdentifier: string;
  public readonly hostnameAlias: string;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { config, vpc } = props;
    const db = config.database;
    const isProd = config.envName === "prod";
    this.instanceIdentifier = `coleta-${config.envName}`;
    this.hostnameAlias = `db.${config.domainName}`;

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
          logGroupName: `/aws/rds/instance/${this.instanceIdentifier}/${type}`,
          retention: config.api.logRetentionDays as logs.RetentionDays,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    );

    this.instance = new rds.DatabaseInstance(this, "Instance", {
      instanceIdentifier: this.instanceIdentifier,
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
      enablePerformanceInsights: db.performanceInsights,
      ...(db.performanceInsights
        ? { performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT }
        : {}),
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

    const secret = this.instance.secret;
    if (!secret) throw new Error("database secret missing");
    this.secret = secret;

    secret.addRotationSchedule("Rotation", {
      hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser({
        functionName: `coleta-${config.envName}-db-secret-rotation`,
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [props.rotationSecurityGroup],
      }),
      automaticallyAfter: Duration.days(db.credentialRotationDays),
    });

    new route53.CnameRecord(this, "Alias", {
      zone: props.privateZone,
      recordName: "db",
      domainName: this.instance.dbInstanceEndpointAddress,
      ttl: Duration.minutes(1),
      comment: "Coleta PostgreSQL (RDS endpoint)",
    });
  }
}
