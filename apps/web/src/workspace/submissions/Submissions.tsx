import type { Field } from "@coleta/forms";
import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import {
  api,
  type Form,
  filterQuery,
  formPath,
  type Organization,
  type Page,
  type Submission,
  type SubmissionFilters,
} from "../api";
import { Empty, ErrorBox, Loading, useAnnouncer } from "../components/common";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";
import { can } from "../roles";
import { type ExportFormat, type ExportProgress, exportUrl, fetchExport, saveBlob } from "./exporter";
import { definitionFields, formatAnswer } from "./format";

const PAGE_SIZE = 50;
const RECEIVED = "__received";

export function columnsKey(formId: string): string {
  return `coleta.columns.${formId}`;
}

/** Hidden column ids are stored (not visible ones) so fields added later show up by default. */
export function loadHiddenColumns(formId: string): Set<string> {
  try {
    const raw = localStorage.getItem(columnsKey(formId));
    const list = raw ? (JSON.parse(raw) as unknown) : [];
    return new Set(Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : []);
  } catch {
    return new Set();
  }
}

export function saveHiddenColumns(formId: string, hidden: Set<string>): void {
  try {
    localStorage.setItem(columnsKey(formId), JSON.stringify([...hidden]));
  } catch {
    // Not persisting is acceptable.
  }
}

function toIsoStart(date: string): string | undefined {
  return date ? new Date(`${date}T00:00:00`).toISOString() : undefined;
}
function toIsoEnd(date: string): string | undefined {
  return date ? new Date(`${date}T23:59:59.999`).toISOString() : undefined;
}

function FilterValue({
  field,
  value,
  onChange,
  id,
}: {
  field: Field | undefined;
  value: string;
  onChange: (v: string) => void;
  id: string;
}) {
  const { t } = useI18n();
  if (field && "options" in field) {
    return (
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t("submissions.anyValue")}</option>
        {field.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  }
  if (field && (field.type === "yes_no" || field.type === "consent")) {
    return (
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t("submissions.anyValue")}</option>
        <option value="true">{t("common.yes")}</option>
        <option value="false">{t("common.no")}</option>
      </select>
    );
  }
  const type =
    field?.type === "number" || field?.type === "rating"
      ? "number"
      : field?.type === "date"
        ? "date"
        : "text";
  return (
    <input id={id} type={type} value={value} onChange={(e) => onChange(e.target.value)} disabled={!field} />
  );
}

function ExportPanel({ org, form, filters }: { org: Organization; form: Form; filters: SubmissionFilters }) {
  const { t, number } = useI18n();
  const [format, setFormat] = useState<ExportFormat>("csv");
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, announce] = useAnnouncer(5000);
  const controller = useRef<AbortController | null>(null);
  const formatId = useId();
  useEffect(() => () => controller.current?.abort(), []);

  const start = async () => {
    const ctrl = new AbortController();
    controller.current = ctrl;
    setError(null);
    setProgress({ bytes: 0, rows: 0 });
    try {
      const blob = await fetchExport(
        exportUrl(org.id, form.id, format, filters),
        format,
        ctrl.signal,
        setProgress,
      );
      saveBlob(blob, `${form.slug}-submissions.${format}`);
      announce(t("export.done"));
    } catch (err) {
      if ((err as Error)?.name === "AbortError") announce(t("export.cancelled"));
      else setError(errorMessage(err, t));
    } finally {
      controller.current = null;
      setProgress(null);
    }
  };

  const kb = (bytes: number) => number(bytes / 1024, { maximumFractionDigits: 1 });
  return (
    <section className="export" aria-labelledby="export-title">
      <h2 id="export-title" className="h3">
        {t("export.title")}
      </h2>
      <div className="row row-end">
        <div className="field field-narrow">
          <label htmlFor={formatId}>{t("export.format")}</label>
          <select
            id={formatId}
            value={format}
            onChange={(e) => setFormat(e.target.value as ExportFormat)}
            disabled={!!progress}
          >
            <option value="csv">CSV</option>
            <option value="ndjson">NDJSON</option>
          </select>
        </div>
        {progress ? (
          <button type="button" className="button" onClick={() => controller.current?.abort()}>
            {t("export.cancel")}
          </button>
        ) : (
          <button type="button" className="button button-primary" onClick={start}>
            {t("export.start")}
          </button>
        )}
      </div>
      {progress ? (
        <div className="export-progress" data-testid="export-progress">
          <progress aria-label={t("export.progressLabel")} />
          <span role="status">
            {t("export.progress", { rows: number(progress.rows), kb: kb(progress.bytes) })}
          </span>
        </div>
      ) : null}
      <p className="live-message" role="status" aria-live="polite">
        {message}
      </p>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

export default function Submissions({ org, form }: { org: Organization; form: Form }) {
  const i18n = useI18n();
  const { t, dateTime, number } = i18n;
  const definition = form.published ?? form.draft;
  const fields = useMemo(() => definitionFields(definition), [definition]);
  const fieldById = useMemo(() => new Map(fields.map((f) => [f.id, f])), [fields]);
  const [items, setItems] = useState<Submission[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [hidden, setHidden] = useState<Set<string>>(() => loadHiddenColumns(form.id));
  const [filters, setFilters] = useState<SubmissionFilters>({});
  const [draft, setDraft] = useState({ from: "", to: "", fieldId: "", value: "" });
  const [detail, setDetail] = useState<Submission | null>(null);
  const [deleting, setDeleting] = useState<Submission | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [message, announce] = useAnnouncer(4000);
  const ids = { from: useId(), to: useId(), field: useId(), value: useId() };
  const canDelete = can(org.role, "submission.delete");

  const fetchPage = useCallback(
    async (after: string | null, active: SubmissionFilters) => {
      const extra: Record<string, string> = { limit: String(PAGE_SIZE) };
      if (after) extra.cursor = after;
      return api<Page<Submission>>(`${formPath(org.id, form.id)}/submissions${filterQuery(active, extra)}`);
    },
    [org.id, form.id],
  );

  const reload = useCallback(
    async (active: SubmissionFilters) => {
      setError(null);
      setItems(null);
      try {
        const page = await fetchPage(null, active);
        setItems(page.items);
        setCursor(page.nextCursor);
      } catch (err) {
        setError(err);
      }
    },
    [fetchPage],
  );

  useEffect(() => {
    void reload(filters);
  }, [reload, filters]);

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await fetchPage(cursor, filters);
      setItems((prev) => [...(prev ?? []), ...page.items]);
      setCursor(page.nextCursor);
      announce(t("submissions.loadedMore", { count: page.items.length }));
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const toggleColumn = (id: string, visible: boolean) => {
    const next = new Set(hidden);
    if (visible) next.delete(id);
    else next.add(id);
    setHidden(next);
    saveHiddenColumns(form.id, next);
  };

  const visibleFields = fields.filter((f) => !hidden.has(f.id));
  const showReceived = !hidden.has(RECEIVED);
  const filterField = fieldById.get(draft.fieldId);

  return (
    <div className="submissions" data-testid="submissions">
      <div className="toolbar-grid">
        <form
          className="filters"
          aria-label={t("submissions.filters")}
          onSubmit={(e) => {
            e.preventDefault();
            setFilters({
              from: toIsoStart(draft.from),
              to: toIsoEnd(draft.to),
              field: draft.fieldId && draft.value !== "" ? { id: draft.fieldId, value: draft.value } : null,
            });
          }}
        >
          <div className="field field-narrow">
            <label htmlFor={ids.from}>{t("submissions.from")}</label>
            <input
              id={ids.from}
              type="date"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            />
          </div>
          <div className="field field-narrow">
            <label htmlFor={ids.to}>{t("submissions.to")}</label>
            <input
              id={ids.to}
              type="date"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            />
          </div>
          <div className="field field-narrow">
            <label htmlFor={ids.field}>{t("submissions.filterField")}</label>
            <select
              id={ids.field}
              value={draft.fieldId}
              onChange={(e) => setDraft({ ...draft, fieldId: e.target.value, value: "" })}
            >
              <option value="">{t("submissions.anyField")}</option>
              {fields
                .filter((f) => f.type !== "geopoint" && f.type !== "file" && f.type !== "multiple_choice")
                .map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.label || f.id}
                  </option>
                ))}
            </select>
          </div>
          <div className="field field-narrow">
            <label htmlFor={ids.value}>{t("submissions.equals")}</label>
            <FilterValue
              id={ids.value}
              field={filterField}
              value={draft.value}
              onChange={(v) => setDraft({ ...draft, value: v })}
            />
          </div>
          <div className="actions">
            <button type="submit" className="button">
              {t("submissions.apply")}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                setDraft({ from: "", to: "", fieldId: "", value: "" });
                setFilters({});
              }}
            >
              {t("submissions.clear")}
            </button>
          </div>
        </form>
        <details className="column-picker">
          <summary className="button">{t("submissions.columns")}</summary>
          <fieldset>
            <legend className="visually-hidden">{t("submissions.columns")}</legend>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={showReceived}
                onChange={(e) => toggleColumn(RECEIVED, e.target.checked)}
              />
              <span>{t("submissions.received")}</span>
            </label>
            {fields.map((f) => (
              <label key={f.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={!hidden.has(f.id)}
                  onChange={(e) => toggleColumn(f.id, e.target.checked)}
                />
                <span>{f.label || f.id}</span>
              </label>
            ))}
          </fieldset>
        </details>
      </div>
      <ExportPanel org={org} form={form} filters={filters} />
      <p className="live-message" role="status" aria-live="polite">
        {message}
      </p>
      {error ? <ErrorBox message={errorMessage(error, t)} onRetry={() => reload(filters)} /> : null}
      {!items && !error ? <Loading /> : null}
      {items && items.length === 0 ? (
        <Empty
          title={
            filters.from || filters.to || filters.field
              ? t("submissions.noneMatching")
              : t("submissions.none")
          }
        >
          {form.status === "draft" ? <p>{t("submissions.publishFirst")}</p> : null}
        </Empty>
      ) : null}
      {items && items.length > 0 ? (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="submissions-table">
              <caption className="visually-hidden">{t("submissions.table")}</caption>
              <thead>
                <tr>
                  {showReceived ? <th scope="col">{t("submissions.received")}</th> : null}
                  {visibleFields.map((f) => (
                    <th key={f.id} scope="col">
                      {f.label || f.id}
                    </th>
                  ))}
                  <th scope="col">
                    <span className="visually-hidden">{t("common.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) => (
                  <tr key={s.id}>
                    {showReceived ? <td className="nowrap">{dateTime(s.receivedAt)}</td> : null}
                    {visibleFields.map((f) => (
                      <td key={f.id}>{formatAnswer(f, s.answers[f.id], i18n)}</td>
                    ))}
                    <td>
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => setDetail(s)}
                        aria-label={t("submissions.viewNamed", { date: dateTime(s.receivedAt) })}
                      >
                        {t("submissions.view")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="table-footer">
            {/* No running total: counting a filtered table on every page would cost a full scan. */}
            {t(cursor ? "submissions.showingMore" : "submissions.showing", { count: number(items.length) })}
            {cursor ? (
              <button type="button" className="button" onClick={loadMore} disabled={loadingMore}>
                {loadingMore ? t("common.loading") : t("submissions.loadMore")}
              </button>
            ) : null}
          </p>
        </>
      ) : null}
      {detail ? (
        <Dialog
          variant="drawer"
          title={t("submissions.detailTitle", { date: dateTime(detail.receivedAt) })}
          onClose={() => setDetail(null)}
          footer={
            canDelete ? (
              <button
                type="button"
                className="button button-danger-outline"
                onClick={() => {
                  setDeleteError(null);
                  setDeleting(detail);
                }}
              >
                {t("submissions.delete")}
              </button>
            ) : undefined
          }
        >
          <dl className="answers">
            <dt>{t("submissions.id")}</dt>
            <dd className="mono">{detail.id}</dd>
            <dt>{t("submissions.version")}</dt>
            <dd>{detail.formVersion}</dd>
            {fields.map((f) => (
              <div key={f.id} className="answer-row">
                <dt>{f.label || f.id}</dt>
                <dd>
                  {formatAnswer(f, detail.answers[f.id], i18n) || (
                    <span className="muted">{t("submissions.noAnswer")}</span>
                  )}
                </dd>
              </div>
            ))}
            {Object.keys(detail.answers)
              .filter((k) => !fieldById.has(k))
              .map((k) => (
                <div key={k} className="answer-row">
                  <dt className="mono">{k}</dt>
                  <dd>{formatAnswer(undefined, detail.answers[k], i18n)}</dd>
                </div>
              ))}
          </dl>
        </Dialog>
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={t("submissions.deleteTitle")}
          message={t("submissions.deleteBody")}
          confirmLabel={t("submissions.delete")}
          danger
          error={deleteError}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            try {
              await api(`${formPath(org.id, form.id)}/submissions/${encodeURIComponent(deleting.id)}`, {
                method: "DELETE",
              });
              setItems((prev) => (prev ?? []).filter((s) => s.id !== deleting.id));
              setDeleting(null);
              setDetail(null);
              announce(t("submissions.deleted"));
            } catch (err) {
              setDeleteError(errorMessage(err, t));
            }
          }}
        />
      ) : null}
    </div>
  );
}
