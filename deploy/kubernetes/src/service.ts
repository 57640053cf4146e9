import type { Chart } from "cdk8s";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IService } from "kubernetes-models/v1/Service";
import { selectorOf } from "./labels.ts";
import { add, type Named } from "./objects.ts";

export interface Exposed {
  /** The app the Service and the budget select (`app.kubernetes.io/name`). */
  readonly app: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/** A Service for `app` on one named port: `port` forwards to the container port of that name. */
export function addService(
  chart: Chart,
  of: Exposed,
  port: { readonly name: string; readonly port: number },
  options: { readonly serviceName?: string; readonly type?: "ClusterIP" } = {},
): void {
  add<Named<IService>>(chart, {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: options.serviceName ?? of.app, namespace: of.namespace, labels: of.labels },
    spec: {
      ...(options.type && { type: options.type }),
      selector: selectorOf(of.app),
      ports: [{ name: port.name, port: port.port, targetPort: port.name, protocol: "TCP" }],
    },
  });
}

/**
 * At most one pod of `app` down at a time for a voluntary disruption (a node drain): with two
 * replicas one keeps serving; with one, a drain may move it (with downtime) and the budget says so.
 */
export function addDisruptionBudget(chart: Chart, of: Exposed): void {
  add<Named<IPodDisruptionBudget>>(chart, {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: of.app, namespace: of.namespace, labels: of.labels },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf(of.app) } },
  });
}
