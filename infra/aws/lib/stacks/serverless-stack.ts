import { Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { LambdaApi } from "../constructs/lambda-api.js";
import type { DataStack } from "./data-stack.js";
import type { ColetaStackProps, NetworkStack } from "./network-stack.js";

export interface ServerlessStackProps extends ColetaStackProps {
  readonly networkStack: NetworkStack;
  readonly dataStack: DataStack;
  /** The built bundle (apps/api/dist-lambda, `npm run build:lambda -w @coleta/api`). */
  readonly bundleDir: string;
}

/**
 * The API on AWS Lambda behind an API Gateway HTTP API, with an RDS Proxy and the migration
 * custom resource (`-c compute=lambda`, in place of the App stack's ECS service and ALB). Same
 * Network and Data stacks, same CloudFront distribution (Edge) and WAF.
 */
export class ServerlessStack extends Stack {
  public readonly api: LambdaApi;

  constructor(scope: Construct, id: string, props: ServerlessStackProps) {
    super(scope, id, props);
    const { config, networkStack, dataStack } = props;
    const { firewall } = networkStack;
    this.api = new LambdaApi(this, "Api", {
      config,
      vpc: networkStack.network.vpc,
      apiSecurityGroup: firewall.api,
      migrationSecurityGroup: firewall.migration,
      databaseSecurityGroup: firewall.database,
      database: dataStack.database.connection,
      databaseInstance: dataStack.database.instance,
      cache: {
        host: dataStack.cache.replicationGroup.attrPrimaryEndPointAddress,
        port: String(dataStack.cache.port),
        authTokenSecret: dataStack.cache.authTokenSecret,
      },
      exportsBucket: dataStack.buckets.exports,
      bundleDir: props.bundleDir,
    });
  }
}
