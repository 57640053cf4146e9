import { Annotations, Stack } from "aws-cdk-lib";
import * as ecs from "aws-cdk-lib/aws-ecs";
import type { Construct } from "constructs";
import { Api } from "../constructs/api.js";
import { databaseSecretName } from "../constructs/database.js";
import { LakeSchedule } from "../constructs/lake-schedule.js";
import { RotationRedeploy } from "../constructs/rotation-redeploy.js";
import { checkImageDigest, MISSING_IMAGE_DIGEST, missingImageMessage } from "../image.js";
import type { OnDataStackProps } from "./data-stack.js";

export interface AppStackProps extends OnDataStackProps {
  /**
   * Digest of the API image ("sha256:…"), normally the one recorded in SSM
   * /coleta/<env>/release/api-image-digest. Without it the stack still synthesizes (so the other
   * stacks can be deployed) but carries an error: `cdk deploy`/`cdk synth` of this stack fails.
   */
  readonly imageDigest?: string;
}

/**
 * The API: ALB (origin of CloudFront), ECS cluster, Fargate service, migration task, the
 * redeploy after a database password rotation, and the scheduled lake export (same image).
 */
export class AppStack extends Stack {
  public readonly api: Api;
  public readonly rotationRedeploy: RotationRedeploy;
  public readonly lakeSchedule: LakeSchedule;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const { config, networkStack, dataStack } = props;
    const { firewall } = networkStack;
    let imageDigest = MISSING_IMAGE_DIGEST;
    if (props.imageDigest === undefined) Annotations.of(this).addError(missingImageMessage(config.envName));
    else imageDigest = checkImageDigest(props.imageDigest, config.envName);

    this.api = new Api(this, "Api", {
      config,
      vpc: networkStack.network.vpc,
      albSecurityGroup: firewall.alb,
      serviceSecurityGroup: firewall.api,
      migrationSecurityGroup: firewall.migration,
      publicZone: networkStack.dns.publicZone,
      repository: dataStack.registry.repository,
      imageDigest,
      logsBucket: dataStack.buckets.logs,
      uploadsBucket: dataStack.buckets.uploads,
      exportsBucket: dataStack.buckets.exports,
      // db.internal.<domain>, the RDS endpoint name for TLS, and the admin/migrator/app secrets.
      database: dataStack.database.connection,
      cache: dataStack.cache.connection,
    });

    this.lakeSchedule = new LakeSchedule(this, "LakeExport", {
      config,
      vpc: networkStack.network.vpc,
      cluster: this.api.cluster,
      image: ecs.ContainerImage.fromEcrRepository(dataStack.registry.repository, imageDigest),
      secrets: this.api.containerSecrets,
      executionRole: this.api.executionRole,
      logGroup: this.api.logGroup,
      securityGroup: firewall.api,
    });

    // The service runs as coleta_app: only that secret's rotation changes a password it uses.
    this.rotationRedeploy = new RotationRedeploy(this, "DbRotationRedeploy", {
      config,
      secret: dataStack.database.connection.appSecret,
      secretName: databaseSecretName(config.envName, "app"),
      clusterName: this.api.names.clusterName,
      serviceName: this.api.names.serviceName,
      service: this.api.service,
    });
  }
}
