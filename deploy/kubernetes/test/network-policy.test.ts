// The brief: only the apps reach the database. Evaluated, not eyeballed: for every pair of endpoints
// (our pods, the ingress controller or ALB, Prometheus, DNS, a stranger pod, RDS/ElastiCache
// addresses, the internet) and every port that matters, the generated policies allow exactly the
// expected connections.
import { describe, expect, it } from "vitest";
import { API_PORT, POSTGRES_PORT } from "../../../infra/aws/lib/constructs/firewall.ts";
import { API_APP, MIGRATE_APP } from "../src/charts/api.ts";
import { POSTGIS_APP, VALKEY_APP, VALKEY_PORT } from "../src/charts/data.ts";
import { KUBE_DNS } from "../src/charts/network.ts";
import { WEB_APP, WEB_PORT } from "../src/charts/web.ts";
import { NAMESPACES } from "../src/contract.ts";
import type { KubeObject } from "../src/objects.ts";
import type { Target } from "../src/targets.ts";
import { type Endpoint, inCidr, PolicyEvaluator, selects } from "./lib/network-policy.ts";
import { builtTargets, podTemplates } from "./lib/targets.ts";

/** The pod of the workload whose template carries app.kubernetes.io/name=`name`. */
function pod(objects: KubeObject[], name: string): Endpoint {
  const found = podTemplates(objects).find((t) => t.labels["app.kubernetes.io/name"] === name);
  if (!found) throw new Error(`no workload ${name}`);
  const namedPorts = Object.fromEntries(
    found.spec.containers.flatMap((c) =>
      (c.ports ?? []).filter((p) => p.name).map((p) => [p.name, p.containerPort]),
    ),
  );
  return { name, namespace: found.owner.metadata.namespace as string, labels: found.labels, namedPorts };
}

const firstHost = (cidr: string) => cidr.replace(/\.0\/\d+$/, ".10");

function endpoints(target: Target, objects: KubeObject[]) {
  const common = {
    api: pod(objects, API_APP),
    migrate: pod(objects, MIGRATE_APP),
    prometheus: {
      name: "prometheus",
      namespace: target.prometheus.namespace,
      labels: target.prometheus.podLabels,
    },
    dns: { name: "kube-dns", namespace: KUBE_DNS.namespace, labels: KUBE_DNS.podLabels },
    stranger: { name: "stranger", namespace: "default", labels: { "app.kubernetes.io/name": "coleta-api" } },
    webTeamPod: { name: "web-team-pod", namespace: NAMESPACES.web, labels: { app: "debug" } },
    internet: { name: "internet", ip: "203.0.113.7" },
  } satisfies Record<string, Endpoint>;
  if (target.kind === "local") {
    return {
      ...common,
      front: {
        name: "traefik",
        namespace: target.ingressController.namespace,
        labels: target.ingressController.podLabels,
      },
      web: pod(objects, WEB_APP),
      database: pod(objects, POSTGIS_APP),
      cache: pod(objects, VALKEY_APP),
    };
  }
  const [isolated] = target.dataSubnetCidrs as [string];
  return {
    ...common,
    front: { name: "alb", ip: firstHost(target.albSubnetCidrs[0] as string) },
    database: { name: "rds", ip: firstHost(isolated) },
    cache: { name: "elasticache", ip: isolated.replace(/\.0\/\d+$/, ".20") },
    // A node or anything else in the VPC's private subnets: not the ALB.
    vpcHost: { name: "vpc-host", ip: privateHost(target) },
  };
}

function privateHost(target: Target): string {
  if (target.kind !== "eks") throw new Error("eks only");
  const [a, b] = target.config.network.cidr.split(".");
  const ip = `${a}.${b}.200.10`;
  if ([...target.albSubnetCidrs, ...target.dataSubnetCidrs].some((c) => inCidr(ip, c)))
    throw new Error("pick another");
  return ip;
}

describe.each(builtTargets().map((b) => [b.target.dir, b] as const))(
  "network policies of %s",
  (_dir, built) => {
    const { target, objects } = built;
    const policy = new PolicyEvaluator(objects, {
      [target.prometheus.namespace]: {},
      "kube-system": {},
      default: {},
      ...(target.kind === "local" ? { [target.ingressController.namespace]: {} } : {}),
    });
    const e = endpoints(target, objects);
    const all = Object.values(e) as Endpoint[];
    const cachePort = target.kind === "local" ? VALKEY_PORT : target.config.cache.port;

    it("every pod of ours is selected by a default-deny policy in both directions", () => {
      const ours = [e.api, e.migrate, ...("web" in e ? [e.web, e.database, e.cache] : [])];
      for (const p of ours) {
        expect(policy.allowed(e.stranger, p, API_PORT), `${p.name} from a stranger`).toBe(false);
        expect(policy.allowed(p, e.internet, 80), `${p.name} to the internet on 80`).toBe(false);
      }
    });

    it("only the API pods (and the migration Job, for the database) reach the database and the cache", () => {
      // On EKS the database and cache are VPC addresses: NetworkPolicies bind only pods in our
      // namespaces. Pods elsewhere (Prometheus, add-ons) are held back one layer down: RDS and
      // ElastiCache sit in isolated subnets and admit only the API/migration security groups, which the EKS stack gives to these
      // pods alone (SecurityGroupPolicy; infra/aws/test/eks.test.ts), never the nodes' group.
      const governed = (source: Endpoint) =>
        target.kind === "local" || Object.values(NAMESPACES).includes(source.namespace as never);
      for (const source of all.filter(governed)) {
        for (const [destination, port] of [
          [e.database, POSTGRES_PORT],
          [e.cache, cachePort],
        ] as const) {
          const expected = source === e.api || (source === e.migrate && destination === e.database);
          expect(
            policy.allowed(source, destination, port),
            `${source.name} → ${destination.name}:${port}`,
          ).toBe(expected);
        }
      }
    });

    it("only the ingress controller / ALB and Prometheus reach the API", () => {
      for (const source of all) {
        const expected = source === e.front || source === e.prometheus;
        expect(policy.allowed(source, e.api, API_PORT), `${source.name} → api:${API_PORT}`).toBe(expected);
      }
      // And nothing reaches any other port of the API pods.
      expect(policy.allowed(e.front, e.api, 9229)).toBe(false);
    });

    it("allows DNS from every pod of ours, over UDP and TCP, and to nothing else in kube-system", () => {
      const ours = [e.api, e.migrate, e.webTeamPod, ...("web" in e ? [e.web, e.database, e.cache] : [])];
      for (const p of ours) {
        expect(policy.allowed(p, e.dns, 53, "UDP"), `${p.name} DNS/UDP`).toBe(true);
        expect(policy.allowed(p, e.dns, 53, "TCP"), `${p.name} DNS/TCP`).toBe(true);
        const other = { name: "kube-proxy", namespace: "kube-system", labels: { "k8s-app": "kube-proxy" } };
        expect(policy.allowed(p, other, 53, "UDP"), `${p.name} to kube-system non-DNS`).toBe(false);
      }
    });

    if (target.kind === "local") {
      it("only the ingress controller reaches the web pods", () => {
        const web = (e as { web: Endpoint }).web;
        for (const source of all) {
          expect(policy.allowed(source, web, WEB_PORT), `${source.name} → web`).toBe(source === e.front);
        }
      });
    } else {
      it("the ALB's subnets are the VPC's public subnets, and the data subnets hold no ALB", () => {
        for (const cidr of target.albSubnetCidrs) {
          expect(target.dataSubnetCidrs.some((d) => inCidr(cidr.split("/")[0] as string, d))).toBe(false);
        }
      });
    }

    it("the selector helper understands expressions (evaluator self-check)", () => {
      expect(selects({ matchExpressions: [{ key: "a", operator: "In", values: ["x"] }] }, { a: "x" })).toBe(
        true,
      );
      expect(
        selects({ matchExpressions: [{ key: "a", operator: "NotIn", values: ["x"] }] }, { a: "x" }),
      ).toBe(false);
      expect(selects({ matchExpressions: [{ key: "a", operator: "DoesNotExist" }] }, {})).toBe(true);
    });
  },
);

describe("the evaluator itself", () => {
  it("allows everything where no policy selects a pod, and honours ipBlock except", () => {
    const open = new PolicyEvaluator([]);
    const a = { name: "a", namespace: "x", labels: {} };
    expect(open.allowed(a, { name: "b", namespace: "y", labels: {} }, 1)).toBe(true);
    const withExcept = new PolicyEvaluator([
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "p", namespace: "x" },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            { to: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }], ports: [{ port: 443 }] },
          ],
        },
      },
    ]);
    expect(withExcept.allowed(a, { name: "in", ip: "10.2.3.4" }, 443)).toBe(true);
    expect(withExcept.allowed(a, { name: "excepted", ip: "10.1.3.4" }, 443)).toBe(false);
    expect(withExcept.allowed(a, { name: "port", ip: "10.2.3.4" }, 80)).toBe(false);
    expect(withExcept.allowed(a, { name: "pod", namespace: "y", labels: {} }, 443)).toBe(false);
  });
});
