// ServiceMonitor, PrometheusRule and the Grafana dashboards, built from deploy/monitoring's
// sources (the same rules and dashboards as the compose stack, not copies).

import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { DASHBOARDS } from "../../../monitoring/src/grafana/dashboards.ts";
import { METRICS_PATH } from "../../../monitoring/src/promql.ts";
import { RULE_GROUPS, ruleFile } from "../../../monitoring/src/rules.ts";
import { API_SERVICE, NAMESPACES } from "../contract.ts";
import { selectorOf } from "../labels.ts";
import { add, type KubeObject } from "../objects.ts";
import { API_APP } from "./api.ts";

/** kube-prometheus-stack picks up ServiceMonitors and rules labelled with its release name. */
export const PROMETHEUS_RELEASE_LABEL = { release: "kube-prometheus-stack" };

export function observabilityChart(scope: Construct): Chart {
  const chart = new Chart(scope, "observability");
  const namespace = NAMESPACES.api;
  const labels = { "app.kubernetes.io/part-of": "coleta", ...PROMETHEUS_RELEASE_LABEL };
  add<IServiceMonitor & KubeObject>(chart, {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    // Prometheus Operator names the job after the Service: job="coleta-api", as the rules expect.
    metadata: { name: API_SERVICE, namespace, labels },
    spec: {
      selector: { matchLabels: selectorOf(API_APP) },
      endpoints: [{ port: "http", path: METRICS_PATH, interval: "15s" }],
    },
  });
  const rules = ruleFile([...RULE_GROUPS.recording, ...RULE_GROUPS.alerts]);
  add<IPrometheusRule & KubeObject>(chart, {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: "coleta", namespace, labels },
    spec: rules as IPrometheusRule["spec"],
  });
  for (const dashboard of DASHBOARDS) {
    add<IConfigMap & KubeObject>(chart, {
      apiVersion: "v1",
      kind: "ConfigMap",
      // Grafana's dashboard sidecar loads ConfigMaps with this label (docs/kubernetes.md).
      metadata: {
        name: `grafana-dashboard-${dashboard.file.replace(/\.json$/, "")}`,
        namespace,
        labels: { "app.kubernetes.io/part-of": "coleta", grafana_dashboard: "1" },
      },
      data: { [dashboard.file]: JSON.stringify(dashboard.build(), null, 2) },
    });
  }
  return chart;
}
