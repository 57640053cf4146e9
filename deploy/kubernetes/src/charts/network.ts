// Default-deny NetworkPolicies in every Coleta namespace, then exactly these paths:
// - DNS (kube-system/kube-dns, 53) from every pod;
// - to the API: the ingress controller (local) or the ALB's subnets (EKS), and Prometheus;
// - to the database and the cache: the API pods (and the migration Job, for the database);
// - the API's init container to the Kubernetes API (it reads the migration Job), AWS APIs on EKS.
// test/network-policy.test.ts evaluates these objects pod by pod and port by port.

import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IIoK8sApiNetworkingV1NetworkPolicyPeer as Peer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { IIoK8sApiNetworkingV1NetworkPolicyPort as Port } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort";
import { API_PORT, POSTGRES_PORT } from "../../../../infra/aws/lib/constructs/firewall.ts";
import { NAMESPACES } from "../contract.ts";
import { selectorOf } from "../labels.ts";
import { add, type KubeObject } from "../objects.ts";
import type { PodSource, Target } from "../targets.ts";
import { API_APP, MIGRATE_APP } from "./api.ts";
import { POSTGIS_APP, VALKEY_APP, VALKEY_PORT } from "./data.ts";
import { WEB_APP, WEB_PORT } from "./web.ts";

type Policy = INetworkPolicy & KubeObject;

const NAMESPACE_NAME = "kubernetes.io/metadata.name";
const tcp = (port: number): Port => ({ protocol: "TCP", port });
const podsIn = (source: PodSource): Peer => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: source.namespace } },
  podSelector: { matchLabels: source.podLabels },
});
const app = (namespace: string, name: string): Peer => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: namespace } },
  podSelector: { matchLabels: selectorOf(name) },
});
export const KUBE_DNS: PodSource = { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } };
/** Where the in-cluster API server answers once the kubernetes Service is resolved (443; 6443 on kind/k3s/minikube). */
const KUBE_API_PORTS = [443, 6443];

function policy(chart: Chart, namespace: string, name: string, spec: Policy["spec"]): void {
  add<Policy>(chart, {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace, labels: { "app.kubernetes.io/part-of": "coleta" } },
    spec,
  });
}

function baseline(chart: Chart, namespace: string): void {
  policy(chart, namespace, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  policy(chart, namespace, "allow-dns", {
    podSelector: {},
    policyTypes: ["Egress"],
    egress: [{ to: [podsIn(KUBE_DNS)], ports: [{ protocol: "UDP", port: 53 }, tcp(53)] }],
  });
}

export function networkChart(scope: Construct, target: Target): Chart {
  const chart = new Chart(scope, "network");
  const api = NAMESPACES.api;
  const namespaces = [api, NAMESPACES.web, ...(target.kind === "local" ? [NAMESPACES.data] : [])];
  for (const namespace of namespaces) baseline(chart, namespace);

  const frontDoor: Peer[] =
    target.kind === "local"
      ? [podsIn(target.ingressController)]
      : target.albSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  policy(chart, api, "api-ingress", {
    podSelector: { matchLabels: selectorOf(API_APP) },
    policyTypes: ["Ingress"],
    ingress: [
      { from: frontDoor, ports: [tcp(API_PORT)] },
      { from: [podsIn(target.prometheus)], ports: [tcp(API_PORT)] },
    ],
  });

  const database: Peer[] =
    target.kind === "local"
      ? [app(NAMESPACES.data, POSTGIS_APP)]
      : target.dataSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  const cache: Peer[] =
    target.kind === "local"
      ? [app(NAMESPACES.data, VALKEY_APP)]
      : target.dataSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  const cachePort = target.kind === "local" ? VALKEY_PORT : target.config.cache.port;
  // Anything outside the cluster on 443: on EKS the AWS APIs (S3) and the API server endpoint.
  const anywhere: Peer = { ipBlock: { cidr: "0.0.0.0/0" } };
  policy(chart, api, "api-egress", {
    podSelector: { matchLabels: selectorOf(API_APP) },
    policyTypes: ["Egress"],
    egress: [
      { to: database, ports: [tcp(POSTGRES_PORT)] },
      { to: cache, ports: [tcp(cachePort)] },
      { to: [anywhere], ports: KUBE_API_PORTS.map(tcp) },
    ],
  });
  policy(chart, api, "migrate-egress", {
    podSelector: { matchLabels: selectorOf(MIGRATE_APP) },
    policyTypes: ["Egress"],
    egress: [{ to: database, ports: [tcp(POSTGRES_PORT)] }],
  });

  if (target.kind === "local") {
    policy(chart, NAMESPACES.data, "postgis-ingress", {
      podSelector: { matchLabels: selectorOf(POSTGIS_APP) },
      policyTypes: ["Ingress"],
      ingress: [{ from: [app(api, API_APP), app(api, MIGRATE_APP)], ports: [tcp(POSTGRES_PORT)] }],
    });
    policy(chart, NAMESPACES.data, "valkey-ingress", {
      podSelector: { matchLabels: selectorOf(VALKEY_APP) },
      policyTypes: ["Ingress"],
      ingress: [{ from: [app(api, API_APP)], ports: [tcp(VALKEY_PORT)] }],
    });
    policy(chart, NAMESPACES.web, "web-ingress", {
      podSelector: { matchLabels: selectorOf(WEB_APP) },
      policyTypes: ["Ingress"],
      ingress: [{ from: [podsIn(target.ingressController)], ports: [tcp(WEB_PORT)] }],
    });
  }
  return chart;
}
