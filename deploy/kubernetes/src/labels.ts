/** Recommended labels; `app.kubernetes.io/name` is what Services, policies and PDBs select on. */
export function appLabels(name: string, component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "coleta",
  };
}

export function selectorOf(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": name };
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
