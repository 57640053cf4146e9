import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as elasticache from "aws-cdk-lib/aws-elasticache";
import * as route53 from "aws-cdk-lib/aws-route53";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { acknowledge } from "../nag.js";
import type { InVpcProps } from "./construct-props.js";

/** What a client needs to reach the cache: the API service, tasks, functions and pods get it. */
export interface CacheConnection {
  /** The primary endpoint's own name, so TLS host-name verification matches its certificate. */
  readonly host: string;
  readonly port: string;
  /** JSON key `token`: REDIS_PASSWORD. */
  readonly authTokenSecret: secretsmanager.ISecret;
}

/** Memory used by one cache node (%), its maximum per `period`. */
export function cacheMemoryUsed(
  clusterId: string,
  options: Pick<cloudwatch.MetricOptions, "period" | "label">,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: "AWS/ElastiCache",
    metricName: "DatabaseMemoryUsagePercentage",
    dimensionsMap: { CacheClusterId: clusterId },
    statistic: "Maximum",
    ...options,
  });
}

export interface CacheProps extends InVpcProps {
  readonly securityGroup: ec2.ISecurityGroup;
  readonly privateZone: route53.IHostedZone;
}

/**
 * ElastiCache for Valkey (Redis-compatible), replication group in isolated subnets:
 * TLS required in transit, encrypted at rest, AUTH token generated into Secrets Manager.
 * One node in dev; two or more nodes give automatic failover and Multi-AZ (prod).
 * cache.<domain> CNAME in the private zone for operators; the API uses the primary endpoint
 * name itself so TLS host-name verification matches the ElastiCache certificate.
 */
export class Cache extends Construct {
  public readonly replicationGroup: elasticache.CfnReplicationGroup;
  public readonly authTokenSecret: secretsmanager.Secret;
  public readonly replicationGroupId: string;
  public readonly port: number;
  /** Ids of the member clusters (<rg>-001, <rg>-002, ...) for per-node metrics. */
  public readonly memberClusterIds: string[];
  public readonly connection: CacheConnection;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    const { config, vpc } = props;
    const { cache } = config;
    this.replicationGroupId = `coleta-${config.envName}`;
    this.port = cache.port;
    this.memberClusterIds = Array.from(
      { length: cache.nodes },
      (_, i) => `${this.replicationGroupId}-${String(i + 1).padStart(3, "0")}`,
    );

    this.authTokenSecret = new secretsmanager.Secret(this, "AuthToken", {
      secretName: `coleta/${config.envName}/cache-auth-token`,
      description: "AUTH token of the Coleta Valkey replication group (REDIS_PASSWORD)",
      generateSecretString: {
        secretStringTemplate: "{}",
        generateStringKey: "token",
        passwordLength: 64,
        excludePunctuation: true,
      },
    });

    acknowledge(
      this.authTokenSecret,
      "AwsSolutions-SMG4",
      "ElastiCache AUTH tokens rotate through ModifyReplicationGroup (AuthTokenUpdateStrategy ROTATE then SET) coordinated with an API redeploy; there is no Secrets Manager rotation function for it. Manual procedure in infra/aws/README.md.",
    );

    const subnetGroup = new elasticache.CfnSubnetGroup(this, "Subnets", {
      description: "Coleta cache: isolated subnets (no internet route)",
      subnetIds: vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });

    const multiNode = cache.nodes > 1;
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, "ReplicationGroup", {
      replicationGroupId: this.replicationGroupId,
      replicationGroupDescription: `Coleta ${config.envName} cache`,
      engine: "valkey",
      engineVersion: "8.0",
      cacheNodeType: cache.nodeType,
      numCacheClusters: cache.nodes,
      automaticFailoverEnabled: multiNode,
      multiAzEnabled: multiNode,
      port: cache.port,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [props.securityGroup.securityGroupId],
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      authToken: this.authTokenSecret.secretValueFromJson("token").unsafeUnwrap(),
      autoMinorVersionUpgrade: true,
      snapshotRetentionLimit: cache.snapshotRetentionDays,
      preferredMaintenanceWindow: "sun:05:30-sun:06:30",
      snapshotWindow: "02:00-03:00",
    });

    this.connection = {
      host: this.replicationGroup.attrPrimaryEndPointAddress,
      port: String(this.port),
      authTokenSecret: this.authTokenSecret,
    };

    if (!multiNode) {
      acknowledge(
        this.replicationGroup,
        "AwsSolutions-AEC4",
        `Single cache node by configuration in ${config.envName} to save cost (the cache holds only rebuildable data); production runs ${"≥"}2 nodes with automatic failover and Multi-AZ.`,
      );
    }

    new route53.CnameRecord(this, "Alias", {
      zone: props.privateZone,
      recordName: "cache",
      domainName: this.replicationGroup.attrPrimaryEndPointAddress,
      ttl: Duration.minutes(1),
      comment: "Coleta Valkey primary endpoint",
    });
  }
}
