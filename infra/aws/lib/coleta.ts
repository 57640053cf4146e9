import { type App, Tags } from "aws-cdk-lib";
import { configs } from "../config/index.js";
import type { ColetaConfig } from "../config/types.js";
import { FrontendDeployAccess, githubRoleNames } from "./constructs/github-deploy.js";
import { checkImageDigest } from "./image.js";
import { AppStack } from "./stacks/app-stack.js";
import { CicdStack } from "./stacks/cicd-stack.js";
import { DataStack } from "./stacks/data-stack.js";
import { EdgeStack } from "./stacks/edge-stack.js";
import { MonitoringStack } from "./stacks/monitoring-stack.js";
import { NetworkStack } from "./stacks/network-stack.js";

export interface ColetaStacks {
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly cicd: CicdStack;
  readonly app: AppStack;
  readonly edge: EdgeStack;
  readonly monitoring: MonitoringStack;
}

export interface ColetaOptions {
  /**
   * Digest ("sha256:<64 hex>") of the API image the App stack deploys. Anything else (a tag such
   * as `latest`) throws. Left out, the App stack carries an error annotation: it cannot be deployed,
   * but the stacks before it can (first deploy, docs/deploy.md).
   */
  readonly apiImageDigest?: string;
}

/** Stack name prefix, e.g. "Coleta-dev". Stacks: <prefix>-Network, -Data, -Cicd, -App, -Edge, -Monitoring. */
export function stackPrefix(config: ColetaConfig): string {
  return `Coleta-${config.envName}`;
}

/**
 * Adds one environment's stacks to the app, in deployment order:
 * Network -> Data -> Cicd -> App -> Edge -> Monitoring.
 *
 * Cicd (GitHub roles, deploy parameters) depends only on Network and Data, so on a first deploy the
 * pipeline can push the API image before the App stack creates the ECS service that runs it.
 */
export function addColetaEnvironment(
  app: App,
  config: ColetaConfig,
  options: ColetaOptions = {},
): ColetaStacks {
  const apiImageDigest =
    options.apiImageDigest === undefined
      ? undefined
      : checkImageDigest(options.apiImageDigest, config.envName);
  const prefix = stackPrefix(config);
  const env = { account: config.account, region: config.region };
  const common = { env, config, terminationProtection: config.envName === "prod" };
  const description = (what: string) => `Coleta ${config.envName}: ${what}`;

  const network = new NetworkStack(app, `${prefix}-Network`, {
    ...common,
    description: description("VPC, security groups, DNS zones"),
  });
  const data = new DataStack(app, `${prefix}-Data`, {
    ...common,
    description: description("PostgreSQL, Valkey, buckets, image registry"),
    networkStack: network,
  });
  const cicd = new CicdStack(app, `${prefix}-Cicd`, {
    ...common,
    description: description("GitHub Actions OIDC roles and deploy outputs"),
    networkStack: network,
    dataStack: data,
  });
  const appStack = new AppStack(app, `${prefix}-App`, {
    ...common,
    description: description("API on ECS Fargate behind an ALB"),
    networkStack: network,
    dataStack: data,
    ...(apiImageDigest ? { imageDigest: apiImageDigest } : {}),
  });
  const edge = new EdgeStack(app, `${prefix}-Edge`, {
    ...common,
    description: description("CloudFront, WAF, frontend bucket"),
    networkStack: network,
    dataStack: data,
    appStack,
  });
  // The frontend role's invalidation permission and the distribution id live with the distribution.
  new FrontendDeployAccess(edge, "GithubDeployFrontend", { config, distribution: edge.edge.distribution });
  edge.addStackDependency(cicd, "its policy is attached to the deploy-frontend role of the Cicd stack");
  const monitoring = new MonitoringStack(app, `${prefix}-Monitoring`, {
    ...common,
    description: description(
      "alert topics, alarms with runbooks, status dashboard, health-check canary, budget",
    ),
    dataStack: data,
    appStack,
    edgeStack: edge,
  });

  // Environments that promote this environment's images may read its repository (even cross-account).
  for (const other of Object.values(configs)) {
    if (other.api.image.source === "promote" && other.api.image.from === config.envName) {
      data.registry.allowPromotionTo(other.account, githubRoleNames(other.envName).deployBackend);
    }
  }

  for (const stack of [network, data, cicd, appStack, edge, monitoring]) {
    Tags.of(stack).add("Project", "coleta");
    Tags.of(stack).add("Environment", config.envName);
  }
  return { network, data, cicd, app: appStack, edge, monitoring };
}
