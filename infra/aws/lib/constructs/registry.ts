import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as ecr from "aws-cdk-lib/aws-ecr";
import { Construct } from "constructs";
import type { ColetaConfig } from "../../config/types.js";

/**
 * ECR repository for the API image (ARM64, built from apps/api/Dockerfile by CI).
 * Lives in the Data stack so it exists, and can receive the first image, before the
 * App stack creates the ECS service that pulls from it.
 */
export class Registry extends Construct {
  public readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: { readonly config: ColetaConfig }) {
    super(scope, id);
    this.repository = new ecr.Repository(this, "Api", {
      repositoryName: `coleta-${props.config.envName}/api`,
      // Mutable: CI pushes <git sha> and moves `latest`; the task definition pins the tag.
      imageTagMutability: ecr.TagMutability.MUTABLE,
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
}
