import { CfnOutput, Duration, Stack } from "aws-cdk-lib";
import type * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import type * as ecr from "aws-cdk-lib/aws-ecr";
import * as iam from "aws-cdk-lib/aws-iam";
import * as ssm from "aws-cdk-lib/aws-ssm";
import { Construct } from "constructs";
import { configs } from "../../config/index.js";
import type { ColetaConfig } from "../../config/types.js";
import { releaseParameterName } from "../image.js";
import { acknowledge } from "../nag.js";
import { bucketArn, bucketName } from "./buckets.js";
import type { ColetaConstructProps } from "./construct-props.js";
import { FRONTEND_PREFIX } from "./edge.js";
import { apiRepositoryName } from "./registry.js";
import { apiLogGroupName } from "./submission-metrics.js";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** Default CDK bootstrap qualifier (`cdk bootstrap` without --qualifier). */
export const CDK_BOOTSTRAP_QUALIFIER = "hnb659fds";

export function githubRoleNames(env: string) {
  return {
    deployFrontend: `coleta-${env}-github-deploy-frontend`,
    deployBackend: `coleta-${env}-github-deploy-backend`,
    infra: `coleta-${env}-github-infra`,
    diff: `coleta-${env}-github-diff`,
  } as const;
}
export type GithubRole = keyof ReturnType<typeof githubRoleNames>;

/**
 * Names of the App stack's resources that the pipeline acts on. They are literal (the Api
 * construct takes its names from here), so the Cicd stack can grant access to them without
 * depending on the App stack: the roles exist, and the pipeline can push the first image, before
 * the ECS service is created.
 */
export function deployTargetNames(env: string) {
  return {
    clusterName: `coleta-${env}`,
    serviceName: `coleta-${env}-api`,
    apiTaskFamily: `coleta-${env}-api`,
    migrationTaskFamily: `coleta-${env}-migrate`,
    logGroupName: apiLogGroupName(env),
    taskRoleName: `coleta-${env}-api-task`,
    migrationTaskRoleName: `coleta-${env}-migrate-task`,
    executionRoleName: `coleta-${env}-api-execution`,
  } as const;
}
export type DeployTargetNames = ReturnType<typeof deployTargetNames>;

/** OIDC `sub` claims: deploy jobs run in a protected GitHub environment; diffs run for pull requests. */
export function githubSubjects(config: ColetaConfig) {
  return {
    deploy: `repo:${config.github.repository}:environment:${config.github.environment}`,
    pullRequest: `repo:${config.github.repository}:pull_request`,
  } as const;
}

export interface GithubDeployProps extends ColetaConstructProps {
  readonly repository: ecr.IRepository;
  readonly migrationSubnetIds: string[];
  readonly migrationSecurityGroupId: string;
}

/**
 * GitHub Actions access without stored keys: the account's GitHub OIDC provider (created or
 * imported) and four roles.
 *
 * - deploy-frontend, deploy-backend, infra: only tokens of this repository's protected GitHub
 *   environment (`environment:<env>`); never pull requests.
 *   - deploy-frontend: sync apps/web/dist to s3://<bucket>/frontend/ (the CloudFront invalidation is
 *     granted by the Edge stack, which owns the distribution: FrontendDeployAccess below);
 *   - deploy-backend: push the API image, copy a promoted digest, register task definition revisions,
 *     roll the service, run the migration task, record the released digest;
 *   - infra: `cdk deploy` by assuming the CDK bootstrap roles (which hold the real permissions).
 * - diff: only pull-request tokens, read-only: the deployed templates of this environment's stacks
 *   and the released image digest, for `cdk diff --method template`. No GitHub environment, so no
 *   approval is needed, and nothing it can do changes anything.
 *
 * This stack depends only on Network (migration subnets and security group) and Data (the image
 * repository); it never waits for App or Edge. Everything a workflow needs is a CloudFormation
 * output AND an SSM parameter under /coleta/<env>/deploy/.
 */
export class GithubDeploy extends Construct {
  /** The four roles, by the keys of their names (githubRoleNames). */
  public readonly roles: Record<GithubRole, iam.Role>;
  public readonly deployParameterPath: string;

  constructor(scope: Construct, id: string, props: GithubDeployProps) {
    super(scope, id);
    const { config } = props;
    const env = config.envName;
    const stack = Stack.of(this);
    const { account, region, partition } = stack;
    const targets = deployTargetNames(env);
    this.deployParameterPath = `/coleta/${env}/deploy/`;

    const providerArn =
      config.github.oidcProvider === "create"
        ? new iam.OidcProviderNative(this, "GithubOidc", {
            url: `https://${GITHUB_OIDC_HOST}`,
            clientIds: ["sts.amazonaws.com"],
          }).oidcProviderArn
        : `arn:${partition}:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;

    const subjects = githubSubjects(config);
    const trust = (sub: string) =>
      new iam.WebIdentityPrincipal(providerArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com",
          [`${GITHUB_OIDC_HOST}:sub`]: [sub],
        },
      });
    const names = githubRoleNames(env);
    const role = (id: string, roleName: string, description: string, sub: string) =>
      new iam.Role(this, id, {
        roleName,
        description,
        assumedBy: trust(sub),
        maxSessionDuration: Duration.hours(1),
      });

    const parameterArn = (name: string) => `arn:aws:ssm:${config.region}:${config.account}:parameter/${name}`;
    const deployParametersArn = parameterArn(`coleta/${env}/deploy/*`);
    const releaseArn = parameterArn(releaseParameterName(env).slice(1));
    const readDeployParameters = new iam.PolicyStatement({
      sid: "ReadDeployParameters",
      actions: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
      resources: [parameterArn(`coleta/${env}/deploy`), deployParametersArn],
    });
    const readRelease = new iam.PolicyStatement({
      sid: "ReadReleasedImageDigest",
      actions: ["ssm:GetParameter"],
      resources: [releaseArn],
    });
    const acknowledgeDeployParameters = (target: iam.Role) =>
      acknowledge(
        target,
        `AwsSolutions-IAM5[Resource::${deployParametersArn}]`,
        "Workflows read the deploy outputs under /coleta/<env>/deploy/; the wildcard is limited to that path (read-only).",
      );

    // --- deploy-frontend ------------------------------------------------------------------------
    const deployFrontend = role(
      "DeployFrontendRole",
      names.deployFrontend,
      `GitHub Actions (${config.github.repository}, environment ${config.github.environment}): upload the web app`,
      subjects.deploy,
    );
    deployFrontend.addToPolicy(
      new iam.PolicyStatement({
        sid: "ListFrontendBucket",
        actions: ["s3:ListBucket"],
        resources: [bucketArn(bucketName(config, "frontend"))],
      }),
    );
    deployFrontend.addToPolicy(
      new iam.PolicyStatement({
        sid: "SyncFrontendObjects",
        actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        resources: [bucketArn(bucketName(config, "frontend"), `${FRONTEND_PREFIX}*`)],
      }),
    );
    acknowledge(
      deployFrontend,
      `AwsSolutions-IAM5[Resource::${bucketArn(bucketName(config, "frontend"), `${FRONTEND_PREFIX}*`)}]`,
      "aws s3 sync writes and deletes arbitrary file names of the build; the wildcard covers only the frontend/ prefix of the frontend bucket.",
    );
    deployFrontend.addToPolicy(readDeployParameters);
    acknowledgeDeployParameters(deployFrontend);

    // --- deploy-backend ---------------------------------------------------------------------------
    const deployBackend = role(
      "DeployBackendRole",
      names.deployBackend,
      `GitHub Actions (${config.github.repository}, environment ${config.github.environment}): push or promote the API image, migrate, roll the service`,
      subjects.deploy,
    );
    props.repository.grantPullPush(deployBackend);
    deployBackend.addToPolicy(
      new iam.PolicyStatement({
        sid: "DescribeApiImages",
        actions: ["ecr:DescribeImages"],
        resources: [props.repository.repositoryArn],
      }),
    );
    if (config.api.image.source === "promote") {
      const from = configs[config.api.image.from];
      deployBackend.addToPolicy(
        new iam.PolicyStatement({
          sid: "ReadPromotedImages",
          actions: [
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchCheckLayerAvailability",
            "ecr:DescribeImages",
          ],
          resources: [
            `arn:aws:ecr:${from.region}:${from.account}:repository/${apiRepositoryName(from.envName)}`,
          ],
        }),
      );
    }
    const ecsArn = (resource: string) => `arn:aws:ecs:${config.region}:${config.account}:${resource}`;
    const migrationTaskDefinitionArn = ecsArn(`task-definition/${targets.migrationTaskFamily}:*`);
    const clusterArn = ecsArn(`cluster/${targets.clusterName}`);
    const clusterTasksArn = ecsArn(`task/${targets.clusterName}/*`);
    deployBackend.addToPolicy(
      new iam.PolicyStatement({
        sid: "RollApiService",
        actions: ["ecs:UpdateService", "ecs:DescribeServices"],
        resources: [ecsArn(`service/${targets.clusterName}/${targets.serviceName}`)],
      }),
    );
    // The workflow copies the current task definitions with only the image changed
    // (describe-task-definition -> register-task-definition). Neither action supports
    // resource-level permissions (AWS documents Resource "*" for both); PassRole below still limits
    // which roles a registered revision can carry, and UpdateService/RunTask which service/family
    // can use it.
    deployBackend.addToPolicy(
      new iam.PolicyStatement({
        sid: "RegisterTaskDefinitionRevisions",
        actions: ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"],
        resources: ["*"],
      }),
    );
    deployBackend.addToPolicy(
      new iam.PolicyStatement({
        sid: "RunMigrationTask",
        actions: ["ecs:RunTask"],
        resources: [migrationTaskDefinitionArn],
        conditions: { ArnEquals: { "ecs:cluster": clusterArn } },
      }),
    );
    deployBackend.addToPolicy(
      new iam.PolicyStatement({
        sid: "WatchMigrationTask",
        actions: ["ecs:DescribeTasks"],
        resources: [clusterTasksArn],
      }),
    );
    deployBackend.addToPolicy(
      new iam.PolicyStatement({
        sid: "ReadApiLogs",
        actions: ["logs:GetLogEvents", "logs:FilterLogEvents"],
        resources: [
          `arn:aws:logs:${config.region}:${config.account}:log-group:${targets.logGroupName}`,
          `arn:aws:logs:${config.region}:${config.account}:log-group:${targets.logGroupName}:log-stream:*`,
        ],
      }),
    );
    deployBackend.addToPolicy(
      new iam.PolicyStatement({
        sid: "PassTaskRolesToEcs",
        actions: ["iam:PassRole"],
        resources: [targets.taskRoleName, targets.migrationTaskRoleName, targets.executionRoleName].map(
          (name) => `arn:aws:iam::${config.account}:role/${name}`,
        ),
        conditions: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      }),
    );
    deployBackend.addToPolicy(
      new iam.PolicyStatement({
        sid: "RecordReleasedImageDigest",
        actions: ["ssm:GetParameter", "ssm:PutParameter"],
        resources: [releaseArn],
      }),
    );
    deployBackend.addToPolicy(readDeployParameters);
    acknowledgeDeployParameters(deployBackend);
    acknowledge(
      deployBackend,
      "AwsSolutions-IAM5[Resource::*]",
      "ecr:GetAuthorizationToken (docker login), ecs:DescribeTaskDefinition and ecs:RegisterTaskDefinition do not support resource-level permissions; the push actions are limited to the API repository, iam:PassRole to the API task/execution roles (ecs-tasks only), and UpdateService/RunTask to this service and the migration family.",
    );
    acknowledge(
      deployBackend,
      `AwsSolutions-IAM5[Resource::${migrationTaskDefinitionArn}]`,
      "Each infra deploy can register a new revision of the migration task definition; the wildcard matches revisions of that one family only, and RunTask is limited to the Coleta cluster (ecs:cluster condition).",
    );
    acknowledge(
      deployBackend,
      `AwsSolutions-IAM5[Resource::${clusterTasksArn}]`,
      "Task ids of the migration run are only known at run time; DescribeTasks is read-only and limited to tasks of the Coleta cluster.",
    );
    acknowledge(
      deployBackend,
      `AwsSolutions-IAM5[Resource::arn:aws:logs:${config.region}:${config.account}:log-group:${targets.logGroupName}:log-stream:*]`,
      "The workflow prints the migration task's log stream, whose name contains the task id known only at run time; read-only, one log group.",
    );

    // --- infra (cdk deploy) ------------------------------------------------------------------------
    const infra = role(
      "InfraRole",
      names.infra,
      `GitHub Actions (${config.github.repository}, environment ${config.github.environment}): cdk deploy through the CDK bootstrap roles`,
      subjects.deploy,
    );
    infra.addToPolicy(
      new iam.PolicyStatement({
        sid: "AssumeCdkBootstrapRoles",
        actions: ["sts:AssumeRole", "sts:TagSession"],
        resources: ["deploy", "file-publishing", "image-publishing", "lookup"].map(
          (kind) =>
            `arn:${partition}:iam::${account}:role/cdk-${CDK_BOOTSTRAP_QUALIFIER}-${kind}-role-${account}-${region}`,
        ),
      }),
    );
    infra.addToPolicy(readDeployParameters);
    infra.addToPolicy(readRelease);
    acknowledgeDeployParameters(infra);

    // --- diff (pull requests, read-only) -------------------------------------------------------------
    const diff = role(
      "DiffRole",
      names.diff,
      `GitHub Actions (${config.github.repository}, pull requests): read-only cdk diff of ${env}`,
      subjects.pullRequest,
    );
    const stacksArn = `arn:aws:cloudformation:${config.region}:${config.account}:stack/Coleta-${env}-*/*`;
    diff.addToPolicy(
      new iam.PolicyStatement({
        sid: "ReadDeployedTemplates",
        actions: [
          "cloudformation:DescribeStacks",
          "cloudformation:GetTemplate",
          "cloudformation:ListStackResources",
        ],
        resources: [stacksArn],
      }),
    );
    diff.addToPolicy(readRelease);
    acknowledge(
      diff,
      `AwsSolutions-IAM5[Resource::${stacksArn}]`,
      "cdk diff reads the deployed template of each Coleta stack of this environment; stack ARNs end in a generated id, and the actions are read-only.",
    );

    this.roles = { deployFrontend, deployBackend, infra, diff };

    // --- Outputs: CloudFormation outputs and SSM parameters with the same values ---------------------
    const frontendBucket = bucketName(config, "frontend");
    const outputs: Array<[outputKey: string, parameterName: string, value: string, description: string]> = [
      ["AppUrl", "app-url", `https://${config.domainName}`, "Public URL of the app"],
      ["FrontendBucketName", "frontend-bucket", frontendBucket, "Frontend bucket"],
      [
        "FrontendS3Uri",
        "frontend-s3-uri",
        `s3://${frontendBucket}/${FRONTEND_PREFIX}`,
        "Sync apps/web/dist here (aws s3 sync --delete)",
      ],
      ["EcrRepositoryUri", "ecr-repository-uri", props.repository.repositoryUri, "API image repository URI"],
      [
        "EcrRepositoryName",
        "ecr-repository-name",
        props.repository.repositoryName,
        "API image repository name",
      ],
      ["ClusterName", "cluster-name", targets.clusterName, "ECS cluster"],
      ["ServiceName", "service-name", targets.serviceName, "ECS service of the API"],
      [
        "MigrationTaskDefinitionFamily",
        "migration-task-family",
        targets.migrationTaskFamily,
        "Task definition family of the one-off migration task",
      ],
      [
        "MigrationSubnetIds",
        "migration-subnet-ids",
        props.migrationSubnetIds.join(","),
        "Subnets for aws ecs run-task (comma separated)",
      ],
      [
        "MigrationSecurityGroupId",
        "migration-security-group-id",
        props.migrationSecurityGroupId,
        "Security group for aws ecs run-task",
      ],
      ["ApiLogGroupName", "api-log-group", targets.logGroupName, "Log group of the API and migration tasks"],
      [
        "DeployFrontendRoleArn",
        "deploy-frontend-role-arn",
        deployFrontend.roleArn,
        "Role for the frontend workflow",
      ],
      [
        "DeployBackendRoleArn",
        "deploy-backend-role-arn",
        deployBackend.roleArn,
        "Role for the backend workflow",
      ],
      ["InfraRoleArn", "infra-role-arn", infra.roleArn, "Role for cdk deploy"],
      ["DiffRoleArn", "diff-role-arn", diff.roleArn, "Read-only role for cdk diff on pull requests"],
    ];
    const parameters = new Construct(this, "Parameters");
    for (const [outputKey, parameterName, value, description] of outputs) {
      // Created at stack level so the output keys are exactly these names.
      new CfnOutput(stack, outputKey, { value, description });
      new ssm.StringParameter(parameters, outputKey, {
        parameterName: `${this.deployParameterPath}${parameterName}`,
        stringValue: value,
        description,
      });
    }
  }
}

/**
 * What the frontend workflow needs from the Edge stack, created in the Edge stack so the Cicd
 * stack does not depend on it: the invalidation permission on this distribution (attached to the
 * deploy-frontend role by name, so Edge deploys after Cicd) and the distribution id
 * (output DistributionId, SSM /coleta/<env>/deploy/distribution-id).
 */
export class FrontendDeployAccess extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: ColetaConstructProps & { readonly distribution: cloudfront.IDistribution },
  ) {
    super(scope, id);
    const { config, distribution } = props;
    const stack = Stack.of(this);
    const role = iam.Role.fromRoleName(
      this,
      "DeployFrontendRole",
      githubRoleNames(config.envName).deployFrontend,
    );
    new iam.Policy(this, "Invalidate", {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: "InvalidateDistribution",
          actions: [
            "cloudfront:CreateInvalidation",
            "cloudfront:GetInvalidation",
            "cloudfront:ListInvalidations",
          ],
          resources: [
            stack.formatArn({
              service: "cloudfront",
              region: "",
              resource: "distribution",
              resourceName: distribution.distributionId,
            }),
          ],
        }),
      ],
    });
    const description = "CloudFront distribution id";
    new CfnOutput(stack, "DistributionId", { value: distribution.distributionId, description });
    new ssm.StringParameter(this, "DistributionIdParameter", {
      parameterName: `/coleta/${config.envName}/deploy/distribution-id`,
      stringValue: distribution.distributionId,
      description,
    });
  }
}
