import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { Construct } from "constructs";
import { type Alerts, above, errorRate } from "./alerts.js";
import type { LambdaApi } from "./lambda-api.js";
import { proxyClientConnectionCeiling } from "./lambda-settings.js";
import { graph } from "./status-dashboard.js";

/** The alarms below (their runbooks are docs/runbooks/aws-<kebab id>.md, linked only in this variant). */
export const LAMBDA_ALARM_IDS = [
  "LambdaErrors",
  "LambdaThrottles",
  "LambdaDurationP95",
  "HttpApi5xxRate",
  "ProxyClientConnections",
] as const;

export interface LambdaAlarmsProps {
  readonly alerts: Alerts;
  readonly api: LambdaApi;
}

/**
 * The API's alarms in the Lambda variant, for the backend team (and, like every alarm, the
 * monitoring team), in place of the load balancer and ECS alarms: function errors, throttles,
 * duration p95, 5xx at the HTTP API, and RDS Proxy client connections near their ceiling. Also
 * the graphs that replace the load-balancer row of the status dashboard.
 */
export class LambdaAlarms extends Construct {
  public readonly widgets: cloudwatch.IWidget[];

  constructor(scope: Construct, id: string, props: LambdaAlarmsProps) {
    super(scope, id);
    const { alerts, api } = props;
    const fn = api.alias;
    const functionName = api.functionName;
    const fiveMinutes = Duration.minutes(5);
    const minute = Duration.minutes(1);
    const logGroup = api.logGroup.logGroupName;
    const apiGateway = (metricName: string, period: Duration, statistic = "Sum") =>
      new cloudwatch.Metric({
        namespace: "AWS/ApiGateway",
        metricName,
        dimensionsMap: { ApiId: api.httpApi.apiId, Stage: "$default" },
        period,
        statistic,
      });
    const proxyMetric = (metricName: string, period: Duration, statistic: string) =>
      new cloudwatch.Metric({
        namespace: "AWS/RDS",
        metricName,
        dimensionsMap: { ProxyName: api.proxy.dbProxyName },
        period,
        statistic,
      });

    alerts.alarm("backend", "LambdaErrors", {
      summary: { en: "API function failing", "pt-BR": "Função da API falhando" },
      metric: errorRate(
        fn.metricInvocations({ period: fiveMinutes, statistic: "Sum" }),
        fn.metricErrors({ period: fiveMinutes, statistic: "Sum" }),
        "API function errors (%)",
        fiveMinutes,
      ),
      ...above(5, { in: 2, of: 3 }),
      what: "More than 5% of API invocations end in a function error (a crash or a timeout, answered 5xx by API Gateway). Saving forms and submissions may be failing.",
      check: `The function's logs (log group ${logGroup}: "Task timed out", start-up errors), then the latest backend deploy.`,
    });
    alerts.alarm("backend", "LambdaThrottles", {
      summary: {
        en: "API function at its concurrency limit",
        "pt-BR": "Função da API no limite de concorrência",
      },
      metric: fn.metricThrottles({ period: fiveMinutes, statistic: "Sum" }),
      ...above(10, { in: 2, of: 3 }),
      what: `Requests are refused because the API function already runs at its limit of ${api.settings.maxConcurrency} at once (throttled: 429/503 to users). Respondents' phones retry, people in the workspace see errors.`,
      check: `ConcurrentExecutions of ${functionName} against its reserved concurrency, duration (slow requests hold environments longer) and the database alarms.`,
    });
    alerts.alarm("backend", "LambdaDurationP95", {
      summary: { en: "API is slow", "pt-BR": "API lenta" },
      metric: fn.metricDuration({ period: fiveMinutes, statistic: "p95" }),
      ...above(api.settings.durationP95AlarmMs, { in: 3, of: 3 }),
      what: `The API is slow: 5% of invocations take longer than ${api.settings.durationP95AlarmMs / 1000} seconds (p95 duration) for 15 minutes.`,
      check:
        "Cold starts (Init Duration in the logs), database load and slow queries (Database Insights), RDS Proxy borrow latency.",
    });
    alerts.alarm("backend", "HttpApi5xxRate", {
      summary: { en: "API answering with server errors", "pt-BR": "API respondendo com erros de servidor" },
      metric: errorRate(
        apiGateway("Count", fiveMinutes),
        apiGateway("5xx", fiveMinutes),
        "HTTP API 5xx rate (%)",
        fiveMinutes,
      ),
      ...above(5, { in: 2, of: 3 }),
      what: "More than 5% of API requests end with a 5xx error at API Gateway (the API's own 5xx, function errors and throttles). Saving forms and submissions may be failing.",
      check: `The API Gateway access log (/coleta/<env>/api-gateway: integrationError, status) and the function's logs (${logGroup}).`,
    });
    const ceiling = proxyClientConnectionCeiling(api.settings);
    alerts.alarm("backend", "ProxyClientConnections", {
      summary: {
        en: "Database proxy near its connection ceiling",
        "pt-BR": "Proxy do banco perto do limite de conexões",
      },
      metric: proxyMetric("ClientConnections", fiveMinutes, "Maximum"),
      ...above(Math.floor(ceiling * 0.8), { in: 3, of: 3 }),
      what: `The API functions hold more than 80% of the ${ceiling} connections they can open to the database proxy (${api.settings.maxConcurrency} environments × ${api.settings.databasePoolSize}) for 15 minutes: the API is close to its concurrency limit, or connections leak.`,
      check: `RDS Proxy ${api.proxy.dbProxyName}: ClientConnections, DatabaseConnections and DatabaseConnectionsBorrowLatency; the function's ConcurrentExecutions.`,
    });

    this.widgets = [
      graph("Requisições à API por minuto · API requests per minute", [
        apiGateway("Count", minute).with({ label: "requests" }),
        fn.metricThrottles({
          period: minute,
          statistic: "Sum",
          label: "throttled",
          color: cloudwatch.Color.PURPLE,
        }),
      ]),
      graph("Erros da API por minuto · API errors per minute (4xx/5xx)", [
        apiGateway("4xx", minute).with({ label: "4xx", color: cloudwatch.Color.ORANGE }),
        apiGateway("5xx", minute).with({ label: "5xx", color: cloudwatch.Color.RED }),
        fn.metricErrors({
          period: minute,
          statistic: "Sum",
          label: "function errors",
          color: cloudwatch.Color.PURPLE,
        }),
      ]),
      graph(
        "Duração p95 e conexões ao proxy · Duration p95 and proxy connections",
        [fn.metricDuration({ period: minute, statistic: "p95", label: "p95 (ms)" })],
        {
          leftAnnotations: [
            { value: api.settings.durationP95AlarmMs, label: "alarm", color: cloudwatch.Color.RED },
          ],
          right: [
            proxyMetric("ClientConnections", minute, "Maximum").with({ label: "proxy client connections" }),
          ],
          rightYAxis: { min: 0, showUnits: false },
        },
      ),
    ];
  }
}
