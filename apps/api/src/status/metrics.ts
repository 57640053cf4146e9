import { COMPONENT_IDS, type ComponentId, type Level } from "@coleta/monitoring";
import { Counter, Gauge, type Registry } from "prom-client";
import { DEPENDENCIES, type DependencyId } from "./classify";
import { LEVEL_VALUE } from "./evaluate";

// The names below are queried by the Prometheus rules and Grafana dashboards in deploy/monitoring:
// do not rename them or their labels.
export interface StatusMetrics {
  setLevel(component: ComponentId, level: Level): void;
  dependencyChecked(dependency: DependencyId, ok: boolean): void;
}

function existing<T>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}

export function registerStatusMetrics(registry: Registry): StatusMetrics {
  const level =
    existing<Gauge<"component">>(registry, "coleta_status_level") ??
    new Gauge({
      name: "coleta_status_level",
      help: "Status board level per component: 0 ok, 1 degraded, 2 down",
      labelNames: ["component"] as const,
      registers: [registry],
    });
  const up =
    existing<Gauge<"dependency">>(registry, "coleta_dependency_up") ??
    new Gauge({
      name: "coleta_dependency_up",
      help: "Whether the last check of a dependency (database, cache) succeeded: 1 up, 0 down",
      labelNames: ["dependency"] as const,
      registers: [registry],
    });
  const checks =
    existing<Counter<"dependency" | "result">>(registry, "coleta_dependency_checks_total") ??
    new Counter({
      name: "coleta_dependency_checks_total",
      help: "Dependency checks by the status prober, by result (ok, fail)",
      labelNames: ["dependency", "result"] as const,
      registers: [registry],
    });
  // Every series exists from the start, so dashboards and rate() see zeros rather than gaps.
  for (const component of COMPONENT_IDS) level.set({ component }, 0);
  for (const dependency of DEPENDENCIES) {
    checks.inc({ dependency, result: "ok" }, 0);
    checks.inc({ dependency, result: "fail" }, 0);
  }
  return {
    setLevel: (component, value) => level.set({ component }, LEVEL_VALUE[value]),
    dependencyChecked(dependency, ok) {
      up.set({ dependency }, ok ? 1 : 0);
      checks.inc({ dependency, result: ok ? "ok" : "fail" });
    },
  };
}
