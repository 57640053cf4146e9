import { SecretValue, Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { Edge } from "../constructs/edge.js";
import type { DataStack } from "./data-stack.js";
import type { ColetaStackProps, NetworkStack } from "./network-stack.js";

/**
 * The stack that serves /backend: the App stack (ECS) or the Eks stack. Edge needs its origin's
 * name and the name of the origin-verify secret.
 */
export interface ApiOriginStack extends Stack {
  readonly api: { readonly originDomainName: string; readonly originVerifySecretName: string };
}

export interface EdgeStackProps extends ColetaStackProps {
  readonly networkStack: NetworkStack;
  readonly dataStack: DataStack;
  readonly appStack: ApiOriginStack;
}

/** CloudFront + WAF + frontend bucket + the app's certificate and public records. */
export class EdgeStack extends Stack {
  public readonly edge: Edge;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { config, networkStack, dataStack, appStack } = props;
    this.edge = new Edge(this, "Edge", {
      config,
      publicZone: networkStack.dns.publicZone,
      logsBucket: dataStack.buckets.logs,
      apiOriginDomainName: appStack.api.originDomainName,
      // Dynamic reference by secret *name* ({{resolve:secretsmanager:coleta/<env>/origin-verify:...}}):
      // resolved by CloudFormation at deploy time, never written into the template.
      originVerifyHeaderValue: SecretValue.secretsManager(appStack.api.originVerifySecretName, {
        jsonField: "value",
      }).unsafeUnwrap(),
    });
    // The secret must exist before CloudFront resolves it.
    this.addStackDependency(appStack);
  }
}
