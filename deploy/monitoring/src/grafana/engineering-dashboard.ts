// "Coleta — engineering": for the teams that fix things. SLO burn rates, per-route rate / errors /
// p95, submissions by outcome and reason, database pool and dependency checks, and the processes.
import { BURN_RATE_WINDOWS, COMPONENT_IDS, SLOS, type SloKey } from "@coleta/monitoring";
import {
  BigValueColorMode,
  BigValueGraphMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  VizLegendOptionsBuilder,
} from "@grafana/grafana-foundation-sdk/common";
import {
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  RowBuilder,
} from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as StatPanel } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import { latencyQuantile, selector } from "../promql.ts";
import { errorBudget, SLIS } from "../rules.ts";
import { finishPanels, levels, query } from "./panels.ts";

export const ENGINEERING_DASHBOARD_UID = "coleta-engineering";

/** Grafana's rate window for the panel's resolution (needs the data source's scrape interval). */
const R = "$__rate_interval";

function graph(title: string, description: string, unit: string) {
  return new TimeseriesPanel()
    .title(title)
    .description(description)
    .unit(unit)
    .fillOpacity(10)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Bottom)
        .calcs(["lastNotNull", "max"]),
    )
    .height(8)
    .span(12);
}

const ticketBurn = Math.min(
  ...BURN_RATE_WINDOWS.filter((w) => w.severity === "ticket").map((w) => w.burnRate),
);
const pageBurn = Math.min(...BURN_RATE_WINDOWS.filter((w) => w.severity === "page").map((w) => w.burnRate));

function burnRateStat(slo: SloKey) {
  const budget = errorBudget(slo);
  return new StatPanel()
    .title(`${SLOS[slo].id}: burn rate (1h)`)
    .description(
      `${SLOS[slo].description} Objective ${SLOS[slo].objective * 100} %. Burn rate = bad share over 1h ÷ error budget (${budget}); 1 spends the 30-day budget exactly. Amber from ${ticketBurn}× (ticket), red from ${pageBurn}× (pages when the short window agrees).`,
    )
    .withTarget(query(`${SLIS[slo].record("1h")} / ${budget}`, SLOS[slo].id))
    .decimals(1)
    .unit("none")
    .colorMode(BigValueColorMode.Background)
    .graphMode(BigValueGraphMode.Area)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
    .thresholds(levels(ticketBurn, pageBurn))
    .height(4)
    .span(6);
}

function sliGraph(slo: SloKey) {
  const budget = errorBudget(slo);
  const p = graph(
    `${SLOS[slo].id}: bad share`,
    `${SLOS[slo].description} Bad share per window (recording rules) against the error budget.`,
    "percentunit",
  );
  ["5m", "1h", "6h"].forEach((w, i) => {
    p.withTarget(query(SLIS[slo].record(w), w, String.fromCharCode(65 + i)));
  });
  return p.withTarget(query(`vector(${budget})`, "budget", "D"));
}

const http = (m: Record<string, string> = {}) => `http_requests_total${selector(m)}`;

export function engineeringDashboard(): Dashboard {
  const d = new DashboardBuilder("Coleta — engineering")
    .uid(ENGINEERING_DASHBOARD_UID)
    .description("SLOs, HTTP, submissions, database and processes of the Coleta API.")
    .tags(["coleta", "engineering", "generated"])
    .refresh("1m")
    .time({ from: "now-6h", to: "now" })
    .timezone("browser")
    .tooltip(DashboardCursorSync.Crosshair)
    .readonly()
    .withRow(new RowBuilder("SLOs"));
  const slos = Object.keys(SLOS) as SloKey[];
  for (const slo of slos) d.withPanel(burnRateStat(slo));
  for (const slo of slos) d.withPanel(sliGraph(slo));

  d.withRow(new RowBuilder("HTTP"))
    .withPanel(
      graph("Requests by route", "Requests per second by route pattern and method.", "reqps").withTarget(
        query(`sum by (route, method) (rate(${http()}[${R}]))`, "{{method}} {{route}}"),
      ),
    )
    .withPanel(
      graph(
        "Server errors (5xx) by route",
        "5xx answers per second by route (0 for routes without errors).",
        "reqps",
      ).withTarget(
        query(
          `sum by (route, method) (rate(${http({ status: '=~"5.."' })}[${R}]))\nor\nsum by (route, method) (rate(${http()}[${R}])) * 0`,
          "{{method}} {{route}}",
        ),
      ),
    )
    .withPanel(
      graph(
        "p95 duration by route",
        "95th percentile of request duration by route pattern and method.",
        "s",
      ).withTarget(query(latencyQuantile(0.95, {}, R, ["route", "method"]), "{{method}} {{route}}")),
    )
    .withPanel(
      graph("Responses by status", "Answers per second by HTTP status.", "reqps").withTarget(
        query(`sum by (status) (rate(${http()}[${R}]))`, "{{status}}"),
      ),
    )
    .withRow(new RowBuilder("Submissions"))
    .withPanel(
      graph(
        "Submissions accepted",
        "Stored (created) and recognised retries (duplicate), per second.",
        "reqps",
      ).withTarget(
        query(`sum by (outcome) (rate(coleta_submissions_accepted_total${selector()}[${R}]))`, "{{outcome}}"),
      ),
    )
    .withPanel(
      graph(
        "Submissions rejected by reason",
        "Refused submissions per second by reason (validation = the respondent's answers).",
        "reqps",
      ).withTarget(
        query(`sum by (reason) (rate(coleta_submissions_rejected_total${selector()}[${R}]))`, "{{reason}}"),
      ),
    )
    .withRow(new RowBuilder("Database and dependencies"))
    .withPanel(
      graph(
        "DB pool connections",
        "Pool connections in use and idle, and requests waiting for one, per replica.",
        "short",
      ).withTarget(query(`coleta_db_pool_connections${selector()}`, "{{instance}} {{state}}")),
    )
    .withPanel(
      graph(
        "Requests waiting for a DB connection",
        "Anything above 0 for minutes means the pool is exhausted (alert DatabasePoolWaiting).",
        "short",
      ).withTarget(
        query(
          `max by (instance) (coleta_db_pool_connections${selector({ state: "waiting" })})`,
          "{{instance}}",
        ),
      ),
    )
    .withPanel(
      graph(
        "Dependencies up",
        "The API's own checks of the database and cache (1 = answers), worst replica.",
        "short",
      )
        .min(0)
        .max(1)
        .withTarget(query(`min by (dependency) (coleta_dependency_up${selector()})`, "{{dependency}}")),
    )
    .withPanel(
      graph("Dependency checks", "Checks per second by dependency and result.", "ops").withTarget(
        query(
          `sum by (dependency, result) (rate(coleta_dependency_checks_total${selector()}[${R}]))`,
          "{{dependency}} {{result}}",
        ),
      ),
    )
    .withRow(new RowBuilder("Processes"))
    .withPanel(
      graph("Event-loop lag", "p99 and p50 event-loop lag per replica (alert EventLoopLagHigh on p99).", "s")
        .withTarget(query(`nodejs_eventloop_lag_p99_seconds${selector()}`, "{{instance}} p99", "A"))
        .withTarget(query(`nodejs_eventloop_lag_p50_seconds${selector()}`, "{{instance}} p50", "B")),
    )
    .withPanel(
      graph("Memory", "Resident memory and used V8 heap per replica.", "bytes")
        .withTarget(query(`process_resident_memory_bytes${selector()}`, "{{instance}} rss", "A"))
        .withTarget(
          query(
            `sum by (instance) (nodejs_heap_size_used_bytes${selector()})`,
            "{{instance}} heap used",
            "B",
          ),
        ),
    )
    .withPanel(
      graph("CPU", "CPU seconds per second per replica (1 = one core).", "percentunit").withTarget(
        query(`rate(process_cpu_seconds_total${selector()}[${R}])`, "{{instance}}"),
      ),
    )
    .withPanel(
      graph("Scrape targets up", "1 when Prometheus could scrape the replica (alert ApiTargetDown).", "short")
        .min(0)
        .max(1)
        .withTarget(query(`up${selector()}`, "{{instance}}")),
    )
    .withRow(new RowBuilder("Status board"))
    .withPanel(
      graph(
        "Status levels",
        `The API's status-board lights (0 ok, 1 degraded, 2 down): ${COMPONENT_IDS.join(", ")}.`,
        "short",
      )
        .min(0)
        .max(2)
        .span(24)
        .withTarget(query(`max by (component) (coleta_status_level${selector()})`, "{{component}}")),
    );
  return finishPanels(d.build());
}
