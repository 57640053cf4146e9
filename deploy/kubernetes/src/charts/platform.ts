// Namespaces (Pod Security "restricted" enforced) and the teams' RBAC: each team may ship and debug
// in its own namespace only, and cannot change its NetworkPolicies, quotas or RBAC.

import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import { KUBERNETES_VERSION, NAMESPACES, TEAM_GROUPS } from "../contract.ts";
import { add, type KubeObject } from "../objects.ts";
import type { Target } from "../targets.ts";

export const TEAM_ROLE = "coleta-team";

/** What a team may do in its namespace (and nothing elsewhere). */
export const TEAM_RULES: IRole["rules"] = [
  {
    apiGroups: ["apps"],
    resources: ["deployments", "replicasets", "statefulsets"],
    verbs: ["get", "list", "watch", "update", "patch"],
  },
  { apiGroups: ["apps"], resources: ["deployments/scale"], verbs: ["get", "update", "patch"] },
  {
    apiGroups: [""],
    resources: ["pods", "pods/log", "events", "services", "endpoints", "configmaps"],
    verbs: ["get", "list", "watch"],
  },
  { apiGroups: [""], resources: ["pods"], verbs: ["delete"] },
  { apiGroups: ["batch"], resources: ["jobs"], verbs: ["get", "list", "watch", "create", "delete"] },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["get", "list", "watch"] },
  {
    apiGroups: ["networking.k8s.io"],
    resources: ["ingresses", "networkpolicies"],
    verbs: ["get", "list", "watch"],
  },
  // Read-only, so `kubectl apply -f` of the team's own file (30-api.yaml, 40-web.yaml) sees these
  // objects unchanged instead of failing on them.
  { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["get", "list"] },
  { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"], verbs: ["get", "list"] },
];

export function platformChart(scope: Construct, target: Target): Chart {
  const chart = new Chart(scope, "platform");
  // The web team's namespace exists on EKS too (CloudFront + S3 serve the web there): its access
  // entry maps to it, and it is where anything the web team runs in the cluster goes.
  const namespaces = [NAMESPACES.api, NAMESPACES.web, ...(target.kind === "local" ? [NAMESPACES.data] : [])];
  for (const name of namespaces) {
    add<INamespace & KubeObject>(chart, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name,
        labels: {
          "app.kubernetes.io/part-of": "coleta",
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": `v${KUBERNETES_VERSION}`,
        },
      },
    });
  }
  for (const team of ["api", "web"] as const) {
    const namespace = NAMESPACES[team];
    add<IRole & KubeObject>(chart, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: TEAM_ROLE, namespace },
      rules: TEAM_RULES,
    });
    add<IRoleBinding & KubeObject>(chart, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: `${TEAM_ROLE}-${team}`, namespace },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: TEAM_ROLE },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: TEAM_GROUPS[team] }],
    });
  }
  return chart;
}
