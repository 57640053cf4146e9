// Checks of generated dashboards that Grafana would otherwise only reveal when someone opens them:
// no Grafana binary runs here, so these rules stand in for it. The panels' shapes come from the
// Foundation SDK's types (generated from Grafana's schema); this checks what types cannot say.
import { fileURLToPath } from "node:url";
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as statetimeline from "@grafana/grafana-foundation-sdk/statetimeline";
import * as text from "@grafana/grafana-foundation-sdk/text";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";

/** Options each panel type accepts, from the SDK's defaults for that panel's schema. */
const PANEL_OPTIONS: Record<string, readonly string[]> = {
  stat: Object.keys(stat.defaultOptions()).concat("text"),
  text: Object.keys(text.defaultOptions()).concat("code"),
  timeseries: Object.keys(timeseries.defaultOptions()).concat("timezone", "orientation"),
  "state-timeline": Object.keys(statetimeline.defaultOptions()).concat(
    "mergeValues",
    "alignValue",
    "timezone",
    "perPage",
  ),
};

const GRID_COLUMNS = 24;

export interface DashboardQuery {
  panel: string;
  refId: string;
  expr: string;
}

type AnyPanel = Panel | RowPanel;

function allPanels(d: Dashboard): AnyPanel[] {
  return (d.panels ?? []).flatMap((p) => (p.type === "row" ? [p, ...((p as RowPanel).panels ?? [])] : [p]));
}

/** Every Prometheus query of a dashboard, with the panel it belongs to. */
export function dashboardQueries(d: Dashboard): DashboardQuery[] {
  return allPanels(d).flatMap((p) =>
    p.type === "row"
      ? []
      : ((p as Panel).targets ?? []).map((target) => {
          const t = target as { refId?: string; expr?: string };
          return {
            panel: (p as Panel).title ?? `#${p.id}`,
            refId: String(t.refId),
            expr: String(t.expr ?? ""),
          };
        }),
  );
}

/** Problems found in a dashboard (empty = valid), each one line naming the panel. */
export function dashboardProblems(d: Dashboard, datasourceUid: string): string[] {
  const problems: string[] = [];
  if (!d.uid || !/^[a-zA-Z0-9_-]{1,40}$/.test(d.uid))
    problems.push(`uid "${d.uid}" is not a valid Grafana uid`);
  if (!d.title) problems.push("no title");
  if (!Number.isInteger(d.schemaVersion) || d.schemaVersion < 36)
    problems.push(`schemaVersion ${d.schemaVersion}`);
  const ids = new Set<number>();
  const cells = new Map<string, string>();
  for (const p of allPanels(d)) {
    const name = `panel ${p.id} "${p.title}"`;
    if (p.id === undefined || ids.has(p.id)) problems.push(`${name}: missing or duplicate id`);
    else ids.add(p.id);
    const g = p.gridPos;
    if (!g) {
      problems.push(`${name}: no gridPos`);
      continue;
    }
    if (g.x < 0 || g.w < 1 || g.x + g.w > GRID_COLUMNS || g.h < 1 || g.y < 0)
      problems.push(`${name}: gridPos ${JSON.stringify(g)} outside the ${GRID_COLUMNS}-column grid`);
    for (let x = g.x; x < g.x + g.w; x++)
      for (let y = g.y; y < g.y + g.h; y++) {
        const other = cells.get(`${x},${y}`);
        if (other) problems.push(`${name} overlaps ${other}`);
        cells.set(`${x},${y}`, name);
      }
    if (p.type === "row") continue;
    const panel = p as Panel;
    const allowed = PANEL_OPTIONS[panel.type];
    if (!allowed) {
      problems.push(`${name}: panel type "${panel.type}" is not one this generator validates`);
      continue;
    }
    for (const key of Object.keys(panel.options ?? {}))
      if (!allowed.includes(key))
        problems.push(`${name}: option "${key}" is not in the ${panel.type} schema`);
    const targets = panel.targets ?? [];
    if (panel.type !== "text" && targets.length === 0) problems.push(`${name}: no query`);
    const refIds = new Set<string>();
    for (const t of targets) {
      const q = t as { refId?: string; expr?: string; datasource?: { uid?: string } };
      if (!q.refId || refIds.has(q.refId)) problems.push(`${name}: missing or duplicate refId`);
      refIds.add(q.refId ?? "");
      if (!q.expr?.trim()) problems.push(`${name}: empty query`);
      if (q.datasource?.uid !== datasourceUid)
        problems.push(`${name}: query not on data source ${datasourceUid}`);
    }
    if (targets.length && panel.datasource?.uid !== datasourceUid)
      problems.push(`${name}: panel not on data source ${datasourceUid}`);
    const steps = panel.fieldConfig?.defaults?.thresholds?.steps ?? [];
    steps.forEach((s, i) => {
      if (i === 0 ? s.value !== null : typeof s.value !== "number")
        problems.push(`${name}: threshold step ${i} must be ${i === 0 ? "the base (null)" : "a number"}`);
      const prev = steps[i - 1]?.value;
      if (i > 1 && typeof prev === "number" && typeof s.value === "number" && s.value <= prev)
        problems.push(`${name}: thresholds not ascending`);
    });
    for (const m of panel.fieldConfig?.defaults?.mappings ?? [])
      if (!["value", "range", "regex", "special"].includes(m.type))
        problems.push(`${name}: mapping type ${m.type}`);
  }
  return problems;
}

// --- Type-checking the JSON against the SDK's types --------------------------------------------------

/** SDK module of each panel plugin the dashboards use, and whether it defines a field config. */
const PANEL_MODULES: Record<string, { module: string; fieldConfig: boolean }> = {
  stat: { module: "stat", fieldConfig: false },
  text: { module: "text", fieldConfig: false },
  timeseries: { module: "timeseries", fieldConfig: true },
  "state-timeline": { module: "statetimeline", fieldConfig: true },
};

/**
 * Type-checks dashboard JSON (as Grafana will read it) against the Foundation SDK's types, which
 * are generated from Grafana's schemas: the dashboard, each panel with its plugin's options and
 * field config, and the Prometheus queries. Enums become their JSON values; an unknown key, a wrong
 * value or a missing required field is an error. Returns TypeScript's messages (empty = valid).
 */
export async function dashboardTypeErrors(dashboards: Dashboard[]): Promise<string[]> {
  const ts = (await import("typescript")).default;
  const file = fileURLToPath(new URL("./__dashboard_json_check__.ts", import.meta.url));
  const source = [
    `import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";`,
    `import type * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";`,
    ...Object.values(PANEL_MODULES).map(
      (m) => `import type * as ${m.module} from "@grafana/grafana-foundation-sdk/${m.module}";`,
    ),
    "type Fn = (...args: never[]) => unknown;",
    // Enums become their JSON values: a string enum E as the template literal type of E.
    `type Json<T> = 0 extends 1 & T ? unknown : T extends string ? \`$\{T}\` : T extends number | boolean | null | undefined ? T`,
    "  : T extends readonly (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T as T[K] extends Fn ? never : K]: Json<T[K]> } : T;",
    'type Defaults<F> = Omit<Json<dashboard.FieldConfig>, "custom"> & { custom?: Json<F> };',
    'type PanelJson<O, F> = Omit<Json<dashboard.Panel>, "targets" | "options" | "fieldConfig"> & {',
    "  targets?: Json<prometheus.Dataquery>[]; options?: Json<O>;",
    '  fieldConfig?: { defaults: Defaults<F>; overrides: Json<dashboard.FieldConfigSource>["overrides"] };',
    "};",
    ...dashboards.flatMap((d, n) => [
      `export const dashboard${n}: Omit<Json<dashboard.Dashboard>, "panels"> & { panels: unknown[] } = ${JSON.stringify({ ...d, panels: [] })};`,
      ...allPanels(d).map((p) => {
        const name = `dashboard${n}_panel${p.id}`;
        if (p.type === "row") return `export const ${name}: Json<dashboard.RowPanel> = ${JSON.stringify(p)};`;
        const m = PANEL_MODULES[p.type];
        if (!m) return `export const ${name}: never = ${JSON.stringify(p.type)};`;
        const custom = m.fieldConfig ? `${m.module}.FieldConfig` : "never";
        return `export const ${name}: PanelJson<${m.module}.Options, ${custom}> = ${JSON.stringify(p)};`;
      }),
    ]),
  ].join("\n");
  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const sourceFile = program.getSourceFile(file);
  return ts.getPreEmitDiagnostics(program, sourceFile).map((diag) => {
    const where =
      diag.start !== undefined && sourceFile ? sourceFile.getLineAndCharacterOfPosition(diag.start) : null;
    const line = where ? (source.split("\n")[where.line] ?? "") : "";
    const panel = /^export const (\w+)/.exec(line)?.[1] ?? "?";
    return `${panel}: ${ts.flattenDiagnosticMessageText(diag.messageText, "\n")}`;
  });
}
