// Rules every generated object follows, checked over all targets.
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../../apps/api/src/config/env.ts";
import { MIGRATE_COMMAND } from "../../../infra/aws/lib/constructs/api.ts";
import { HEALTH_CHECK_PATH, READINESS_PATH } from "../../../infra/aws/lib/constructs/api-paths.ts";
import { RULE_GROUPS, ruleFile } from "../../monitoring/src/rules.ts";
import { buildTarget } from "../src/app.ts";
import { API_APP, API_SECRETS, LOCAL_DATABASE_SECRET, TERMINATION_GRACE_SECONDS } from "../src/charts/api.ts";
import { TEAM_RULES } from "../src/charts/platform.ts";
import { API_SERVICE, eksTargetGroupName, NAMESPACES } from "../src/contract.ts";
import { MIGRATION_WAIT_SCRIPT, migrationJobName } from "../src/migration-wait.ts";
import type { KubeObject } from "../src/objects.ts";
import { API_DEFAULTS } from "../src/settings.ts";
import { builtTargets, type Container, matches, ofKind, podTemplates } from "./lib/targets.ts";

const DIGEST_REF = /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+@sha256:[0-9a-f]{64}$/;
/** Third-party images: an explicit version tag, never latest. */
const TAGGED_REF = /^[a-z0-9.-]+(\/[a-z0-9._-]+)*:(?!latest$)[A-Za-z0-9._-]+$/;

function namedPorts(containers: Container[]): Map<string | number, number> {
  const ports = new Map<string | number, number>();
  for (const c of containers)
    for (const p of c.ports ?? []) {
      ports.set(p.containerPort, p.containerPort);
      if (p.name) ports.set(p.name, p.containerPort);
    }
  return ports;
}

describe.each(builtTargets().map((b) => [b.target.dir, b] as const))("%s", (_dir, { target, objects }) => {
  const templates = podTemplates(objects);
  const containers = templates.flatMap((t) =>
    [...(t.spec.initContainers ?? []), ...t.spec.containers].map((c) => ({ owner: t.owner, c })),
  );

  it("names every image by digest (Coleta) or by an exact version tag (third party), never latest", () => {
    for (const { owner, c } of containers) {
      const ours = c.image.includes("coleta-");
      expect(c.image, `${owner.metadata.name}/${c.name}`).toMatch(ours ? DIGEST_REF : TAGGED_REF);
    }
  });

  it("gives every container requests and limits, and runs it non-root, read-only, without capabilities", () => {
    for (const { owner, c } of containers) {
      const where = `${owner.metadata.name}/${c.name}`;
      expect(c.resources?.requests?.cpu, where).toBeDefined();
      expect(c.resources?.requests?.memory, where).toBeDefined();
      expect(c.resources?.limits?.cpu, where).toBeDefined();
      expect(c.resources?.limits?.memory, where).toBeDefined();
      expect(c.securityContext, where).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(c.securityContext?.runAsUser, where).toBeGreaterThan(0);
    }
  });

  it("probes every long-running container (Jobs run to completion and have none)", () => {
    for (const t of templates.filter((t) => t.owner.kind !== "Job")) {
      for (const c of t.spec.containers) {
        const where = `${t.owner.metadata.name}/${c.name}`;
        expect(c.livenessProbe, where).toBeDefined();
        expect(c.readinessProbe, where).toBeDefined();
        expect(c.startupProbe, where).toBeDefined();
      }
    }
  });

  it("probes the API on its health routes: liveness without the database, readiness with it", () => {
    const api = ofKind(objects, "Deployment").find((d) => d.metadata.name === API_APP);
    const container = ((api?.spec ?? {}) as { template: { spec: { containers: Container[] } } }).template.spec
      .containers[0];
    expect(container?.startupProbe).toMatchObject({ httpGet: { path: HEALTH_CHECK_PATH } });
    expect(container?.livenessProbe).toMatchObject({ httpGet: { path: HEALTH_CHECK_PATH } });
    expect(container?.readinessProbe).toMatchObject({ httpGet: { path: READINESS_PATH } });
  });

  it("lets the API drain: termination grace longer than its shutdown timeout plus the preStop pause", () => {
    const api = templates.find((t) => t.owner.metadata.name === API_APP);
    expect(api?.spec.terminationGracePeriodSeconds).toBe(TERMINATION_GRACE_SECONDS);
    expect(TERMINATION_GRACE_SECONDS * 1000).toBeGreaterThan(API_DEFAULTS.SHUTDOWN_TIMEOUT_MS + 5000);
    // Nothing overrides the default the grace period was computed from.
    const env = api?.spec.containers[0]?.env ?? [];
    expect(env.find((e) => e.name === "SHUTDOWN_TIMEOUT_MS")).toBeUndefined();
  });

  it("spreads the API across zones", () => {
    const api = templates.find((t) => t.owner.metadata.name === API_APP);
    const zone = api?.spec.topologySpreadConstraints?.find(
      (c) => c.topologyKey === "topology.kubernetes.io/zone",
    );
    expect(zone?.whenUnsatisfiable).toBe(target.kind === "eks" ? "DoNotSchedule" : "ScheduleAnyway");
  });

  it("has a PodDisruptionBudget for every Deployment and StatefulSet", () => {
    const pdbs = ofKind<{ spec: { selector: { matchLabels: Record<string, string> } } }>(
      objects,
      "PodDisruptionBudget",
    );
    for (const t of templates.filter((t) => t.owner.kind !== "Job")) {
      const covering = pdbs.filter(
        (p) =>
          p.metadata.namespace === t.owner.metadata.namespace &&
          matches(p.spec.selector.matchLabels, t.labels),
      );
      expect(covering, `${t.owner.kind} ${t.owner.metadata.name}`).toHaveLength(1);
    }
  });

  it("scales the API with an HPA on CPU, targeting the Deployment that exists", () => {
    const [hpa] = ofKind<{
      spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number };
    }>(objects, "HorizontalPodAutoscaler");
    expect(hpa?.spec.scaleTargetRef).toMatchObject({ kind: "Deployment", name: API_APP });
    expect(hpa?.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa?.spec.maxReplicas).toBeGreaterThanOrEqual(hpa?.spec.minReplicas ?? Number.POSITIVE_INFINITY);
  });

  it("has Services that select existing pods on ports those pods declare", () => {
    for (const svc of ofKind<{
      spec: { selector: Record<string, string>; ports: Array<{ targetPort: string | number }> };
    }>(objects, "Service")) {
      const pods = templates.filter(
        (t) => t.owner.metadata.namespace === svc.metadata.namespace && matches(svc.spec.selector, t.labels),
      );
      expect(pods.length, `Service ${svc.metadata.name}`).toBeGreaterThan(0);
      for (const port of svc.spec.ports) {
        for (const p of pods)
          expect(
            namedPorts(p.spec.containers).has(port.targetPort),
            `${svc.metadata.name}:${port.targetPort}`,
          ).toBe(true);
      }
    }
  });

  it("routes every Ingress path and TargetGroupBinding to an existing Service port", () => {
    const services = ofKind<{ spec: { ports: Array<{ port: number }> } }>(objects, "Service");
    const service = (namespace: string | undefined, name: string, port: number) =>
      services.find(
        (s) =>
          s.metadata.namespace === namespace &&
          s.metadata.name === name &&
          s.spec.ports.some((p) => p.port === port),
      );
    const ingresses = ofKind<{
      spec: {
        rules: Array<{
          host: string;
          http: {
            paths: Array<{ path: string; backend: { service: { name: string; port: { number: number } } } }>;
          };
        }>;
      };
    }>(objects, "Ingress");
    for (const ing of ingresses) {
      for (const path of ing.spec.rules.flatMap((r) => r.http.paths)) {
        const { name, port } = path.backend.service;
        expect(
          service(ing.metadata.namespace, name, port.number),
          `${ing.metadata.name} ${path.path}`,
        ).toBeDefined();
      }
    }
    const bindings = ofKind<{
      spec: { serviceRef: { name: string; port: number }; targetGroupName: string };
    }>(objects, "TargetGroupBinding");
    if (target.kind === "local") {
      const paths = ingresses.flatMap((i) =>
        i.spec.rules.flatMap((r) => r.http.paths.map((p) => `${r.host}${p.path}`)),
      );
      expect(paths.sort()).toEqual([`${target.host}/backend`, `${target.host}/frontend`]);
      expect(bindings).toHaveLength(0);
    } else {
      expect(ingresses).toHaveLength(0);
      expect(bindings).toHaveLength(1);
      const [binding] = bindings;
      expect(
        service(
          binding?.metadata.namespace,
          binding?.spec.serviceRef.name ?? "",
          binding?.spec.serviceRef.port ?? 0,
        ),
      ).toBeDefined();
      expect(binding?.spec.targetGroupName).toBe(eksTargetGroupName(target.config.envName));
    }
  });

  it("gives the API and the migration settings the API itself accepts", () => {
    for (const t of templates.filter((t) => t.owner.metadata.namespace === NAMESPACES.api)) {
      const main = t.spec.containers[0] as Container;
      const input: Record<string, string> = {};
      for (const e of main.env ?? []) {
        // Secret values are not in the manifests: stand in with values of the right shape.
        input[e.name] =
          e.value ?? (e.name === "AUTH_SECRET" ? "x".repeat(48) : `stand_in_${e.name.toLowerCase()}`);
      }
      for (const name of ["DATABASE_PORT", "REDIS_PORT"])
        if (!/^\d+$/.test(input[name] ?? "1")) input[name] = "5432";
      if (input.DATABASE_SSL_SERVERNAME) input.DATABASE_SSL_SERVERNAME = "db.example.internal";
      expect(() => parseEnv(input), `${t.owner.metadata.name}`).not.toThrow();
      expect(input.MIGRATE_ON_START).toBe("false");
    }
  });

  it("reads secrets only from the Secrets it documents or External Secrets creates", () => {
    const created = new Set(ofKind(objects, "ExternalSecret").map((e) => e.metadata.name));
    const expected =
      target.kind === "local"
        ? new Set([LOCAL_DATABASE_SECRET, API_SECRETS.api])
        : new Set([API_SECRETS.api, API_SECRETS.migrate, API_SECRETS.settings]);
    for (const { owner, c } of containers) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (!ref) continue;
        expect(expected.has(ref.name), `${owner.metadata.name}/${c.name} ${e.name} ← ${ref.name}`).toBe(true);
        if (target.kind === "eks") expect(created.has(ref.name), ref.name).toBe(true);
      }
    }
    if (target.kind === "eks") {
      // Each key the containers read is one the ExternalSecret fills.
      const keys = new Map(
        ofKind<{ spec: { data: Array<{ secretKey: string }> } }>(objects, "ExternalSecret").map((e) => [
          e.metadata.name,
          new Set(e.spec.data.map((d) => d.secretKey)),
        ]),
      );
      for (const { c } of containers) {
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref) expect(keys.get(ref.name)?.has(ref.key), `${ref.name}.${ref.key}`).toBe(true);
        }
      }
    }
  });

  it("runs the migration as a Job of the same image, and holds API pods until it completed", () => {
    const api = templates.find((t) => t.owner.metadata.name === API_APP);
    const image = api?.spec.containers[0]?.image as string;
    const [job] = ofKind(objects, "Job");
    expect(job?.metadata.name).toBe(migrationJobName(image));
    const jobSpec = ((job?.spec ?? {}) as { template: { spec: { containers: Container[] } } }).template.spec;
    expect(jobSpec.containers[0]?.image).toBe(image);
    expect(jobSpec.containers[0]?.command).toEqual(MIGRATE_COMMAND);
    const [wait] = api?.spec.initContainers ?? [];
    expect(wait?.image).toBe(image);
    expect(wait?.command).toEqual(["node", "-e", MIGRATION_WAIT_SCRIPT]);
    expect(wait?.env?.find((e) => e.name === "JOB_NAME")?.value).toBe(job?.metadata.name);
    // Old pods keep serving until the new ones (past the init container) are ready.
    expect(
      (
        (ofKind(objects, "Deployment").find((d) => d.metadata.name === API_APP)?.spec ?? {}) as {
          strategy: unknown;
        }
      ).strategy,
    ).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    // The Job is never garbage-collected: pods started later still find it.
    expect(((job?.spec ?? {}) as Record<string, unknown>).ttlSecondsAfterFinished).toBeUndefined();
  });

  it("gives the teams a Role in their own namespace only", () => {
    const bindings = ofKind<{ subjects: Array<{ kind: string; name: string }>; roleRef: { kind: string } }>(
      objects,
      "RoleBinding",
    );
    const groups = bindings.filter((b) => b.subjects.some((s) => s.kind === "Group"));
    expect(groups.map((b) => `${b.metadata.namespace}:${b.subjects[0]?.name}`).sort()).toEqual([
      "coleta-api:coleta:api-team",
      "coleta-web:coleta:web-team",
    ]);
    for (const b of groups) expect(b.roleRef.kind).toBe("Role");
    expect(ofKind(objects, "ClusterRoleBinding")).toHaveLength(0);
    const roles = ofKind<{ rules: Array<{ resources: string[]; verbs: string[] }> }>(objects, "Role");
    for (const role of roles) {
      for (const rule of role.rules) {
        const writes = rule.verbs.some((v) => ["create", "update", "patch", "delete"].includes(v));
        const guarded = ["networkpolicies", "roles", "rolebindings", "secrets", "resourcequotas"];
        if (writes)
          expect(
            rule.resources.filter((r) => guarded.includes(r)),
            role.metadata.name,
          ).toEqual([]);
      }
    }
  });

  it("lets each team apply its own file: read every object in it, create the Job, patch the Deployment", () => {
    const plural: Record<string, [string, string]> = {
      ServiceAccount: ["", "serviceaccounts"],
      Role: ["rbac.authorization.k8s.io", "roles"],
      RoleBinding: ["rbac.authorization.k8s.io", "rolebindings"],
      Job: ["batch", "jobs"],
      Deployment: ["apps", "deployments"],
      Service: ["", "services"],
      HorizontalPodAutoscaler: ["autoscaling", "horizontalpodautoscalers"],
      PodDisruptionBudget: ["policy", "poddisruptionbudgets"],
      ConfigMap: ["", "configmaps"],
    };
    const may = (verb: string, kind: string) => {
      const [group, resource] = plural[kind] ?? ["?", "?"];
      return TEAM_RULES?.some(
        (r) => r.apiGroups?.includes(group) && r.resources?.includes(resource) && r.verbs.includes(verb),
      );
    };
    const files = buildTarget(target).filter((c) => c.file === "30-api.yaml" || c.file === "40-web.yaml");
    expect(files.length).toBe(target.kind === "local" ? 2 : 1);
    for (const o of files.flatMap((f) => f.objects)) expect(may("get", o.kind), `get ${o.kind}`).toBe(true);
    expect(may("create", "Job")).toBe(true);
    expect(may("patch", "Deployment")).toBe(true);
  });

  it("enforces the restricted Pod Security Standard on every namespace", () => {
    for (const ns of ofKind(objects, "Namespace")) {
      expect(ns.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    }
  });

  it("monitors the API with the same rules and dashboards as deploy/monitoring", () => {
    const [monitor] = ofKind<{
      spec: { selector: { matchLabels: Record<string, string> }; endpoints: Array<{ port: string }> };
    }>(objects, "ServiceMonitor");
    const apiService = ofKind<{ metadata: { labels: Record<string, string> } }>(objects, "Service").find(
      (s) => s.metadata.name === API_SERVICE,
    );
    expect(matches(monitor?.spec.selector.matchLabels ?? { none: "x" }, apiService?.metadata.labels)).toBe(
      true,
    );
    const [rule] = ofKind(objects, "PrometheusRule");
    expect(rule?.spec).toEqual(ruleFile([...RULE_GROUPS.recording, ...RULE_GROUPS.alerts]));
    const dashboards = ofKind<{ data: Record<string, string> }>(objects, "ConfigMap").filter(
      (c) => c.metadata.labels?.grafana_dashboard === "1",
    );
    expect(dashboards.length).toBeGreaterThanOrEqual(2);
    for (const d of dashboards)
      expect(() => Object.values(d.data).map((json) => JSON.parse(json))).not.toThrow();
  });
});

it("every object has a unique kind/namespace/name within its target", () => {
  for (const { objects } of builtTargets()) {
    const keys = objects.map((o: KubeObject) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  }
});
