// Small helpers over the Grafana Foundation SDK builders shared by both dashboards.

import { LEVEL_COLORS } from "@coleta/monitoring";
import {
  type Dashboard,
  type Panel,
  type RowPanel,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { DATASOURCE } from "./provisioning.ts";

/** The status board's colour-blind-safe colours (one source: @coleta/monitoring). */
export { LEVEL_COLORS } from "@coleta/monitoring";

export function query(expr: string, legend?: string, refId = "A"): DataqueryBuilder {
  const q = new DataqueryBuilder().expr(expr).refId(refId).datasource(DATASOURCE);
  return legend ? q.legendFormat(legend) : q;
}

/** Threshold steps: green below `amber`, amber from it, red from `red` (either may be absent). */
export function levels(amber?: number, red?: number): ThresholdsConfigBuilder {
  const steps: { value: number | null; color: string }[] = [{ value: null, color: LEVEL_COLORS.ok }];
  if (amber !== undefined) steps.push({ value: amber, color: LEVEL_COLORS.degraded });
  if (red !== undefined) steps.push({ value: red, color: LEVEL_COLORS.down });
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

/**
 * Numbers every panel 1, 2, 3… in the order they appear (Grafana needs unique ids) and points every
 * panel that queries at the provisioned Prometheus.
 */
export function finishPanels(d: Dashboard): Dashboard {
  let id = 0;
  const visit = (p: Panel | RowPanel) => {
    p.id = ++id;
    if (p.type === "row") for (const child of (p as RowPanel).panels ?? []) visit(child);
    else if ((p as Panel).targets?.length) p.datasource = { ...DATASOURCE };
  };
  for (const p of d.panels ?? []) visit(p);
  return d;
}

/** `a · b` for bilingual titles (Portuguese first: the monitoring team reads pt-BR). */
export function both(pt: string, en: string): string {
  return pt === en ? pt : `${pt} · ${en}`;
}
