import { can } from "@coleta/permissions";
import { useMemo, useState } from "react";
import { ApiError, api, type Form, formPath, type Organization, type Submission } from "../api";
import { Empty, ErrorBox, Loading, useAnnouncer } from "../components/common";
import { ConfirmDialog } from "../components/Dialog";
import { FormError, LiveMessage } from "../components/fields";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";
import { navigate, useRoute } from "../router";
import { ColumnPicker } from "./ColumnPicker";
import { RECEIVED, useHiddenColumns } from "./columns";
import { ExportPanel } from "./ExportPanel";
import { FilterBar } from "./FilterBar";
import {
  isFiltered,
  readFilters,
  type SubmissionFilters,
  type SubmissionsView,
  writeFilters,
} from "./filters";
import { definitionFields } from "./format";
import { SubmissionDetail } from "./SubmissionDetail";
import { SubmissionsMap } from "./SubmissionsMap";
import { SubmissionsTable } from "./SubmissionsTable";
import { useSubmissionPages } from "./useSubmissionPages";

// The submissions tab: filters, columns and export above a paged table; a drawer for one
// submission. Each part is its own file; this one only wires them together. The filters and the
// view are the URL's query string (filters.ts): applying filters navigates, so back undoes them.
export default function Submissions({ org, form }: { org: Organization; form: Form }) {
  const { t, number } = useI18n();
  const definition = form.published ?? form.draft;
  const fields = useMemo(() => definitionFields(definition), [definition]);
  const route = useRoute();
  const query = route.name === "form" ? (route.query ?? "") : "";
  const { filters, view: wanted } = useMemo(() => readFilters(query), [query]);
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
  const view: SubmissionsView = located ? wanted : "table";
  const show = (next: SubmissionFilters, nextView: SubmissionsView = view) => {
    const nextQuery = writeFilters(next, nextView);
    navigate({
      name: "form",
      orgId: org.id,
      formId: form.id,
      tab: "submissions",
      ...(nextQuery ? { query: nextQuery } : {}),
    });
  };
  // A 400 lists the filters the API refused: shown next to each filter, not as a failed list.
  const filterErrors = error instanceof ApiError && error.status === 400 ? (error.problem.errors ?? []) : [];
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
          // A new start when the applied filters change elsewhere (back, the map's area stays apart).
          key={writeFilters({ ...filters, bbox: undefined, near: undefined })}
          fields={fields}
          applied={filters}
          serverErrors={filterErrors}
          onApply={(next) => show(next)}
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
              onClick={() => show(filters, option)}
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
          onArea={(area) => show({ ...filters, ...area })}
        />
      ) : null}
      <LiveMessage message={message} />
      {filterErrors.length > 0 ? (
        <FormError error={t("submissions.filtersInvalid")} />
      ) : error ? (
        <ErrorBox message={errorMessage(error, t)} onRetry={reload} />
      ) : null}
      {!items && !error ? <Loading /> : null}
      {items && items.length === 0 ? (
        <Empty title={isFiltered(filters) ? t("submissions.noneMatching") : t("submissions.none")}>
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
