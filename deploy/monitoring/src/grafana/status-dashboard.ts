// "Coleta — status": for the monitoring team. One big light per status component (the API's
// coleta_status_level gauge: 0 ok, 1 degraded, 2 down), who to call, and the few numbers behind the
// lights, coloured with the same thresholds the status board uses (@coleta/monitoring).
import {
  COMPONENT_IDS,
  COMPONENTS,
  type ComponentId,
  type ComponentThresholds,
  type Level,
  RATE_LIMITED_RATIO_DEGRADED,
  SEVERITY_URGENCY,
  STATUS_TIMELINE_HOURS,
  STATUS_WINDOW_SECONDS,
  TEAM_IDS,
  TEAMS,
} from "@coleta/monitoring";
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  VisibilityMode,
  VizLegendOptionsBuilder,
} from "@grafana/grafana-foundation-sdk/common";
import {
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  MappingType,
  RowBuilder,
  SpecialValueMatch,
  type ValueMapping,
} from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as StatPanel } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimelinePanel } from "@grafana/grafana-foundation-sdk/statetimeline";
import { TextMode, PanelBuilder as TextPanel } from "@grafana/grafana-foundation-sdk/text";
import { CONTACTS } from "../contacts.ts";
import { errorRatio, latencyQuantile, type Matchers, selector, TRAFFIC } from "../promql.ts";
import { both, finishPanels, LEVEL_COLORS, levels, query } from "./panels.ts";

export const STATUS_DASHBOARD_UID = "coleta-status";

const LEVEL_VALUES: Record<Level, number> = { ok: 0, degraded: 1, down: 2 };
const LEVEL_WORDS: Record<Level, { pt: string; en: string }> = {
  ok: { pt: "Funcionando", en: "OK" },
  degraded: { pt: "Com problemas", en: "Degraded" },
  down: { pt: "Fora do ar", en: "Down" },
};

const window = `${STATUS_WINDOW_SECONDS / 60}m`;

const NO_DATA = both("Sem dados", "No data");
const NO_TRAFFIC = both("Sem tráfego", "No traffic");

/** 0/1/2 → words and colours; no value and NaN say so instead of looking green. */
const LEVEL_MAPPINGS: ValueMapping[] = [
  {
    type: MappingType.ValueToText,
    options: Object.fromEntries(
      (Object.keys(LEVEL_VALUES) as Level[]).map((level, index) => [
        String(LEVEL_VALUES[level]),
        { text: both(LEVEL_WORDS[level].pt, LEVEL_WORDS[level].en), color: LEVEL_COLORS[level], index },
      ]),
    ),
  },
];

const NAN_IS_NO_TRAFFIC: ValueMapping[] = [
  {
    type: MappingType.SpecialValue,
    options: { match: SpecialValueMatch.NotANumber, result: { text: NO_TRAFFIC } },
  },
];

function bigStat(title: string, description: string) {
  return new StatPanel()
    .title(title)
    .description(description)
    .colorMode(BigValueColorMode.Background)
    .graphMode(BigValueGraphMode.None)
    .textMode(BigValueTextMode.Value)
    .justifyMode(BigValueJustifyMode.Center)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
    .noValue(NO_DATA);
}

/** The component's light: the worst level any API replica reports. */
export function levelQuery(id: ComponentId): string {
  return `max(coleta_status_level${selector({ component: id })})`;
}

function componentLight(id: ComponentId) {
  const c = COMPONENTS[id];
  const team = TEAMS[c.team];
  const description = [
    `${LEVEL_WORDS.degraded.pt}: ${c.impact.degraded["pt-BR"]}.`,
    `${LEVEL_WORDS.down.pt}: ${c.impact.down["pt-BR"]}.`,
    `Quem chamar: ${team.name["pt-BR"]}.`,
    "",
    `${LEVEL_WORDS.degraded.en}: ${c.impact.degraded.en}.`,
    `${LEVEL_WORDS.down.en}: ${c.impact.down.en}.`,
    `Who to call: ${team.name.en}.`,
  ].join("\n");
  return bigStat(both(c.name["pt-BR"], c.name.en), description)
    .withTarget(query(levelQuery(id), c.name.en))
    .mappings(LEVEL_MAPPINGS)
    .thresholds(levels(LEVEL_VALUES.degraded, LEVEL_VALUES.down))
    .min(0)
    .max(2)
    .height(6)
    .span(8);
}

function howToRead(): string {
  return [
    `**Verde** = funcionando. **Laranja** = com problemas (lento ou falhando para algumas pessoas). **Vermelho** = fora do ar. **Sem dados** = o monitoramento não está recebendo informações: trate como vermelho e chame o time de plataforma.`,
    "",
    `*Green* = working. *Orange* = degraded (slow, or failing for some people). *Red* = down. *No data* = monitoring receives nothing: treat it as red and call the Platform team.`,
    "",
    `Cada luz olha os últimos ${STATUS_WINDOW_SECONDS / 60} minutos. Passe o mouse no título de uma luz para ver o que as pessoas sentem e quem chamar. · Each light looks at the last ${STATUS_WINDOW_SECONDS / 60} minutes; hover a light's title for what people experience and whom to call.`,
  ].join("\n");
}

function whoToCall(): string {
  const rows = TEAM_IDS.map((id) => {
    const t = TEAMS[id];
    const lights = COMPONENT_IDS.filter((c) => COMPONENTS[c].team === id).map(
      (c) => COMPONENTS[c].name["pt-BR"],
    );
    return `| **${both(t.name["pt-BR"], t.name.en)}** | ${t.owns["pt-BR"]} · ${t.owns.en} | ${lights.join(", ") || "—"} | ${CONTACTS[id].howToReach} |`;
  });
  return [
    "| Time · Team | Cuida de · Looks after | Luzes · Lights | Como chamar · How to reach |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    `**Urgente (page):** ${SEVERITY_URGENCY.page["pt-BR"].toLowerCase()} — ligue para o time. · **Urgent (page):** ${SEVERITY_URGENCY.page.en.toLowerCase()} — call the team.`,
    `**Aviso (ticket):** ${SEVERITY_URGENCY.ticket["pt-BR"].toLowerCase()} — avise o time. · **Warning (ticket):** ${SEVERITY_URGENCY.ticket.en.toLowerCase()} — tell the team.`,
    "",
    `Cada alerta tem um link "runbook" com o que fazer, passo a passo. · Every alert links a runbook with what to do, step by step. Monitoring team: ${CONTACTS.monitoring.howToReach}.`,
  ].join("\n");
}

interface HttpComponent {
  id: ComponentId;
  traffic: Matchers;
}

/** The HTTP traffic behind each light judged by requests (database and cache are judged by checks). */
const HTTP_COMPONENTS: HttpComponent[] = [
  { id: "public_forms", traffic: TRAFFIC.publicForms },
  { id: "submissions", traffic: TRAFFIC.submissions },
  { id: "workspace", traffic: TRAFFIC.workspaceBoard },
  { id: "exports", traffic: TRAFFIC.exports },
];

function thresholdsOf(id: ComponentId): ComponentThresholds {
  const t = COMPONENTS[id].thresholds;
  if (!t) throw new Error(`component ${id} has no HTTP thresholds`);
  return t;
}

function errorStat({ id, traffic }: HttpComponent) {
  const t = thresholdsOf(id);
  const name = COMPONENTS[id].name;
  return bigStat(
    both(`${name["pt-BR"]}: erros`, `${name.en}: errors`),
    `Parte dos pedidos que falharam por erro do servidor (5xx) nos últimos ${window}. Laranja a partir de ${t.degraded.errorRatio * 100} %, vermelho a partir de ${t.down.errorRatio * 100} %. · Share of requests that failed with a server error (5xx) over ${window}.`,
  )
    .withTarget(query(errorRatio(traffic, window), name.en))
    .unit("percentunit")
    .decimals(1)
    .thresholds(levels(t.degraded.errorRatio, t.down.errorRatio))
    .mappings(NAN_IS_NO_TRAFFIC)
    .height(4)
    .span(6);
}

function latencyStat({ id, traffic }: HttpComponent) {
  const t = thresholdsOf(id);
  const name = COMPONENTS[id].name;
  return bigStat(
    both(`${name["pt-BR"]}: tempo de resposta`, `${name.en}: response time`),
    `95 % dos pedidos foram respondidos em até este tempo nos últimos ${window}. Laranja a partir de ${t.degraded.p95Ms} ms, vermelho a partir de ${t.down.p95Ms} ms. · 95 % of requests were answered within this time over ${window}.`,
  )
    .withTarget(query(`${latencyQuantile(0.95, traffic, window)} * 1000`, name.en))
    .unit("ms")
    .decimals(0)
    .thresholds(levels(t.degraded.p95Ms, t.down.p95Ms))
    .mappings(NAN_IS_NO_TRAFFIC)
    .height(4)
    .span(6);
}

export const RATE_LIMITED_SHARE = `(sum(rate(coleta_submissions_rejected_total${selector({ reason: "rate_limited" })}[${window}])) or vector(0))\n/\n((sum(rate(coleta_submissions_accepted_total${selector()}[${window}])) or vector(0)) + (sum(rate(coleta_submissions_rejected_total${selector()}[${window}])) or vector(0)))`;

function firingAlerts(
  severity: "page" | "ticket",
  title: string,
  description: string,
  color: "red" | "orange",
) {
  return bigStat(title, description)
    .withTarget(query(`count(ALERTS{alertstate="firing",severity="${severity}"}) or vector(0)`, severity))
    .thresholds(color === "red" ? levels(undefined, 1) : levels(1))
    .mappings([
      {
        type: MappingType.ValueToText,
        options: { "0": { text: both("Nenhum", "None"), color: LEVEL_COLORS.ok, index: 0 } },
      },
    ])
    .height(4)
    .span(6);
}

export function statusDashboard(): Dashboard {
  const d = new DashboardBuilder("Coleta — status")
    .uid(STATUS_DASHBOARD_UID)
    .description(
      "Para o time de monitoramento: está tudo funcionando, e quem chamar se não estiver. · For the monitoring team.",
    )
    .tags(["coleta", "status", "generated"])
    .refresh("30s")
    .time({ from: `now-${STATUS_TIMELINE_HOURS}h`, to: "now" })
    .timezone("browser")
    .tooltip(DashboardCursorSync.Crosshair)
    .readonly()
    .withPanel(
      new TextPanel()
        .title(both("Como ler este painel", "How to read this board"))
        .mode(TextMode.Markdown)
        .content(howToRead())
        .height(5)
        .span(24),
    )
    .withRow(new RowBuilder(both("Agora", "Now")));
  for (const id of COMPONENT_IDS) d.withPanel(componentLight(id));
  d.withPanel(
    firingAlerts(
      "page",
      both("Alertas urgentes agora", "Urgent alerts now"),
      "Alertas que pedem ligar para um time agora (severity=page). · Alerts that ask you to call a team now.",
      "red",
    ),
  )
    .withPanel(
      firingAlerts(
        "ticket",
        both("Avisos agora", "Warnings now"),
        "Alertas para avisar um time hoje (severity=ticket). · Alerts to tell a team about today.",
        "orange",
      ),
    )
    .withPanel(
      bigStat(
        both("Respostas recusadas por excesso", "Answers refused by rate limit"),
        `Parte das respostas recusadas porque chegaram rápido demais (limite de envio) nos últimos ${window}. Laranja a partir de ${RATE_LIMITED_RATIO_DEGRADED * 100} %. · Share of answers refused by the rate limit.`,
      )
        .withTarget(query(RATE_LIMITED_SHARE, "rate_limited"))
        .unit("percentunit")
        .decimals(1)
        .thresholds(levels(RATE_LIMITED_RATIO_DEGRADED))
        .mappings(NAN_IS_NO_TRAFFIC)
        .height(4)
        .span(12),
    )
    .withRow(new RowBuilder(both("Quem chamar", "Who to call")))
    .withPanel(
      new TextPanel()
        .title(both("Quem chamar", "Who to call"))
        .mode(TextMode.Markdown)
        .content(whoToCall())
        .height(9)
        .span(24),
    )
    .withRow(
      new RowBuilder(
        both(`Os números por trás das luzes (${window})`, `The numbers behind the lights (${window})`),
      ),
    );
  for (const c of HTTP_COMPONENTS) d.withPanel(errorStat(c)).withPanel(latencyStat(c));
  const timeline = new TimelinePanel()
    .title(both(`Últimas ${STATUS_TIMELINE_HOURS} horas`, `Last ${STATUS_TIMELINE_HOURS} hours`))
    .description("Quando cada luz mudou de cor. · When each light changed colour.")
    .mappings(LEVEL_MAPPINGS)
    .thresholds(levels(LEVEL_VALUES.degraded, LEVEL_VALUES.down))
    .showValue(VisibilityMode.Never)
    .mergeValues(true)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(false)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom),
    )
    .height(10)
    .span(24);
  COMPONENT_IDS.forEach((id, i) => {
    timeline.withTarget(
      query(
        levelQuery(id),
        both(COMPONENTS[id].name["pt-BR"], COMPONENTS[id].name.en),
        String.fromCharCode(65 + i),
      ),
    );
  });
  d.withRow(new RowBuilder(both("Histórico", "History"))).withPanel(timeline);
  return finishPanels(d.build());
}
