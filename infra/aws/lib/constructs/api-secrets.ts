import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { authSecretName } from "../../../../deploy/kubernetes/src/contract.js";
import { acknowledge } from "../nag.js";

/** The header CloudFront adds to every /backend request; the origin refuses requests without it. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";

/** coleta/<env>/origin-verify: the Edge stack resolves it by this name (no cross-stack export). */
export function originVerifySecretName(env: string): string {
  return `coleta/${env}/origin-verify`;
}

export interface ApiSecretProps {
  readonly env: string;
  /** Why it is not rotated by Secrets Manager and how to rotate it by hand, for this compute variant. */
  readonly rotation: string;
}

export interface OriginVerifySecretProps extends ApiSecretProps {
  /** Who checks the header: "the ALB" (ECS, EKS) or "the API" (Lambda). */
  readonly checkedBy: string;
}

/**
 * The value CloudFront sends in X-Origin-Verify (JSON key `value`). One per environment whatever runs
 * the API: the compute variants are alternatives, never deployed side by side.
 */
export class OriginVerifySecret extends secretsmanager.Secret {
  /** The literal name (`secretName` is a token): the Edge stack resolves it without a reference. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: OriginVerifySecretProps) {
    const name = originVerifySecretName(props.env);
    super(scope, id, {
      secretName: name,
      description: `Shared secret CloudFront sends to ${props.checkedBy} in the ${ORIGIN_VERIFY_HEADER} header`,
      generateSecretString: {
        secretStringTemplate: "{}",
        generateStringKey: "value",
        passwordLength: 48,
        excludePunctuation: true,
      },
    });
    this.name = name;
    acknowledge(this, "AwsSolutions-SMG4", props.rotation);
  }
}

/** AUTH_SECRET of the API (session signing key), coleta/<env>/auth-secret. */
export class AuthSecret extends secretsmanager.Secret {
  constructor(scope: Construct, id: string, props: ApiSecretProps) {
    super(scope, id, {
      secretName: authSecretName(props.env),
      description: "AUTH_SECRET of the Coleta API (session signing key)",
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    acknowledge(
      this,
      "AwsSolutions-SMG4",
      `AUTH_SECRET signs user sessions; automatic rotation would log every user out. ${props.rotation}`,
    );
  }
}
