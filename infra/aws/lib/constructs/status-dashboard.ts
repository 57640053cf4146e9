import { TEAM_IDS, TEAMS, type TeamId } from "@coleta/monitoring";
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import type * as rds from "aws-cdk-lib/aws-rds";
import { Construct } from "constructs";
import type { ColetaConfig } from "../../config/types.js";
import { type AlarmEntry, type Alerts, runbookBaseUrl } from "./alerts.js";
import { cacheMemoryUsed } from "./cache.js";
import type { ColetaConstructProps } from "./construct-props.js";
import { wafBlockedRequests } from "./edge.js";
import type { HealthCheckCanary } from "./health-check-canary.js";
import {
  REJECTION_KINDS,
  type RejectionKind,
  SUBMISSION_OUTCOMES,
  type SubmissionMetrics,
} from "./submission-metrics.js";

export function dashboardName(env: string): string {
  return `coleta-${env}-status`;
}

export interface StatusDashboardProps extends ColetaConstructProps {
  readonly alerts: Alerts;
  /** The ECS variant's ALB and target group: the API row's graphs. */
  readonly loadBalancer?: elbv2.IApplicationLoadBalancer;
  readonly targetGroup?: elbv2.IApplicationTargetGroup;
  /** The API row for a variant without a load balancer (Lambda: LambdaAlarms.widgets). */
  readonly apiWidgets?: cloudwatch.IWidget[];
  readonly database: rds.IDatabaseInstance;
  readonly cacheMemberClusterIds: readonly string[];
  readonly submissions: SubmissionMetrics;
  readonly healthCheck: HealthCheckCanary;
}

/** Server errors are the red part of the refused-answers graph (the runbooks say so). */
const REJECTION_COLORS: Record<RejectionKind, string> = {
  validation: cloudwatch.Color.ORANGE,
  rate_limited: cloudwatch.Color.PURPLE,
  form_unavailable: cloudwatch.Color.GREY,
  server_error: cloudwatch.Color.RED,
};

/** A graph of the status dashboard: a third of a row, the y axis from 0. */
export function graph(
  title: string,
  left: cloudwatch.IMetric[],
  options: Partial<cloudwatch.GraphWidgetProps> = {},
): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title,
    left,
    width: 8,
    height: 6,
    leftYAxis: { min: 0, showUnits: false },
    ...options,
  });
}

/** Markdown table cell: no pipes or line breaks. */
const cell = (text: string) => text.replace(/\|/g, "/").replace(/\s+/g, " ").trim();

/**
 * The first (and only) explanation a non-technical person needs: what the colours mean, what each
 * alarm means in a few words, and whom to call, in Portuguese and English.
 */
export function dashboardIntro(config: ColetaConfig): string {
  const env = config.envName;
  const contacts = config.alerts.contacts;
  const rows = TEAM_IDS.map((team) =>
    [
      `**${TEAMS[team].name["pt-BR"]}** · ${TEAMS[team].name.en}`,
      `${TEAMS[team].owns["pt-BR"]} · ${TEAMS[team].owns.en}`,
      contacts[team].name,
      contacts[team].phone,
      contacts[team].chat,
      config.alerts[team].join(", "),
    ]
      .map(cell)
      .join(" | "),
  );
  return [
    `# Coleta ${env}: painel de status · status board`,
    "",
    "**Português.** Cada quadro colorido abaixo é um alarme (uma luz), agrupado pelo time que resolve. " +
      "**Verde (OK):** tudo certo, nada a fazer. " +
      "**Vermelho (ALARM):** algo está errado agora: abra o runbook do alarme (tabela ao lado; o link também está na descrição do alarme e no e-mail), ligue para o time dono e diga o nome do alarme e desde quando está vermelho. " +
      "**Cinza (dados insuficientes):** ainda sem medições (normal logo após uma implantação ou sem uso); se durar mais de uma hora, avise o time de plataforma. " +
      "A cada mudança (ALARM e OK) chega um e-mail para o time dono e para o time de monitoramento.",
    "",
    "**English.** Each coloured box below is an alarm (a light), grouped by the team that fixes it. " +
      "**Green (OK):** all good, nothing to do. " +
      "**Red (ALARM):** something is wrong now: open the alarm's runbook (table on the right; the link is also in the alarm's description and in the e-mail), call the owning team and tell them the alarm's name and since when it is red. " +
      "**Grey (insufficient data):** no measurements yet (normal right after a deploy or without use); if it lasts more than an hour, tell the platform team. " +
      "Every change (ALARM and OK) e-mails the owning team and the monitoring team.",
    "",
    "## Quem chamar · Whom to call",
    "",
    "| Time · Team | Cuida de · Owns | Contato · Contact | Telefone · Phone | Chat | E-mail |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r} |`),
    "",
    `Monitoramento (recebe todos os alarmes) · Monitoring (gets every alarm): ${config.alerts.monitoring.join(", ")}`,
  ].join("\n");
}

/** One line per alarm: what it means and its runbook. */
export function alarmGlossary(config: ColetaConfig, entries: readonly AlarmEntry[]): string {
  const base = runbookBaseUrl(config).replace(/\/+$/, "");
  const rows = entries.map((e) =>
    [
      `\`${e.id}\``,
      TEAMS[e.team].name["pt-BR"],
      e.summary["pt-BR"],
      e.summary.en,
      `[${e.runbook}](${base}/${e.runbook}.md)`,
    ]
      .map((c) => (c.startsWith("[") ? c : cell(c)))
      .join(" | "),
  );
  return [
    "## O que cada alarme quer dizer · What each alarm means",
    "",
    `Nome completo · full name: \`coleta-${config.envName}-<time·team>-<alarme·alarm>\``,
    "",
    "| Alarme · Alarm | Time · Team | Significa | Means | Runbook |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r} |`),
  ].join("\n");
}

/**
 * Dashboard coleta-<env>-status. Row 1: the explanation for the monitoring team (pt-BR + en,
 * contacts, what each alarm means). Row 2: alarm status per owning team. Then graphs: API requests,
 * 4xx/5xx, p95 latency (ALB), answers accepted and refused per minute (log metric filters), the
 * health-check canary, database CPU / connections / free storage, cache memory, WAF blocked requests.
 */
export class StatusDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: StatusDashboardProps) {
    super(scope, id);
    const { config, alerts } = props;
    const env = config.envName;
    const minute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);

    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      dashboardName: dashboardName(env),
      defaultInterval: Duration.hours(3),
      periodOverride: cloudwatch.PeriodOverride.AUTO,
    });

    const glossaryRows = alerts.entries.length + 6;
    const introHeight = Math.max(14, Math.ceil(glossaryRows * 0.75) + 2);
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: dashboardIntro(config),
        width: 12,
        height: introHeight,
        background: cloudwatch.TextWidgetBackground.SOLID,
      }),
      new cloudwatch.TextWidget({
        markdown: alarmGlossary(config, alerts.entries),
        width: 12,
        height: introHeight,
        background: cloudwatch.TextWidgetBackground.SOLID,
      }),
    );

    const contacts = config.alerts.contacts;
    const statusHeight = Math.max(...TEAM_IDS.map((team) => alerts.alarmsOf(team).length)) + 2;
    this.dashboard.addWidgets(
      ...TEAM_IDS.map(
        (team: TeamId) =>
          new cloudwatch.AlarmStatusWidget({
            title: `${TEAMS[team].name["pt-BR"]} · ${TEAMS[team].name.en}: ${contacts[team].name}, ${contacts[team].phone}`,
            alarms: alerts.alarmsOf(team).map((e) => e.alarm),
            width: 8,
            height: statusHeight,
            sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
          }),
      ),
    );

    const hline = (value: number, label: string): cloudwatch.HorizontalAnnotation => ({
      value,
      label,
      color: cloudwatch.Color.RED,
    });

    // --- The API at the load balancer -------------------------------------------------------------
    const submissions = props.submissions;
    const canary = props.healthCheck;
    if (props.apiWidgets) this.dashboard.addWidgets(...props.apiWidgets);
    else if (props.loadBalancer && props.targetGroup) {
      const lb = props.loadBalancer.metrics;
      const tg = props.targetGroup.metrics;
      this.dashboard.addWidgets(
        graph("Requisições à API por minuto · API requests per minute", [
          lb.requestCount({ period: minute, statistic: "Sum", label: "requests" }),
        ]),
        graph("Erros da API por minuto · API errors per minute (4xx/5xx)", [
          tg.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_4XX_COUNT, {
            period: minute,
            statistic: "Sum",
            label: "4xx (API)",
            color: cloudwatch.Color.ORANGE,
          }),
          tg.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
            period: minute,
            statistic: "Sum",
            label: "5xx (API)",
            color: cloudwatch.Color.RED,
          }),
          lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, {
            period: minute,
            statistic: "Sum",
            label: "5xx (load balancer)",
            color: cloudwatch.Color.PURPLE,
          }),
        ]),
        graph(
          "Tempo de resposta p95 (s) · Response time p95 (s)",
          [tg.targetResponseTime({ period: minute, statistic: "p95", label: "p95" })],
          { leftAnnotations: [hline(2, "alarm")] },
        ),
      );
    }

    // --- The business signal: answers ------------------------------------------------------------
    this.dashboard.addWidgets(
      graph("Respostas aceitas por minuto · Answers accepted per minute", [
        submissions.metric("accepted", minute).with({ color: cloudwatch.Color.GREEN }),
      ]),
      graph(
        "Respostas recusadas por minuto · Answers refused per minute",
        REJECTION_KINDS.map((kind) =>
          submissions.metric(kind, minute).with({
            label: `${SUBMISSION_OUTCOMES[kind].label["pt-BR"]} · ${SUBMISSION_OUTCOMES[kind].label.en}`,
            color: REJECTION_COLORS[kind],
          }),
        ),
        { stacked: true },
      ),
      graph(
        "Verificação automática (% de sucesso) · Automatic check (% success)",
        [
          canary.stepSuccess("openForm", { label: "abrir formulário · open form (frontend)" }),
          canary.stepSuccess("submitAnswer", { label: "enviar resposta · submit answer (backend)" }),
        ],
        { leftYAxis: { min: 0, max: 100, showUnits: false } },
      ),
    );

    // --- Database and cache ------------------------------------------------------------------------
    const db = props.database;
    this.dashboard.addWidgets(
      graph(
        "Banco de dados: CPU (%) · Database CPU (%)",
        [db.metricCPUUtilization({ period: fiveMinutes })],
        {
          leftYAxis: { min: 0, max: 100, showUnits: false },
          leftAnnotations: [hline(80, "alarm")],
        },
      ),
      graph(
        "Banco de dados: conexões · Database connections",
        [db.metricDatabaseConnections({ period: fiveMinutes, statistic: "Maximum" })],
        { leftAnnotations: [hline(config.database.connectionsAlarmThreshold, "alarm")] },
      ),
      graph(
        "Banco de dados: espaço livre (GiB) · Database free storage (GiB)",
        [
          new cloudwatch.MathExpression({
            expression: "storage / 1073741824",
            usingMetrics: {
              storage: db.metricFreeStorageSpace({ period: fiveMinutes, statistic: "Minimum" }),
            },
            label: "GiB",
            period: fiveMinutes,
          }),
        ],
        { leftAnnotations: [hline(config.database.freeStorageAlarmGiB, "alarm")] },
      ),
    );

    this.dashboard.addWidgets(
      graph(
        "Cache: memória usada (%) · Cache memory used (%)",
        props.cacheMemberClusterIds.map((clusterId) =>
          cacheMemoryUsed(clusterId, { period: fiveMinutes, label: clusterId }),
        ),
        { leftYAxis: { min: 0, max: 100, showUnits: false }, leftAnnotations: [hline(80, "alarm")] },
      ),
      graph(
        "Firewall: requisições bloqueadas (5 min) · WAF blocked requests (5 min)",
        [
          wafBlockedRequests(env, "ALL", { period: fiveMinutes, label: "all rules" }),
          wafBlockedRequests(env, "PublicApiRateLimit", {
            period: fiveMinutes,
            label: "rate limit on /backend/public",
          }),
        ],
        { leftAnnotations: [hline(config.monitoring.wafBlockedRequestsPer5Min, "alarm")] },
      ),
    );
  }
}
