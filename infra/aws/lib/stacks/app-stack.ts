import { Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { Api } from "../constructs/api.js";
import { DATABASE_NAME, databaseSecretName } from "../constructs/database.js";
import { RotationRedeploy } from "../constructs/rotation-redeploy.js";
import type { DataStack } from "./data-stack.js";
import type { ColetaStackProps, NetworkStack } from "./network-stack.js";

export interface AppStackProps extends ColetaStackProps {
  readonly networkStack: NetworkStack;
  readonly dataStack: DataStack;
  readonly imageTag: string;
}

/**
 * The API: ALB (origin of CloudFront), ECS cluster, Fargate service, migration task, and the
 * redeploy after a database password rotation.
 */
export class AppStack extends Stack {
  public readonly api: Api;
  public readonly rotationRedeploy: RotationRedeploy;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const { config, networkStack, dataStack } = props;
    const { firewall } = networkStack;

    this.api = new Api(this, "Api", {
      config,
      vpc: networkStack.network.vpc,
      albSecurityGroup: firewall.alb,
      serviceSecurityGroup: firewall.api,
      migrationSecurityGroup: firewall.migration,
      publicZone: networkStack.dns.publicZone,
      repository: dataStack.registry.repository,
      imageTag: props.imageTag,
      logsBucket: dataStack.buckets.logs,
      uploadsBucket: dataStack.buckets.uploads,
      exportsBucket: dataStack.buckets.exports,
      database: {
        host: dataStack.database.instance.dbInstanceEndpointAddress,
        port: dataStack.database.instance.dbInstanceEndpointPort,
        name: DATABASE_NAME,
        secret: dataStack.database.secret,
      },
      cache: {
        host: dataStack.cache.replicationGroup.attrPrimaryEndPointAddress,
        port: String(dataStack.cache.port),
        authTokenSecret: dataStack.cache.authTokenSecret,
      },
    });

    this.rotationRedeploy = new RotationRedeploy(this, "DbRotationRedeploy", {
      config,
      secret: dataStack.database.secret,
      secretName: databaseSecretName(config.envName),
      clusterName: this.api.clusterName,
      serviceName: this.api.serviceName,
      service: this.api.service,
    });
  }
}
