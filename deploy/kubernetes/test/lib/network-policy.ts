// A small NetworkPolicy evaluator (networking.k8s.io/v1 semantics) over generated objects: is a
// connection from one endpoint to another endpoint's port allowed? Covers what the manifests use:
// podSelector / namespaceSelector with matchLabels and matchExpressions, ipBlock (with except) for
// endpoints outside the cluster, numeric and named ports, protocols, endPort.
import type { KubeObject } from "../../src/objects.ts";

export interface Endpoint {
  readonly name: string;
  /** Pods have a namespace and labels; endpoints outside the cluster have an IP only. */
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly ip?: string;
  /** Named container ports (for policies that name ports). */
  readonly namedPorts?: Record<string, number>;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    values?: string[];
  }>;
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: PolicyPort[];
}
interface PolicySpec {
  podSelector: LabelSelector;
  policyTypes?: Array<"Ingress" | "Egress">;
  ingress?: Rule[];
  egress?: Rule[];
}

export function selects(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e) => {
    const has = e.key in labels;
    const value = labels[e.key];
    switch (e.operator) {
      case "In":
        return has && (e.values ?? []).includes(value as string);
      case "NotIn":
        return !has || !(e.values ?? []).includes(value as string);
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
      default:
        return false;
    }
  });
  return byLabel && byExpression;
}

function ipToInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/") as [string, string];
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToInt(base) / size) * size;
  const n = ipToInt(ip);
  return n >= start && n < start + size;
}

export class PolicyEvaluator {
  private readonly policies: Array<{ namespace: string; spec: PolicySpec }>;
  private readonly namespaceLabels: Map<string, Record<string, string>>;

  constructor(objects: KubeObject[], extraNamespaces: Record<string, Record<string, string>> = {}) {
    this.policies = objects
      .filter((o) => o.kind === "NetworkPolicy")
      .map((o) => ({ namespace: o.metadata.namespace as string, spec: o.spec as PolicySpec }));
    this.namespaceLabels = new Map();
    const addNamespace = (name: string, labels: Record<string, string> = {}) =>
      // Every namespace carries its name as a label (Kubernetes ≥ 1.21).
      this.namespaceLabels.set(name, { ...labels, "kubernetes.io/metadata.name": name });
    for (const ns of objects.filter((o) => o.kind === "Namespace"))
      addNamespace(ns.metadata.name, ns.metadata.labels);
    for (const [name, labels] of Object.entries(extraNamespaces)) addNamespace(name, labels);
  }

  /** Is a new connection from `source` to `destination`:`port`/`protocol` allowed? */
  allowed(source: Endpoint, destination: Endpoint, port: number, protocol = "TCP"): boolean {
    return (
      this.admits("Egress", source, destination, port, protocol) &&
      this.admits("Ingress", destination, source, port, protocol)
    );
  }

  /** The direction's policies selecting `pod` (none: all allowed), and whether one admits `peer`. */
  private admits(
    direction: "Ingress" | "Egress",
    pod: Endpoint,
    peer: Endpoint,
    port: number,
    protocol: string,
  ) {
    if (pod.namespace === undefined) return true; // outside the cluster: no NetworkPolicy applies
    const applicable = this.policies.filter(
      (p) =>
        p.namespace === pod.namespace &&
        selects(p.spec.podSelector, pod.labels) &&
        (p.spec.policyTypes ?? (direction === "Ingress" ? ["Ingress"] : [])).includes(direction),
    );
    if (applicable.length === 0) return true;
    const destination = direction === "Egress" ? peer : pod;
    return applicable.some((p) =>
      (direction === "Ingress" ? (p.spec.ingress ?? []) : (p.spec.egress ?? [])).some(
        (rule) =>
          this.peersMatch(direction === "Ingress" ? rule.from : rule.to, p.namespace, peer) &&
          portsMatch(rule.ports, destination, port, protocol),
      ),
    );
  }

  private peersMatch(peers: Peer[] | undefined, policyNamespace: string, peer: Endpoint): boolean {
    if (peers === undefined || peers.length === 0) return true; // empty from/to: everyone
    return peers.some((p) => {
      if (p.ipBlock) {
        // ipBlock is for addresses outside the cluster; pod IPs are implementation-defined.
        if (peer.ip === undefined || peer.namespace !== undefined) return false;
        return (
          inCidr(peer.ip, p.ipBlock.cidr) &&
          !(p.ipBlock.except ?? []).some((c) => inCidr(peer.ip as string, c))
        );
      }
      if (peer.namespace === undefined) return false;
      const namespaceOk = p.namespaceSelector
        ? selects(p.namespaceSelector, this.namespaceLabels.get(peer.namespace))
        : peer.namespace === policyNamespace;
      const podOk = p.podSelector ? selects(p.podSelector, peer.labels) : true;
      return namespaceOk && podOk;
    });
  }
}

function portsMatch(ports: PolicyPort[] | undefined, destination: Endpoint, port: number, protocol: string) {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? "TCP") !== protocol) return false;
    if (p.port === undefined) return true;
    const number = typeof p.port === "string" ? destination.namedPorts?.[p.port] : p.port;
    if (number === undefined) return false;
    return p.endPort === undefined ? number === port : port >= number && port <= p.endPort;
  });
}
