import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { acknowledge } from "../nag.js";

/** Environment variable -> a secret (and the JSON key in it) the function reads at cold start. */
export type SecretRefs = Record<string, readonly [secret: secretsmanager.ISecret, jsonKey?: string]>;

/** <PREFIX>_USER and <PREFIX>_PASSWORD from a database secret. */
export function credentialRefs(secret: secretsmanager.ISecret, prefix: string): SecretRefs {
  return { [`${prefix}_USER`]: [secret, "username"], [`${prefix}_PASSWORD`]: [secret, "password"] };
}

export interface VpcFunctionProps
  extends Omit<lambda.FunctionProps, "role" | "environment" | "tracing" | "architecture"> {
  /** Construct id of the function's own role. */
  readonly roleId: string;
  readonly roleName: string;
  readonly roleDescription: string;
  /** Plain settings, as environment variables. */
  readonly settings: Record<string, string>;
  /** Secrets by reference (COLETA_SECRET_ENV): never in the configuration, and only these readable. */
  readonly secrets: SecretRefs;
}

/**
 * A function of the API bundle in the VPC (ARM64, active tracing), with a role of its own: the
 * AWS-managed VPC access policy and read access to exactly the secrets it names. The secrets reach
 * it by reference: COLETA_SECRET_ENV maps each variable to "<secret ARN>#<JSON key>", and the code
 * reads them from Secrets Manager at cold start.
 */
export function vpcFunction(
  scope: Construct,
  id: string,
  props: VpcFunctionProps,
): { readonly fn: lambda.Function; readonly role: iam.Role } {
  const { roleId, roleName, roleDescription, settings, secrets, ...functionProps } = props;
  const role = new iam.Role(scope, roleId, {
    roleName,
    description: roleDescription,
    assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
    managedPolicies: [
      iam.ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSLambdaVPCAccessExecutionRole"),
    ],
  });
  acknowledge(
    role,
    "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]",
    "The AWS-managed policy a VPC function needs for its network interfaces and logs; it names no data.",
  );
  acknowledge(
    role,
    "AwsSolutions-IAM5[Resource::*]",
    "Added by active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.",
  );
  const refs = Object.entries(secrets).map(([name, [secret, key]]) => [
    name,
    key ? `${secret.secretArn}#${key}` : secret.secretArn,
  ]);
  const fn = new lambda.Function(scope, id, {
    ...functionProps,
    architecture: lambda.Architecture.ARM_64,
    tracing: lambda.Tracing.ACTIVE,
    role,
    environment: { ...settings, COLETA_SECRET_ENV: JSON.stringify(Object.fromEntries(refs)) },
  });
  for (const secret of new Set(Object.values(secrets).map(([secret]) => secret))) secret.grantRead(role);
  return { fn, role };
}
