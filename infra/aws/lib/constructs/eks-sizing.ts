import type { EnvName } from "../../config/types.js";

/**
 * EKS sizing and versions, per environment. Kept beside the EKS constructs (not in config/) while
 * EKS is the alternative compute; move into ColetaConfig if it becomes the default.
 *
 * Nodes are Graviton m7g: security groups for pods (how only the API pods reach RDS/ElastiCache,
 * eks-cluster.ts) need trunk-ENI instance types, and no instance type of the t family has them.
 */
export interface EksSizing {
  readonly instanceType: string;
  readonly minNodes: number;
  readonly desiredNodes: number;
  readonly maxNodes: number;
  /** Node root volume, GiB. */
  readonly diskGiB: number;
}

export const EKS_SIZING: Record<EnvName, EksSizing> = {
  dev: { instanceType: "m7g.large", minNodes: 2, desiredNodes: 2, maxNodes: 3, diskGiB: 30 },
  // One node per AZ (3) so the zone spread of the API can hold with a zone down.
  prod: { instanceType: "m7g.large", minNodes: 3, desiredNodes: 3, maxNodes: 6, diskGiB: 40 },
};

/**
 * Kubernetes 1.34: the version the manifests of deploy/kubernetes are validated against
 * (kubernetes-models 5.1.0). Bump both together.
 */
export const EKS_KUBERNETES_VERSION = "1.34";

/** External Secrets Operator Helm chart (serves external-secrets.io/v1, which the manifests use). */
export const EXTERNAL_SECRETS_CHART = {
  repository: "https://charts.external-secrets.io",
  chart: "external-secrets",
  version: "0.20.4",
} as const;
