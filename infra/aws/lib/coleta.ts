import { type App, Tags } from "aws-cdk-lib";
import type { ColetaConfig } from "../config/types.js";
import { AppStack } from "./stacks/app-stack.js";
import { CicdStack } from "./stacks/cicd-stack.js";
import { DataStack } from "./stacks/data-stack.js";
import { EdgeStack } from "./stacks/edge-stack.js";
import { MonitoringStack } from "./stacks/monitoring-stack.js";
import { NetworkStack } from "./stacks/network-stack.js";

export interface ColetaStacks {
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly app: AppStack;
  readonly edge: EdgeStack;
  readonly cicd: CicdStack;
  readonly monitoring: MonitoringStack;
}

/** Stack name prefix, e.g. "Coleta-dev". Stacks: <prefix>-Network, -Data, -App, -Edge, -Cicd, -Monitoring. */
export function stackPrefix(config: ColetaConfig): string {
  return `Coleta-${config.envName}`;
}

/**
 * Adds one environment's stacks to the app, in deployment order:
 * Network -> Data -> App -> Edge -> Cicd -> Monitoring.
 */
export function addColetaEnvironment(
  app: App,
  config: ColetaConfig,
  options: { readonly imageTag?: string } = {},
): ColetaStacks {
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
  const appStack = new AppStack(app, `${prefix}-App`, {
    ...common,
    description: description("API on ECS Fargate behind an ALB"),
    networkStack: network,
    dataStack: data,
    imageTag: options.imageTag ?? config.api.imageTag,
  });
  const edge = new EdgeStack(app, `${prefix}-Edge`, {
    ...common,
    description: description("CloudFront, WAF, frontend bucket"),
    networkStack: network,
    dataStack: data,
    appStack,
  });
  const cicd = new CicdStack(app, `${prefix}-Cicd`, {
    ...common,
    description: description("GitHub Actions OIDC roles and deploy outputs"),
    dataStack: data,
    appStack,
    edgeStack: edge,
  });
  const monitoring = new MonitoringStack(app, `${prefix}-Monitoring`, {
    ...common,
    description: description(
      "alert topics, alarms with runbooks, status dashboard, health-check canary, budget",
    ),
    dataStack: data,
    appStack,
    edgeStack: edge,
  });

  for (const stack of [network, data, appStack, edge, cicd, monitoring]) {
    Tags.of(stack).add("Project", "coleta");
    Tags.of(stack).add("Environment", config.envName);
  }
  return { network, data, app: appStack, edge, cicd, monitoring };
}
