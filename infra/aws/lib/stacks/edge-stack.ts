import { SecretValue, Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { Edge } from "../constructs/edge.js";
import type { AppStack } from "./app-stack.js";
import type { DataStack } from "./data-stack.js";
import type { ColetaStackProps, NetworkStack } from "./network-stack.js";

export interface EdgeStackProps extends ColetaStackProps {
  readonly networkStack: NetworkStack;
  readonly dataStack: DataStack;
  readonly appStack: AppStack;
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
