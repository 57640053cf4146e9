import { Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * Acknowledge a cdk-nag finding on a construct (and everything below it) with a reason.
 * cdk-nag v3 reads these from CDK's native Validations metadata. Ids may name a single finding,
 * e.g. "AwsSolutions-IAM5[Resource::*]".
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < 20) throw new Error(`nag acknowledgement ${id} needs a real reason`);
  Validations.of(scope).acknowledge({ id, reason });
}
