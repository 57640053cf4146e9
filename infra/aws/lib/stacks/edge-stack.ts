import { SecretValue, Stack } from "aws-cdk-lib";
import type { Construct, IConstruct } from "constructs";
import { Edge } from "../constructs/edge.js";
import type { OnDataStackProps } from "./data-stack.js";

/**
 * What CloudFront sends /backend to: the ALB origin of the App (ECS) or Eks stack, or the HTTP API
 * of the Serverless stack (Lambda). Edge needs its name and the name of its origin-verify secret.
 */
export interface ApiOrigin extends IConstruct {
  readonly originDomainName: string;
  readonly originVerifySecret: { readonly name: string };
}

export interface EdgeStackProps extends OnDataStackProps {
  readonly apiOrigin: ApiOrigin;
}

/** CloudFront + WAF + frontend bucket + the app's certificate and public records. */
export class EdgeStack extends Stack {
  public readonly edge: Edge;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { config, networkStack, dataStack, apiOrigin } = props;
    this.edge = new Edge(this, "Edge", {
      config,
      publicZone: networkStack.dns.publicZone,
      logsBucket: dataStack.buckets.logs,
      apiOriginDomainName: apiOrigin.originDomainName,
      // Dynamic reference by secret *name* ({{resolve:secretsmanager:coleta/<env>/origin-verify:...}}):
      // resolved by CloudFormation at deploy time, never written into the template.
      originVerifyHeaderValue: SecretValue.secretsManager(apiOrigin.originVerifySecret.name, {
        jsonField: "value",
      }).unsafeUnwrap(),
    });
    // The secret must exist before CloudFront resolves it.
    this.addStackDependency(Stack.of(apiOrigin));
  }
}
