import { Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { LambdaApi } from "../constructs/lambda-api.js";
import type { OnDataStackProps } from "./data-stack.js";

export interface ServerlessStackProps extends OnDataStackProps {
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
      cache: dataStack.cache.connection,
      exportsBucket: dataStack.buckets.exports,
      bundleDir: props.bundleDir,
    });
  }
}
