import { CfnOutput, Duration, Stack } from "aws-cdk-lib";
import type * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import type * as ecr from "aws-cdk-lib/aws-ecr";
import type * as ecs from "aws-cdk-lib/aws-ecs";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import type * as s3 from "aws-cdk-lib/aws-s3";
import * as ssm from "aws-cdk-lib/aws-ssm";
import { Construct } from "constructs";
import type { ColetaConfig } from "../../config/types.js";
import { acknowledge } from "../nag.js";
import { bucketArn, bucketName } from "./buckets.js";
import { FRONTEND_PREFIX } from "./edge.js";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** Default CDK bootstrap qualifier (`cdk bootstrap` without --qualifier). */
export const CDK_BOOTSTRAP_QUALIFIER = "hnb659fds";

export function githubRoleNames(env: string) {
  return {
    deployFrontend: `coleta-${env}-github-deploy-frontend`,
    deployBackend: `coleta-${env}-github-deploy-backend`,
    infra: `coleta-${env}-github-infra`,
  } as const;
}

export interface GithubDeployProps {
  readonly config: ColetaConfig;
  readonly frontendBucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
  readonly repository: ecr.IRepository;
  readonly cluster: ecs.ICluster;
  readonly service: ecs.IBaseService;
  /** Literal names (not tokens) so policies and nag acknowledgements can spell the ARNs. */
  readonly migrationTaskDefinitionFamily: string;
  readonly clusterName: string;
  readonly migrationSubnetIds: string[];
  readonly migrationSecurityGroupId: string;
  /** Names of the roles ECS needs passed when the backend workflow runs tasks (task + execution roles). */
  readonly passableRoleNames: string[];
  readonly apiLogGroup: logs.ILogGroup;
}

/**
 * GitHub Actions access without stored keys: the account's GitHub OIDC provider and three roles
 * that only tokens from the configured repository + GitHub environment can assume.
 *
 * - deploy-frontend: sync apps/web/dist to s3://<bucket>/frontend/ and invalidate CloudFront;
 * - deploy-backend: push the API image to ECR, register task definition revisions with it, roll the
 *   ECS service, run the migration task;
 * - infra: `cdk deploy` by assuming the CDK bootstrap roles (which hold the real permissions).
 *
 * Everything a workflow needs is a CloudFormation output of this stack AND an SSM parameter under
 * /coleta/<env>/deploy/ (the roles may read that path).
 */
export class GithubDeploy extends Construct {
  public readonly deployFrontendRole: iam.Role;
  public readonly deployBackendRole: iam.Role;
  public readonly infraRole: iam.Role;
  public readonly deployParameterPath: string;

  constructor(scope: Construct, id: string, props: GithubDeployProps) {
    super(scope, id);
    const { config } = props;
    const env = config.envName;
    const stack = Stack.of(this);
    const { account, region, partition } = stack;
    this.deployParameterPath = `/coleta/${env}/deploy/`;

    const providerArn = config.github.createOidcProvider
      ? new iam.OidcProviderNative(this, "GithubOidc", {
          url: `https://${GITHUB_OIDC_HOST}`,
          clientIds: ["sts.amazonaws.com"],
        }).oidcProviderArn
      : `arn:${partition}:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;

    const subjects = [
      `repo:${config.github.repository}:environment:${config.github.environment}`,
      ...config.github.extraSubjects,
    ];
    const principal = new iam.WebIdentityPrincipal(providerArn, {
      StringEquals: {
        [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com",
        [`${GITHUB_OIDC_HOST}:sub`]: subjects,
      },
    });
    const names = githubRoleNames(env);
    const role = (id: string, roleName: string, description: string) =>
      new iam.Role(this, id, {
        roleName,
        description,
        assumedBy: principal,
        maxSessionDuration: Duration.hours(1),
      });

    const parameterArn = (name: string) => `arn:aws:ssm:${config.region}:${config.account}:parameter/${name}`;
    const deployParametersArn = parameterArn(`coleta/${env}/deploy/*`);
    const readDeployParameters = new iam.PolicyStatement({
      sid: "ReadDeployParameters",
      actions: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
      resources: [parameterArn(`coleta/${env}/deploy`), deployParametersArn],
    });
    const acknowledgeDeployParameters = (target: iam.Role) =>
      acknowledge(
        target,
        `AwsSolutions-IAM5[Resource::${deployParametersArn}]`,
        "Workflows read the deploy outputs under /coleta/<env>/deploy/; the wildcard is limited to that path (read-only).",
      );

    // --- deploy-frontend ------------------------------------------------------------------------
    this.deployFrontendRole = role(
      "DeployFrontendRole",
      names.deployFrontend,
      `GitHub Actions (${config.github.repository}): upload the web app and invalidate CloudFront`,
    );
    this.deployFrontendRole.addToPolicy(
      new iam.PolicyStatement({
        sid: "ListFrontendBucket",
        actions: ["s3:ListBucket"],
        resources: [bucketArn(bucketName(config, "frontend"))],
      }),
    );
    this.deployFrontendRole.addToPolicy(
      new iam.PolicyStatement({
        sid: "SyncFrontendObjects",
        actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        resources: [bucketArn(bucketName(config, "frontend"), `${FRONTEND_PREFIX}*`)],
      }),
    );
    acknowledge(
      this.deployFrontendRole,
      `AwsSolutions-IAM5[Resource::${bucketArn(bucketName(config, "frontend"), `${FRONTEND_PREFIX}*`)}]`,
      "aws s3 sync writes and deletes arbitrary file names of the build; the wildcard covers only the frontend/ prefix of the frontend bucket.",
    );
    this.deployFrontendRole.addToPolicy(
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
            resourceName: props.distribution.distributionId,
          }),
        ],
      }),
    );
    this.deployFrontendRole.addToPolicy(readDeployParameters);
    acknowledgeDeployParameters(this.deployFrontendRole);

    // --- deploy-backend ---------------------------------------------------------------------------
    this.deployBackendRole = role(
      "DeployBackendRole",
      names.deployBackend,
      `GitHub Actions (${config.github.repository}): push the API image, roll the service, run migrations`,
    );
    props.repository.grantPullPush(this.deployBackendRole);
    const ecsArn = (resource: string) => `arn:aws:ecs:${config.region}:${config.account}:${resource}`;
    const migrationTaskDefinitionArn = ecsArn(`task-definition/${props.migrationTaskDefinitionFamily}:*`);
    const clusterTasksArn = ecsArn(`task/${props.clusterName}/*`);
    this.deployBackendRole.addToPolicy(
      new iam.PolicyStatement({
        sid: "RollApiService",
        actions: ["ecs:UpdateService", "ecs:DescribeServices"],
        resources: [props.service.serviceArn],
      }),
    );
    // The workflow copies the current task definitions with only the image changed
    // (describe-task-definition -> register-task-definition). Neither action supports
    // resource-level permissions (AWS documents Resource "*" for both); PassRole below still limits
    // which roles a registered revision can carry, and UpdateService/RunTask which service/family
    // can use it.
    this.deployBackendRole.addToPolicy(
      new iam.PolicyStatement({
        sid: "RegisterTaskDefinitionRevisions",
        actions: ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"],
        resources: ["*"],
      }),
    );
    this.deployBackendRole.addToPolicy(
      new iam.PolicyStatement({
        sid: "RunMigrationTask",
        actions: ["ecs:RunTask"],
        resources: [migrationTaskDefinitionArn],
        conditions: { ArnEquals: { "ecs:cluster": props.cluster.clusterArn } },
      }),
    );
    this.deployBackendRole.addToPolicy(
      new iam.PolicyStatement({
        sid: "WatchMigrationTask",
        actions: ["ecs:DescribeTasks"],
        resources: [clusterTasksArn],
      }),
    );
    this.deployBackendRole.addToPolicy(
      new iam.PolicyStatement({
        sid: "ReadApiLogs",
        actions: ["logs:GetLogEvents", "logs:FilterLogEvents"],
        resources: [props.apiLogGroup.logGroupArn],
      }),
    );
    this.deployBackendRole.addToPolicy(
      new iam.PolicyStatement({
        sid: "PassTaskRolesToEcs",
        actions: ["iam:PassRole"],
        resources: props.passableRoleNames.map((name) => `arn:aws:iam::${config.account}:role/${name}`),
        conditions: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      }),
    );
    this.deployBackendRole.addToPolicy(readDeployParameters);
    acknowledgeDeployParameters(this.deployBackendRole);
    acknowledge(
      this.deployBackendRole,
      "AwsSolutions-IAM5[Resource::*]",
      "ecr:GetAuthorizationToken (docker login), ecs:DescribeTaskDefinition and ecs:RegisterTaskDefinition do not support resource-level permissions; the push actions are limited to the API repository, iam:PassRole to the API task/execution roles (ecs-tasks only), and UpdateService/RunTask to this service and the migration family.",
    );
    acknowledge(
      this.deployBackendRole,
      `AwsSolutions-IAM5[Resource::${migrationTaskDefinitionArn}]`,
      "Each infra deploy can register a new revision of the migration task definition; the wildcard matches revisions of that one family only, and RunTask is limited to the Coleta cluster (ecs:cluster condition).",
    );
    acknowledge(
      this.deployBackendRole,
      `AwsSolutions-IAM5[Resource::${clusterTasksArn}]`,
      "Task ids of the migration run are only known at run time; DescribeTasks is read-only and limited to tasks of the Coleta cluster.",
    );

    // --- infra (cdk deploy) ------------------------------------------------------------------------
    this.infraRole = role(
      "InfraRole",
      names.infra,
      `GitHub Actions (${config.github.repository}): cdk deploy through the CDK bootstrap roles`,
    );
    this.infraRole.addToPolicy(
      new iam.PolicyStatement({
        sid: "AssumeCdkBootstrapRoles",
        actions: ["sts:AssumeRole", "sts:TagSession"],
        resources: ["deploy", "file-publishing", "image-publishing", "lookup"].map(
          (kind) =>
            `arn:${partition}:iam::${account}:role/cdk-${CDK_BOOTSTRAP_QUALIFIER}-${kind}-role-${account}-${region}`,
        ),
      }),
    );
    this.infraRole.addToPolicy(readDeployParameters);
    acknowledgeDeployParameters(this.infraRole);

    // --- Outputs: CloudFormation outputs and SSM parameters with the same values ---------------------
    const outputs: Array<[outputKey: string, parameterName: string, value: string, description: string]> = [
      ["AppUrl", "app-url", `https://${config.domainName}`, "Public URL of the app"],
      ["FrontendBucketName", "frontend-bucket", props.frontendBucket.bucketName, "Frontend bucket"],
      [
        "FrontendS3Uri",
        "frontend-s3-uri",
        `s3://${props.frontendBucket.bucketName}/${FRONTEND_PREFIX}`,
        "Sync apps/web/dist here (aws s3 sync --delete)",
      ],
      ["DistributionId", "distribution-id", props.distribution.distributionId, "CloudFront distribution id"],
      ["EcrRepositoryUri", "ecr-repository-uri", props.repository.repositoryUri, "API image repository URI"],
      [
        "EcrRepositoryName",
        "ecr-repository-name",
        props.repository.repositoryName,
        "API image repository name",
      ],
      ["ClusterName", "cluster-name", props.cluster.clusterName, "ECS cluster"],
      ["ServiceName", "service-name", props.service.serviceName, "ECS service of the API"],
      [
        "MigrationTaskDefinitionFamily",
        "migration-task-family",
        props.migrationTaskDefinitionFamily,
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
      [
        "DeployFrontendRoleArn",
        "deploy-frontend-role-arn",
        this.deployFrontendRole.roleArn,
        "Role for the frontend workflow",
      ],
      [
        "DeployBackendRoleArn",
        "deploy-backend-role-arn",
        this.deployBackendRole.roleArn,
        "Role for the backend workflow",
      ],
      ["InfraRoleArn", "infra-role-arn", this.infraRole.roleArn, "Role for cdk deploy"],
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
