import { Stack } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import type { Construct } from "constructs";
import { GithubDeploy } from "../constructs/github-deploy.js";
import type { OnDataStackProps } from "./data-stack.js";

/**
 * GitHub OIDC roles for the workflows and the deploy outputs / SSM parameters they read.
 *
 * Depends on Network and Data only, never on App or Edge: it is deployed before the App stack so
 * that the pipeline can push the first API image before the ECS service exists
 * (docs/deploy.md, "First deploy").
 */
export class CicdStack extends Stack {
  public readonly github: GithubDeploy;

  constructor(scope: Construct, id: string, props: OnDataStackProps) {
    super(scope, id, props);
    const { config, networkStack, dataStack } = props;
    this.github = new GithubDeploy(this, "Github", {
      config,
      repository: dataStack.registry.repository,
      // The migration task runs where the API runs (Api construct: PRIVATE_WITH_EGRESS).
      migrationSubnetIds: networkStack.network.vpc.selectSubnets({
        subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS,
      }).subnetIds,
      migrationSecurityGroupId: networkStack.firewall.migration.securityGroupId,
    });
  }
}
