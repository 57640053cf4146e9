import { Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { GithubDeploy } from "../constructs/github-deploy.js";
import type { AppStack } from "./app-stack.js";
import type { DataStack } from "./data-stack.js";
import type { EdgeStack } from "./edge-stack.js";
import type { ColetaStackProps } from "./network-stack.js";

export interface CicdStackProps extends ColetaStackProps {
  readonly dataStack: DataStack;
  readonly appStack: AppStack;
  readonly edgeStack: EdgeStack;
}

/** GitHub OIDC roles for the workflows and the deploy outputs / SSM parameters they read. */
export class CicdStack extends Stack {
  public readonly github: GithubDeploy;

  constructor(scope: Construct, id: string, props: CicdStackProps) {
    super(scope, id, props);
    const { config, dataStack, appStack, edgeStack } = props;
    const { api } = appStack;
    this.github = new GithubDeploy(this, "Github", {
      config,
      frontendBucket: edgeStack.edge.frontendBucket,
      distribution: edgeStack.edge.distribution,
      repository: dataStack.registry.repository,
      cluster: api.cluster,
      service: api.service,
      migrationTaskDefinitionFamily: api.migrationTaskDefinitionFamily,
      clusterName: api.clusterName,
      migrationSubnetIds: api.migrationSubnetIds,
      migrationSecurityGroupId: api.migrationSecurityGroupId,
      passableRoleNames: [api.taskRoleName, api.migrationTaskRoleName, api.executionRoleName],
      apiLogGroup: api.logGroup,
    });
  }
}
