import { type App, type Stack, Tags } from "aws-cdk-lib";
import { configs } from "../config/index.js";
import type { ColetaConfig } from "../config/types.js";
import { FrontendDeployAccess, githubRoleNames } from "./constructs/github-deploy.js";
import { checkImageDigest } from "./image.js";
import { AppStack } from "./stacks/app-stack.js";
import { CicdStack } from "./stacks/cicd-stack.js";
import { DataStack } from "./stacks/data-stack.js";
import { type ApiOrigin, EdgeStack } from "./stacks/edge-stack.js";
import { EksStack } from "./stacks/eks-stack.js";
import { MonitoringStack } from "./stacks/monitoring-stack.js";
import { NetworkStack } from "./stacks/network-stack.js";
import { ServerlessStack } from "./stacks/serverless-stack.js";

/** The stacks every compute variant shares, deployed first: Network -> Data -> Cicd. */
export interface SharedStacks {
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly cicd: CicdStack;
}

export interface ColetaStacks extends SharedStacks {
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

/** Where the API runs (`-c compute=…`): ECS Fargate (default), AWS Lambda, or EKS. */
export const COMPUTE_VARIANTS = ["ecs", "lambda", "eks"] as const;
export type Compute = (typeof COMPUTE_VARIANTS)[number];

/** Reads `-c compute`; anything else than a known variant is a one-line error. */
export function checkCompute(value: unknown): Compute {
  const compute = String(value ?? "ecs");
  if (!(COMPUTE_VARIANTS as readonly string[]).includes(compute)) {
    throw new Error(`Unknown compute "${compute}": use ${COMPUTE_VARIANTS.join(", ")} (default ecs)`);
  }
  return compute as Compute;
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
  const shared = addSharedStacks(app, config);
  const appStack = new AppStack(app, `${stackPrefix(config)}-App`, {
    ...stackProps(config, "API on ECS Fargate behind an ALB"),
    ...onNetworkAndData(shared),
    ...(apiImageDigest ? { imageDigest: apiImageDigest } : {}),
  });
  const edge = addEdgeStack(app, config, shared, appStack.api.origin);
  const monitoring = addMonitoringStack(app, config, shared, appStack, edge);
  return finish(config, { ...shared, app: appStack, edge, monitoring });
}

/** The stacks of one environment with `-c compute=eks` (docs/kubernetes.md). */
export interface ColetaEksStacks extends SharedStacks {
  readonly eks: EksStack;
  readonly edge: EdgeStack;
}

/**
 * One environment with the API on EKS: Network -> Data -> Cicd -> Eks -> Edge. The same Network,
 * Data, Cicd and Edge stacks as with ECS; Eks replaces App. The workloads are deployed with kubectl
 * from deploy/kubernetes/dist/eks/<env> (the image digest goes there, not into this app). The
 * Monitoring stack watches the ECS service and is not part of this variant: in the cluster,
 * Prometheus rules and Grafana dashboards come with the manifests.
 */
export function addColetaEksEnvironment(app: App, config: ColetaConfig): ColetaEksStacks {
  const shared = addSharedStacks(app, config);
  const eks = new EksStack(app, `${stackPrefix(config)}-Eks`, {
    ...stackProps(config, "API on EKS (Graviton nodes) behind an ALB"),
    ...onNetworkAndData(shared),
  });
  // Access entries name the deploy roles of the Cicd stack.
  eks.addStackDependency(shared.cicd, "its access entries map the deploy roles of the Cicd stack");
  const edge = addEdgeStack(app, config, shared, eks.origin);
  return finish(config, { ...shared, eks, edge });
}

/** The stacks of one environment with `-c compute=lambda` (docs/serverless.md). */
export interface ColetaLambdaStacks extends SharedStacks {
  readonly serverless: ServerlessStack;
  readonly edge: EdgeStack;
  readonly monitoring: MonitoringStack;
}

export interface ColetaLambdaOptions {
  /** The built Lambda bundle (`npm run build:lambda -w @coleta/api` writes apps/api/dist-lambda). */
  readonly lambdaBundleDir: string;
}

/**
 * One environment with the API on Lambda: Network -> Data -> Cicd -> Serverless -> Edge ->
 * Monitoring. Serverless (function, HTTP API, RDS Proxy, migrations) replaces App; the same
 * CloudFront distribution and WAF put it at /backend; Monitoring routes its alarms to the backend
 * team and shows them on the status dashboard. No image digest: the code is the bundle's asset.
 */
export function addColetaLambdaEnvironment(
  app: App,
  config: ColetaConfig,
  options: ColetaLambdaOptions,
): ColetaLambdaStacks {
  const shared = addSharedStacks(app, config);
  const serverless = new ServerlessStack(app, `${stackPrefix(config)}-Serverless`, {
    ...stackProps(config, "API on AWS Lambda behind an API Gateway HTTP API, RDS Proxy"),
    ...onNetworkAndData(shared),
    bundleDir: options.lambdaBundleDir,
  });
  const edge = addEdgeStack(app, config, shared, serverless.api);
  const monitoring = addMonitoringStack(app, config, shared, serverless, edge);
  return finish(config, { ...shared, serverless, edge, monitoring });
}

/** What every stack of an environment gets: account and region, config, protection, description. */
function stackProps(config: ColetaConfig, what: string) {
  return {
    env: { account: config.account, region: config.region },
    config,
    terminationProtection: config.envName === "prod",
    description: `Coleta ${config.envName}: ${what}`,
  };
}

/** The Network and Data stacks as the props of a stack built on them. */
function onNetworkAndData(shared: Pick<SharedStacks, "network" | "data">) {
  return { networkStack: shared.network, dataStack: shared.data };
}

function addSharedStacks(app: App, config: ColetaConfig): SharedStacks {
  const prefix = stackPrefix(config);
  const network = new NetworkStack(
    app,
    `${prefix}-Network`,
    stackProps(config, "VPC, security groups, DNS zones"),
  );
  const data = new DataStack(app, `${prefix}-Data`, {
    ...stackProps(config, "PostgreSQL, Valkey, buckets, image registry"),
    networkStack: network,
  });
  const cicd = new CicdStack(app, `${prefix}-Cicd`, {
    ...stackProps(config, "GitHub Actions OIDC roles and deploy outputs"),
    ...onNetworkAndData({ network, data }),
  });
  return { network, data, cicd };
}

function addEdgeStack(app: App, config: ColetaConfig, shared: SharedStacks, apiOrigin: ApiOrigin): EdgeStack {
  const edge = new EdgeStack(app, `${stackPrefix(config)}-Edge`, {
    ...stackProps(config, "CloudFront, WAF, frontend bucket"),
    ...onNetworkAndData(shared),
    apiOrigin,
  });
  // The frontend role's invalidation permission and the distribution id live with the distribution.
  new FrontendDeployAccess(edge, "GithubDeployFrontend", { config, distribution: edge.edge.distribution });
  edge.addStackDependency(
    shared.cicd,
    "its policy is attached to the deploy-frontend role of the Cicd stack",
  );
  return edge;
}

function addMonitoringStack(
  app: App,
  config: ColetaConfig,
  shared: SharedStacks,
  api: AppStack | ServerlessStack,
  edge: EdgeStack,
): MonitoringStack {
  return new MonitoringStack(app, `${stackPrefix(config)}-Monitoring`, {
    ...stackProps(
      config,
      "alert topics, alarms with runbooks, status dashboard, health-check canary, budget",
    ),
    dataStack: shared.data,
    appStack: api,
    edgeStack: edge,
  });
}

/** Cross-account promotion and the tags, once every stack of the environment exists. */
function finish<T extends SharedStacks>(config: ColetaConfig, stacks: T): T {
  allowPromotion(config, stacks.data);
  for (const stack of Object.values(stacks) as Stack[]) {
    Tags.of(stack).add("Project", "coleta");
    Tags.of(stack).add("Environment", config.envName);
  }
  return stacks;
}

/** Environments that promote this environment's images may read its repository (even cross-account). */
function allowPromotion(config: ColetaConfig, data: DataStack): void {
  for (const other of Object.values(configs)) {
    if (other.api.image.source === "promote" && other.api.image.from === config.envName) {
      data.registry.allowPromotionTo(other.account, githubRoleNames(other.envName).deployBackend);
    }
  }
}
