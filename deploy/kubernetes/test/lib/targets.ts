import { buildTarget } from "../../src/app.ts";
import { targetsFor } from "../../src/dist.ts";
import type { KubeObject } from "../../src/objects.ts";
import type { Target } from "../../src/targets.ts";

/** A real-looking digest, so tests see what a deploy renders (not the placeholder). */
export const TEST_DIGEST = `sha256:${"ab12".repeat(16)}`;

export interface BuiltTarget {
  readonly target: Target;
  readonly objects: KubeObject[];
}

let cache: BuiltTarget[] | undefined;

/** Every target (local, eks/dev, eks/prod) built once per test file. */
export function builtTargets(): BuiltTarget[] {
  cache ??= targetsFor({ apiDigest: TEST_DIGEST, webDigest: TEST_DIGEST }).map((target) => ({
    target,
    objects: buildTarget(target).flatMap((chart) => chart.objects),
  }));
  return cache;
}

export function ofKind<T = KubeObject>(objects: KubeObject[], kind: string): Array<T & KubeObject> {
  return objects.filter((o) => o.kind === kind) as Array<T & KubeObject>;
}

/** Pod templates of every workload, with the workload they belong to. */
export function podTemplates(objects: KubeObject[]) {
  return objects
    .filter((o) => ["Deployment", "StatefulSet", "Job"].includes(o.kind))
    .map((o) => {
      const spec = o.spec as { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
      return { owner: o, labels: spec.template.metadata.labels, spec: spec.template.spec };
    });
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
  startupProbe?: unknown;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: Record<string, unknown>;
  topologySpreadConstraints?: Array<{ topologyKey: string; whenUnsatisfiable: string }>;
  serviceAccountName?: string;
  volumes?: Array<Record<string, unknown>>;
}

export function matches(
  selector: Record<string, string>,
  labels: Record<string, string> | undefined,
): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}
