// Names that the manifests and the EKS stack (infra/aws/lib/stacks/eks-stack.ts) must agree on:
// Pod Identity associations name a namespace + service account, access entries name the teams'
// Kubernetes groups, the TargetGroupBinding names the target group the stack creates. The CDK app
// imports this file, so its imports carry no .ts extension (infra/aws compiles without
// allowImportingTsExtensions).
import { JOB } from "../../monitoring/src/promql";

/** One namespace per team (web, api) plus the platform's data namespace (local target only). */
export const NAMESPACES = { api: "coleta-api", web: "coleta-web", data: "coleta-data" } as const;

/**
 * Kubernetes groups of the two teams. RoleBindings in their namespace grant them the team role; on
 * EKS the access entries put each team's IAM role into its group.
 */
export const TEAM_GROUPS = { api: "coleta:api-team", web: "coleta:web-team" } as const;

/** Pod labels (app.kubernetes.io/name) of the API and of the migration Job. */
export const API_APP = "coleta-api";
export const MIGRATE_APP = "coleta-migrate";

/** The API's service account: on EKS, Pod Identity gives it the uploads/exports bucket access. */
export const API_SERVICE_ACCOUNT = "coleta-api";
/** The migration Job's service account (no AWS access). */
export const MIGRATE_SERVICE_ACCOUNT = "coleta-migrate";

/**
 * The API Service. Prometheus Operator names the scrape job after the Service, so it is the same
 * job name the rules and dashboards of deploy/monitoring query.
 */
export const API_SERVICE = JOB;

/** External Secrets Operator's controller (EKS add-on defaults): Pod Identity gives it read access. */
export const EXTERNAL_SECRETS = {
  namespace: "external-secrets",
  serviceAccount: "external-secrets",
} as const;

/** Target group the EKS stack creates behind its ALB; the TargetGroupBinding registers API pods in it. */
export function eksTargetGroupName(envName: string): string {
  return `coleta-${envName}-api-eks`;
}

/** Name of the EKS cluster of one environment. */
export function eksClusterName(envName: string): string {
  return `coleta-${envName}`;
}

/** Kubernetes minor version the manifests target and are validated against (kubernetes-models 5.1.0). */
export const KUBERNETES_VERSION = "1.34";

/**
 * EKS: settings the stack writes to Parameter Store (values only known to AWS, like endpoints) and
 * External Secrets copies into the Secret `coleta-api-settings`. Literal settings stay in the
 * manifests (src/charts/api.ts).
 */
export const EKS_PARAMETER_SETTINGS = [
  "DATABASE_HOST",
  "DATABASE_PORT",
  "DATABASE_NAME",
  "DATABASE_SSL_SERVERNAME",
  "REDIS_HOST",
  "REDIS_PORT",
] as const;

/** Parameter Store path of one EKS setting (the same /coleta/<env>/api/ tree as on ECS). */
export function eksSettingParameter(envName: string, setting: string): string {
  return `/coleta/${envName}/api/${setting}`;
}

/** Secrets Manager secret of AUTH_SECRET (created by the EKS stack, as the App stack does on ECS). */
export function authSecretName(envName: string): string {
  return `coleta/${envName}/auth-secret`;
}

/** Secrets Manager secret of the Valkey auth token (created by the Data stack). */
export function cacheAuthTokenSecretName(envName: string): string {
  return `coleta/${envName}/cache-auth-token`;
}
