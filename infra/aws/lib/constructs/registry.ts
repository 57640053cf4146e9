import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as ecr from "aws-cdk-lib/aws-ecr";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import type { ColetaConstructProps } from "./construct-props.js";

export function apiRepositoryName(envName: string): string {
  return `coleta-${envName}/api`;
}

/**
 * ECR repository for the API image (ARM64, built from apps/api/Dockerfile by CI).
 * Lives in the Data stack so it exists, and can receive the first image, before the
 * App stack creates the ECS service that pulls from it.
 *
 * Tags are immutable: CI pushes each build once as <git sha> (dev) and promotion copies that same
 * digest with the same tag (prod); task definitions pin the digest, never a tag.
 */
export class Registry extends Construct {
  public readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: ColetaConstructProps) {
    super(scope, id);
    this.repository = new ecr.Repository(this, "Api", {
      repositoryName: apiRepositoryName(props.config.envName),
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.AES_256,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          rulePriority: 1,
          description: "Drop untagged images after a week",
          tagStatus: ecr.TagStatus.UNTAGGED,
          maxImageAge: Duration.days(7),
        },
        {
          rulePriority: 2,
          description: "Keep the last 50 images",
          tagStatus: ecr.TagStatus.ANY,
          maxImageCount: 50,
        },
      ],
    });
  }

  /**
   * Lets the deploy-backend role of an environment that promotes from this one read images (to
   * copy a digest into its own repository), also from another AWS account. The principal is the
   * account with an aws:PrincipalArn condition, so the policy does not need the role to exist yet.
   */
  public allowPromotionTo(account: string, roleName: string): void {
    this.repository.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `PromoteTo${roleName.replace(/[^A-Za-z0-9]/g, "")}`,
        principals: [new iam.AccountPrincipal(account)],
        actions: [
          "ecr:BatchGetImage",
          "ecr:GetDownloadUrlForLayer",
          "ecr:BatchCheckLayerAvailability",
          "ecr:DescribeImages",
        ],
        conditions: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${account}:role/${roleName}` } },
      }),
    );
  }
}
