import { can } from "@coleta/permissions";
import { useMemo, useState } from "react";
import { api, type Form, formPath, type Organization, type Submission, type SubmissionFilters } from "../api";
import { Empty, ErrorBox, Loading, useAnnouncer } from "../components/common";
import { ConfirmDialog } from "../components/Dialog";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";
import { ColumnPicker } from "./ColumnPicker";
import { RECEIVED, useHiddenColumns } from "./columns";
import { ExportPanel } from "./ExportPanel";
import { FilterBar } from "./FilterBar";
import { definitionFields } from "./format";
import { SubmissionDetail } from "./SubmissionDetail";
import { SubmissionsMap } from "./SubmissionsMap";
import { SubmissionsTable } from "./SubmissionsTable";
import { useSubmissionPages } from "./useSubmissionPages";

// The submissions tab: filters, columns and export above a paged table; a drawer for one
// submission. Each part is its own file; this one only wires them together.
export default function Submissions({ org, form }: { org: Organization; form: Form }) {
  const { t, number } = useI18n();
  const definition = form.published ?? form.draft;
  const fields = useMemo(() => definitionFields(definition), [definition]);
  const [filters, setFilters] = useState<SubmissionFilters>({});
  const { items, cursor, error, reload, loadMore, loadingMore, remove } = useSubmissionPages(
    org,
    form,
    filters,
  );
  const { hidden, toggle } = useHiddenColumns(form.id);
  const [detail, setDetail] = useState<Submission | null>(null);
  const [deleting, setDeleting] = useState<Submission | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [message, announce] = useAnnouncer(4000);
  const canDelete = can(org.role, "submission.delete");
  // The map is offered when the form asks for a location; the area drawn on it filters the table too.
  const located = fields.some((f) => f.type === "geopoint");
  const [view, setView] = useState<"table" | "map">("table");
  const openSubmission = async (id: string) => {
    try {
      setDetail(await api<Submission>(`${formPath(org.id, form.id)}/submissions/${encodeURIComponent(id)}`));
    } catch (err) {
      announce(errorMessage(err, t));
    }
  };

  const onLoadMore = async () => {
    const count = await loadMore();
    if (count) announce(t("submissions.loadedMore", { count }));
  };

  return (
    <div className="submissions" data-testid="submissions">
      <div className="toolbar-grid">
        <FilterBar
          fields={fields}
          onApply={(next) => setFilters((current) => ({ ...next, bbox: current.bbox, near: current.near }))}
        />
        <ColumnPicker fields={fields} hidden={hidden} onToggle={toggle} />
      </div>
      <ExportPanel org={org} form={form} filters={filters} />
      {located ? (
        <fieldset className="view-switch">
          <legend className="visually-hidden">{t("submissions.view.label")}</legend>
          {(["table", "map"] as const).map((option) => (
            <button
              key={option}
              type="button"
              className={view === option ? "button button-primary" : "button"}
              aria-pressed={view === option}
              onClick={() => setView(option)}
            >
              {t(`submissions.view.${option}`)}
            </button>
          ))}
        </fieldset>
      ) : null}
      {located && view === "map" ? (
        <SubmissionsMap
          org={org}
          form={form}
          filters={filters}
          onOpen={openSubmission}
          onArea={(area) => setFilters((current) => ({ ...current, ...area }))}
        />
      ) : null}
      <p className="live-message" role="status" aria-live="polite">
        {message}
      </p>
      {error ? <ErrorBox message={errorMessage(error, t)} onRetry={reload} /> : null}
      {!items && !error ? <Loading /> : null}
      {items && items.length === 0 ? (
        <Empty
          title={
            filters.from || filters.to || filters.field || filters.bbox || filters.near
              ? t("submissions.noneMatching")
              : t("submissions.none")
          }
        >
          {form.status === "draft" ? <p>{t("submissions.publishFirst")}</p> : null}
        </Empty>
      ) : null}
      {items && items.length > 0 && view === "table" ? (
        <>
          <SubmissionsTable
            org={org}
            form={form}
            items={items}
            fields={fields.filter((f) => !hidden.has(f.id))}
            showReceived={!hidden.has(RECEIVED)}
            onView={setDetail}
          />
          <p className="table-footer">
            {/* No running total: counting a filtered table on every page would cost a full scan. */}
            {t(cursor ? "submissions.showingMore" : "submissions.showing", { count: number(items.length) })}
            {cursor ? (
              <button type="button" className="button" onClick={onLoadMore} disabled={loadingMore}>
                {loadingMore ? t("common.loading") : t("submissions.loadMore")}
              </button>
            ) : null}
          </p>
        </>
      ) : null}
      {detail ? (
        <SubmissionDetail
          org={org}
          form={form}
          fields={fields}
          submission={detail}
          onClose={() => setDetail(null)}
          onDelete={
            canDelete
              ? () => {
                  setDeleteError(null);
                  setDeleting(detail);
                }
              : undefined
          }
        />
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
              remove(deleting.id);
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
