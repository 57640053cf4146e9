import type { Field } from "@coleta/forms";
import { useMemo } from "react";
import {
  api,
  type FieldSummary,
  type Form,
  formPath,
  type Organization,
  type Summary as SummaryStats,
} from "../api";
import { Empty, ErrorBox, Loading } from "../components/common";
import { errorMessage } from "../errors";
import { useLoad } from "../hooks/useLoad";
import { useI18n } from "../i18n";
import { definitionFields } from "./format";
import { GeoMap } from "./GeoMap";

function Bars({
  rows,
  total,
  caption,
}: {
  rows: { key: string; label: string; count: number }[];
  total: number;
  caption: string;
}) {
  const { number } = useI18n();
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <table className="bars">
      <caption className="visually-hidden">{caption}</caption>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td className="bar-cell">
              <span className="bar" style={{ width: `${(r.count / max) * 100}%` }} aria-hidden="true" />
            </td>
            <td className="num">
              {number(r.count)}
              {total > 0 ? (
                <span className="muted">
                  {" "}
                  ({number(r.count / total, { style: "percent", maximumFractionDigits: 0 })})
                </span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function labelFor(field: Field | undefined, key: string, t: (k: string) => string): string {
  if (field && "options" in field) return field.options.find((o) => o.value === key)?.label ?? key;
  if (field && (field.type === "yes_no" || field.type === "consent")) {
    if (key === "true") return t("common.yes");
    if (key === "false") return t("common.no");
  }
  return key;
}

/** Every option of a choice field (zero counts included), plus any other value that was counted. */
function countKeys(field: Field | undefined, counts: Record<string, number>): string[] {
  const keys = new Set(field && "options" in field ? field.options.map((o) => o.value) : []);
  for (const k of Object.keys(counts)) keys.add(k);
  return [...keys];
}

function sortKeys(field: Field | undefined, keys: string[]): string[] {
  if (field && "options" in field) {
    const order = new Map(field.options.map((o, i) => [o.value, i]));
    return [...keys].sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9));
  }
  if (keys.every((k) => !Number.isNaN(Number(k)))) return [...keys].sort((a, b) => Number(a) - Number(b));
  return keys;
}

function FieldCard({
  field,
  summary,
  total,
}: {
  field: Field | undefined;
  summary: FieldSummary;
  total: number;
}) {
  const { t, number } = useI18n();
  const title = field?.label || summary.fieldId;
  return (
    <article className="card summary-card" data-testid={`summary-${summary.fieldId}`}>
      <h2 className="h3">{title}</h2>
      <p className="muted">
        {t(`fieldType.${summary.type}`)} ·{" "}
        {t("summary.answered", { count: number(summary.answered), total: number(total) })}
      </p>
      {summary.counts && (Object.keys(summary.counts).length > 0 || (field && "options" in field)) ? (
        <Bars
          caption={title}
          total={summary.answered}
          rows={sortKeys(field, countKeys(field, summary.counts)).map((k) => ({
            key: k,
            label: labelFor(field, k, t),
            count: summary.counts?.[k] ?? 0,
          }))}
        />
      ) : null}
      {summary.stats ? (
        <dl className="stats">
          <div>
            <dt>{t("summary.min")}</dt>
            <dd>{number(summary.stats.min)}</dd>
          </div>
          <div>
            <dt>{t("summary.mean")}</dt>
            <dd>{number(summary.stats.mean, { maximumFractionDigits: 2 })}</dd>
          </div>
          <div>
            <dt>{t("summary.max")}</dt>
            <dd>{number(summary.stats.max)}</dd>
          </div>
        </dl>
      ) : null}
      {summary.histogram && Object.keys(summary.histogram).length > 0 ? (
        <Bars
          caption={t("summary.distribution", { name: title })}
          total={summary.answered}
          rows={sortKeys(undefined, Object.keys(summary.histogram)).map((k) => ({
            key: k,
            label: k,
            count: summary.histogram?.[k] ?? 0,
          }))}
        />
      ) : null}
      {summary.points ? (
        summary.points.length > 0 ? (
          <GeoMap points={summary.points} label={t("summary.mapOf", { name: title })} />
        ) : (
          <p className="muted">{t("summary.noPoints")}</p>
        )
      ) : null}
    </article>
  );
}

export default function Summary({ org, form }: { org: Organization; form: Form }) {
  const { t, number } = useI18n();
  const { data, error, reload } = useLoad(
    (signal) => api<SummaryStats>(`${formPath(org.id, form.id)}/summary`, { signal }),
    [org.id, form.id],
  );
  const fields = useMemo(() => definitionFields(form.published ?? form.draft), [form]);
  const byId = useMemo(() => new Map(fields.map((f) => [f.id, f])), [fields]);

  if (error) return <ErrorBox message={errorMessage(error, t)} onRetry={reload} />;
  if (!data) return <Loading />;
  if (data.total === 0) return <Empty title={t("submissions.none")} />;
  return (
    <div className="summary" data-testid="summary">
      <p className="summary-total">{t("summary.total", { count: number(data.total) })}</p>
      <div className="summary-grid">
        {data.fields.map((s) => (
          <FieldCard key={s.fieldId} field={byId.get(s.fieldId)} summary={s} total={data.total} />
        ))}
      </div>
    </div>
  );
}
