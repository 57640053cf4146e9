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

interface MetricOptions<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
}

/** The metric `options.name` of `registry`, created the first time: the board may be wired twice on one registry. */
function registered<L extends string, M>(
  registry: Registry,
  Metric: new (options: MetricOptions<L> & { registers: Registry[] }) => M,
  options: MetricOptions<L>,
): M {
  return (
    (registry.getSingleMetric(options.name) as M | undefined) ??
    new Metric({ ...options, registers: [registry] })
  );
}

export function registerStatusMetrics(registry: Registry): StatusMetrics {
  const level = registered(registry, Gauge<"component">, {
    name: "coleta_status_level",
    help: "Status board level per component: 0 ok, 1 degraded, 2 down",
    labelNames: ["component"],
  });
  const up = registered(registry, Gauge<"dependency">, {
    name: "coleta_dependency_up",
    help: "Whether the last check of a dependency (database, cache) succeeded: 1 up, 0 down",
    labelNames: ["dependency"],
  });
  const checks = registered(registry, Counter<"dependency" | "result">, {
    name: "coleta_dependency_checks_total",
    help: "Dependency checks by the status prober, by result (ok, fail)",
    labelNames: ["dependency", "result"],
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
