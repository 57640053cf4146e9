import { JOB, METRICS_PATH } from "./promql.ts";

export interface PrometheusOptions {
  /** host:port of each API replica. */
  apiTargets: string[];
  scrapeInterval: string;
  evaluationInterval: string;
  scrapeTimeout?: string;
  /** Rule files, relative to prometheus.yml or absolute. */
  ruleFiles: string[];
  /** host:port of Alertmanager; none = no alerting section. */
  alertmanagers?: string[];
  /** Also scrape Prometheus itself at this host:port. */
  selfTarget?: string;
}

/** prometheus.yml: the API replicas as job "coleta-api" at /backend/metrics, plus rules and alerting. */
export function prometheusConfig(o: PrometheusOptions) {
  const scrape = [
    {
      job_name: JOB,
      metrics_path: METRICS_PATH,
      ...(o.scrapeTimeout ? { scrape_timeout: o.scrapeTimeout } : {}),
      static_configs: [{ targets: o.apiTargets }],
    },
  ];
  if (o.selfTarget)
    scrape.push({
      job_name: "prometheus",
      metrics_path: "/metrics",
      static_configs: [{ targets: [o.selfTarget] }],
    });
  return {
    global: { scrape_interval: o.scrapeInterval, evaluation_interval: o.evaluationInterval },
    rule_files: o.ruleFiles,
    ...(o.alertmanagers?.length
      ? { alerting: { alertmanagers: [{ static_configs: [{ targets: o.alertmanagers }] }] } }
      : {}),
    scrape_configs: scrape,
  };
}

/** The docker-compose stack (deploy/compose): two replicas, Alertmanager, 15 s resolution. */
export const COMPOSE_PROMETHEUS: PrometheusOptions = {
  apiTargets: ["api-1:3000", "api-2:3000"],
  scrapeInterval: "15s",
  evaluationInterval: "15s",
  ruleFiles: ["rules/*.yml"],
  alertmanagers: ["alertmanager:9093"],
  selfTarget: "localhost:9090",
};
