import { COMPOSE_PROMETHEUS } from "../prometheus.ts";

/** The one data source both dashboards query; its uid is fixed so dashboards can reference it. */
export const DATASOURCE = { type: "prometheus", uid: "coleta-prometheus" } as const;
export const PROMETHEUS_URL = "http://prometheus:9090";
/** Where docker-compose mounts grafana/dashboards inside the Grafana container. */
export const DASHBOARDS_CONTAINER_DIR = "/etc/grafana/dashboards/coleta";

/** provisioning/datasources/prometheus.yml */
export function datasources() {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: "Prometheus",
        uid: DATASOURCE.uid,
        type: DATASOURCE.type,
        access: "proxy",
        url: PROMETHEUS_URL,
        isDefault: true,
        editable: false,
        // Grafana's $__rate_interval is derived from this: keep it equal to the scrape interval.
        jsonData: { timeInterval: COMPOSE_PROMETHEUS.scrapeInterval, httpMethod: "POST" },
      },
    ],
  };
}

/** provisioning/dashboards/coleta.yml: the generated dashboards, read-only, in folder "Coleta". */
export function dashboardProvider(path: string) {
  return {
    apiVersion: 1,
    providers: [
      {
        name: "coleta",
        orgId: 1,
        folder: "Coleta",
        type: "file",
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 60,
        options: { path, foldersFromFilesStructure: false },
      },
    ],
  };
}
