// How every pod of Coleta runs: restricted security contexts, rollout and spread over nodes.
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import { selectorOf } from "./labels.ts";

/** A rolling update that never lowers the ready count: one new pod first, then an old one goes. */
export const ROLLING_UPDATE = {
  type: "RollingUpdate",
  rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
} as const;

/** Spread the pods of `app` over nodes ("kubernetes.io/hostname") or zones, at most one apart. */
export function spreadOver(
  app: string,
  topologyKey: "kubernetes.io/hostname" | "topology.kubernetes.io/zone",
  whenUnsatisfiable: "ScheduleAnyway" | "DoNotSchedule",
) {
  return { maxSkew: 1, topologyKey, whenUnsatisfiable, labelSelector: { matchLabels: selectorOf(app) } };
}

/** Containers of every workload: non-root, read-only root filesystem, no capabilities, seccomp. */
export function restrictedContainer(runAsUser: number) {
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" as const },
  };
}

export function restrictedPod(fsGroup: number) {
  return { runAsNonRoot: true, fsGroup, seccompProfile: { type: "RuntimeDefault" as const } };
}

/**
 * The pod template of a workload: its labels, the restricted pod security context (volumes owned by
 * `fsGroup`) and no service-account token (a pod that needs one projects it on purpose), then `spec`.
 */
export function restrictedTemplate(
  labels: Record<string, string>,
  fsGroup: number,
  spec: Omit<IPodSpec, "securityContext" | "automountServiceAccountToken">,
): IPodTemplateSpec {
  return {
    metadata: { labels },
    spec: { automountServiceAccountToken: false, securityContext: restrictedPod(fsGroup), ...spec },
  };
}
