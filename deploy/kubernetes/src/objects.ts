import { ApiObject, type ApiObjectProps, type Chart } from "cdk8s";

/** Any Kubernetes object as plain JSON (typed at the call sites with kubernetes-models' interfaces). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** An object of a kubernetes-models interface, with the name it declares. */
export type Named<T> = T & KubeObject;

/** Adds `object` to `chart` with the name it declares (no generated suffixes). */
export function add<T extends KubeObject>(chart: Chart, object: T): T {
  const { metadata } = object;
  new ApiObject(
    chart,
    `${object.kind}-${metadata.namespace ?? "cluster"}-${metadata.name}`,
    object as ApiObjectProps,
  );
  return object;
}
