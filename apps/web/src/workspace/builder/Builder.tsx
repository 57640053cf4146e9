import type { Field, FieldType, FormDefinition, Page } from "@coleta/forms";
import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { type Dispatch, useEffect, useId, useMemo, useReducer, useRef, useState } from "react";
import { ApiError, api, type Form, formPath, type Organization, type ProblemError } from "../api";
import { useAnnouncer } from "../components/common";
import { ConfirmDialog } from "../components/Dialog";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";
import { can } from "../roles";
import { setNavigationGuard } from "../router";
import { ConditionEditor } from "./ConditionEditor";
import { definitionErrorMessage, type GroupedErrors, groupErrors } from "./errors";
import { FieldEditor } from "./FieldEditor";
import {
  BUILDER_FIELD_TYPES,
  type BuilderAction,
  builderReducer,
  earlierFields,
  initialState,
} from "./model";
import { Preview } from "./Preview";

function FieldCard({
  field,
  page,
  pages,
  index,
  count,
  isFirstOverall,
  isLastOverall,
  selected,
  errors,
  definition,
  dispatch,
}: {
  field: Field;
  page: Page;
  pages: Page[];
  index: number;
  count: number;
  isFirstOverall: boolean;
  isLastOverall: boolean;
  selected: boolean;
  errors: ProblemError[] | undefined;
  definition: FormDefinition;
  dispatch: Dispatch<BuilderAction>;
}) {
  const { t } = useI18n();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } =
    useSortable({
      id: field.id,
    });
  const editorId = useId();
  const name = field.label || field.id;
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={`field-card${selected ? " selected" : ""}${isDragging ? " dragging" : ""}${errors?.length ? " has-errors" : ""}`}
      data-testid={`field-card-${field.id}`}
    >
      <div className="field-card-head">
        <button
          type="button"
          ref={setActivatorNodeRef}
          className="drag-handle"
          aria-label={t("builder.drag", { name })}
          {...attributes}
          {...listeners}
        >
          <span aria-hidden="true">⠿</span>
        </button>
        <button
          type="button"
          className="field-card-title"
          aria-expanded={selected}
          aria-controls={editorId}
          onClick={() => dispatch({ type: "select", id: selected ? null : field.id })}
        >
          <span className="field-label">
            {name}
            {field.required ? (
              <>
                <span aria-hidden="true"> *</span>
                <span className="visually-hidden"> ({t("builder.requiredMark")})</span>
              </>
            ) : null}
          </span>
          <span className="field-meta">
            {t(`fieldType.${field.type}`)}
            {field.visibleWhen ? ` · ${t("builder.hasCondition")}` : ""}
          </span>
          {errors?.length ? (
            <span className="badge badge-error">{t("builder.errorCount", { count: errors.length })}</span>
          ) : null}
        </button>
        <div className="field-card-actions">
          <button
            type="button"
            className="icon-button"
            aria-label={t("builder.moveUp", { name })}
            disabled={isFirstOverall}
            onClick={() => dispatch({ type: "moveField", id: field.id, delta: -1 })}
          >
            ↑
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={t("builder.moveDown", { name })}
            disabled={isLastOverall}
            onClick={() => dispatch({ type: "moveField", id: field.id, delta: 1 })}
          >
            ↓
          </button>
          {pages.length > 1 ? (
            <select
              aria-label={t("builder.moveToPage", { name })}
              value={page.id}
              onChange={(e) => dispatch({ type: "moveFieldToPage", id: field.id, pageId: e.target.value })}
            >
              {pages.map((p, i) => (
                <option key={p.id} value={p.id}>
                  {p.title || t("builder.pageN", { n: i + 1 })}
                </option>
              ))}
            </select>
          ) : null}
          <button
            type="button"
            className="icon-button danger"
            aria-label={t("builder.deleteField", { name })}
            onClick={() => dispatch({ type: "removeField", id: field.id })}
          >
            ×
          </button>
        </div>
      </div>
      <span className="visually-hidden">{t("builder.position", { n: index + 1, count })}</span>
      {selected ? (
        <div id={editorId}>
          <FieldEditor field={field} definition={definition} errors={errors} dispatch={dispatch} />
        </div>
      ) : null}
    </li>
  );
}

function AddField({ page, dispatch }: { page: Page; dispatch: Dispatch<BuilderAction> }) {
  const { t } = useI18n();
  const [type, setType] = useState<FieldType>("short_text");
  const selectId = useId();
  return (
    <div className="add-field">
      <label htmlFor={selectId}>{t("builder.fieldType")}</label>
      <select id={selectId} value={type} onChange={(e) => setType(e.target.value as FieldType)}>
        {BUILDER_FIELD_TYPES.map((ft) => (
          <option key={ft} value={ft}>
            {t(`fieldType.${ft}`)}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button"
        onClick={() =>
          dispatch({
            type: "addField",
            fieldType: type,
            pageId: page.id,
            label: t(`fieldType.${type}`),
            optionLabel: t("builder.optionDefault", { n: "{n}" }),
          })
        }
      >
        {t("builder.addField")}
      </button>
    </div>
  );
}

function PageSection({
  page,
  pageIndex,
  state,
  errors,
  dispatch,
  onDelete,
}: {
  page: Page;
  pageIndex: number;
  state: ReturnType<typeof initialState>;
  errors: GroupedErrors;
  dispatch: Dispatch<BuilderAction>;
  onDelete: (page: Page) => void;
}) {
  const { t } = useI18n();
  const def = state.definition;
  const pages = def.pages;
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const pageName = page.title || t("builder.pageN", { n: pageIndex + 1 });
  const totalBefore = pages.slice(0, pageIndex).reduce((n, p) => n + p.fields.length, 0);
  const total = pages.reduce((n, p) => n + p.fields.length, 0);
  return (
    <section className="page-section" aria-labelledby={titleId} data-testid={`page-${page.id}`}>
      <div className="page-head">
        <h3 id={titleId}>{pageName}</h3>
        <div className="page-actions">
          <button
            type="button"
            className="button button-small"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            {t("builder.pageSettings")}
          </button>
          {pages.length > 1 ? (
            <>
              <button
                type="button"
                className="icon-button"
                aria-label={t("builder.pageUp", { name: pageName })}
                disabled={pageIndex === 0}
                onClick={() => dispatch({ type: "movePage", pageId: page.id, delta: -1 })}
              >
                ↑
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={t("builder.pageDown", { name: pageName })}
                disabled={pageIndex === pages.length - 1}
                onClick={() => dispatch({ type: "movePage", pageId: page.id, delta: 1 })}
              >
                ↓
              </button>
              <button
                type="button"
                className="button button-small button-danger-outline"
                onClick={() => onDelete(page)}
              >
                {t("builder.deletePage")}
              </button>
            </>
          ) : null}
        </div>
      </div>
      {errors.pages[page.id]?.length ? (
        <ul className="error-list">
          {errors.pages[page.id]?.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat.
            <li key={i}>{definitionErrorMessage(e, t)}</li>
          ))}
        </ul>
      ) : null}
      {open ? (
        <div className="page-settings">
          <div className="field">
            <label htmlFor={`${titleId}-t`}>{t("builder.pageTitle")}</label>
            <input
              id={`${titleId}-t`}
              value={page.title ?? ""}
              onChange={(e) =>
                dispatch({ type: "updatePage", pageId: page.id, patch: { title: e.target.value } })
              }
            />
          </div>
          <div className="field">
            <label htmlFor={`${titleId}-d`}>{t("builder.pageDescription")}</label>
            <textarea
              id={`${titleId}-d`}
              rows={2}
              value={page.description ?? ""}
              onChange={(e) =>
                dispatch({ type: "updatePage", pageId: page.id, patch: { description: e.target.value } })
              }
            />
          </div>
          <ConditionEditor
            target="page"
            condition={page.visibleWhen}
            earlier={earlierFields(def, { pageId: page.id })}
            onChange={(condition) => dispatch({ type: "setPageCondition", pageId: page.id, condition })}
          />
        </div>
      ) : null}
      <SortableContext items={page.fields.map((f) => f.id)} strategy={verticalListSortingStrategy}>
        {page.fields.length === 0 ? <p className="empty-page">{t("builder.emptyPage")}</p> : null}
        <ol className="field-list">
          {page.fields.map((field, i) => (
            <FieldCard
              key={field.id}
              field={field}
              page={page}
              pages={pages}
              index={totalBefore + i}
              count={total}
              isFirstOverall={pageIndex === 0 && i === 0}
              isLastOverall={pageIndex === pages.length - 1 && i === page.fields.length - 1}
              selected={state.selectedId === field.id}
              errors={errors.fields[field.id]}
              definition={def}
              dispatch={dispatch}
            />
          ))}
        </ol>
      </SortableContext>
      <AddField page={page} dispatch={dispatch} />
    </section>
  );
}

export interface BuilderProps {
  org: Organization;
  form: Form;
  onFormChange: (form: Form) => void;
}

export default function Builder({ org, form, onFormChange }: BuilderProps) {
  const { t } = useI18n();
  const editable = can(org.role, "form.edit");
  const [state, dispatch] = useReducer(builderReducer, form.draft, initialState);
  const [errors, setErrors] = useState<ProblemError[]>([]);
  const [busy, setBusy] = useState<"save" | "publish" | null>(null);
  const [message, announce] = useAnnouncer(4000);
  const [failure, setFailure] = useState<string | null>(null);
  const [deletePage, setDeletePage] = useState<Page | null>(null);
  const errorSummaryRef = useRef<HTMLDivElement>(null);
  const def = state.definition;
  const grouped = useMemo(() => groupErrors(def, errors), [def, errors]);

  // Unsaved-changes guard: in-app navigation asks, closing the tab gets the browser's prompt.
  const dirtyRef = useRef(state.dirty);
  dirtyRef.current = state.dirty;
  useEffect(() => {
    setNavigationGuard(() => (dirtyRef.current ? t("builder.unsavedConfirm") : null));
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!dirtyRef.current) return;
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => {
      setNavigationGuard(null);
      window.removeEventListener("beforeunload", onBeforeUnload);
    };
  }, [t]);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const onDragEnd = (event: DragEndEvent) => {
    if (event.over && event.active.id !== event.over.id) {
      dispatch({ type: "reorderField", activeId: String(event.active.id), overId: String(event.over.id) });
    }
  };
  const labelOf = (id: string | number) => {
    for (const p of def.pages) for (const f of p.fields) if (f.id === id) return f.label || f.id;
    return String(id);
  };

  const showErrors = (list: ProblemError[]) => {
    setErrors(list);
    announce(t("builder.fixErrors", { count: list.length }));
    requestAnimationFrame(() => errorSummaryRef.current?.focus());
  };

  /** Client-side check first (same validator as the API), then PUT. Returns the saved form or null. */
  const save = async (): Promise<Form | null> => {
    setFailure(null);
    const { validateDefinition } = await import("@coleta/forms/schema");
    const check = validateDefinition(def);
    if (!check.ok) {
      showErrors(check.errors);
      return null;
    }
    try {
      const saved = await api<Form>(formPath(org.id, form.id), {
        method: "PUT",
        body: { title: def.title, draft: def },
      });
      setErrors([]);
      dispatch({ type: "saved" });
      onFormChange(saved);
      return saved;
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.problem.errors?.length) {
        showErrors(error.problem.errors);
      } else {
        setFailure(errorMessage(error, t));
      }
      return null;
    }
  };

  const onSave = async () => {
    setBusy("save");
    const saved = await save();
    setBusy(null);
    if (saved) announce(t("builder.saved"));
  };

  const onPublish = async () => {
    setBusy("publish");
    try {
      if (state.dirty || form.status === "draft" || errors.length) {
        const saved = await save();
        if (!saved) return;
      }
      const result = await api<{ version: number }>(`${formPath(org.id, form.id)}/publish`, {
        method: "POST",
        body: {},
      });
      const fresh = await api<Form>(formPath(org.id, form.id));
      onFormChange(fresh);
      announce(t("builder.published", { version: result.version }));
    } catch (error) {
      setFailure(errorMessage(error, t));
    } finally {
      setBusy(null);
    }
  };

  if (!editable) {
    return (
      <div className="builder builder-readonly" data-testid="builder">
        <p className="notice">{t("builder.readOnly")}</p>
        <Preview definition={form.published ?? form.draft} />
      </div>
    );
  }

  const statusText = state.dirty
    ? t("builder.unsaved")
    : form.hasUnpublishedChanges && form.publishedVersion !== null
      ? t("forms.unpublishedChanges")
      : form.publishedVersion !== null
        ? t("builder.upToDate", { version: form.publishedVersion })
        : t("builder.neverPublished");

  return (
    <div className="builder" data-testid="builder">
      <div className="builder-toolbar">
        <p className="save-state" data-testid="save-state">
          {statusText}
        </p>
        <div className="actions">
          <button type="button" className="button" onClick={onSave} disabled={busy !== null}>
            {busy === "save" ? t("builder.saving") : t("builder.save")}
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={onPublish}
            disabled={busy !== null}
          >
            {busy === "publish" ? t("builder.publishing") : t("builder.publish")}
          </button>
        </div>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {message}
      </p>
      {message ? (
        <p className="toast" aria-hidden="true">
          {message}
        </p>
      ) : null}
      {failure ? (
        <p className="error-box" role="alert">
          {failure}
        </p>
      ) : null}
      {errors.length ? (
        <div className="error-summary" tabIndex={-1} ref={errorSummaryRef} data-testid="builder-errors">
          <h2>{t("builder.fixErrors", { count: errors.length })}</h2>
          <ul>
            {grouped.form.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat.
              <li key={`f${i}`}>{definitionErrorMessage(e, t)}</li>
            ))}
            {Object.entries(grouped.fields).map(([id, list]) => (
              <li key={id}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => dispatch({ type: "select", id })}
                >
                  {labelOf(id)}
                </button>
                : {list.map((e) => definitionErrorMessage(e, t)).join(" ")}
              </li>
            ))}
            {Object.keys(grouped.pages).length ? <li>{t("builder.pageErrors")}</li> : null}
          </ul>
        </div>
      ) : null}
      <div className="builder-columns">
        <div className="builder-structure">
          <section className="form-settings" aria-label={t("builder.formSettings")}>
            <div className="field">
              <label htmlFor="form-title">{t("builder.formTitle")}</label>
              <input
                id="form-title"
                value={def.title}
                onChange={(e) => dispatch({ type: "setTitle", title: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="form-description">{t("builder.formDescription")}</label>
              <textarea
                id="form-description"
                rows={2}
                value={def.description ?? ""}
                onChange={(e) => dispatch({ type: "setDescription", description: e.target.value })}
              />
            </div>
          </section>
          <DndContext
            sensors={sensors}
            collisionDetection={closestCenter}
            onDragEnd={onDragEnd}
            accessibility={{
              screenReaderInstructions: { draggable: t("dnd.instructions") },
              announcements: {
                onDragStart: ({ active }) => t("dnd.start", { name: labelOf(active.id) }),
                onDragOver: ({ active, over }) =>
                  over ? t("dnd.over", { name: labelOf(active.id), target: labelOf(over.id) }) : undefined,
                onDragEnd: ({ active, over }) =>
                  over ? t("dnd.end", { name: labelOf(active.id), target: labelOf(over.id) }) : undefined,
                onDragCancel: ({ active }) => t("dnd.cancel", { name: labelOf(active.id) }),
              },
            }}
          >
            {def.pages.map((page, i) => (
              <PageSection
                key={page.id}
                page={page}
                pageIndex={i}
                state={state}
                errors={grouped}
                dispatch={dispatch}
                onDelete={setDeletePage}
              />
            ))}
          </DndContext>
          <button type="button" className="button" onClick={() => dispatch({ type: "addPage" })}>
            {t("builder.addPage")}
          </button>
        </div>
        <Preview definition={def} />
      </div>
      {deletePage ? (
        <ConfirmDialog
          title={t("builder.deletePageTitle")}
          message={t("builder.deletePageBody", { count: deletePage.fields.length })}
          confirmLabel={t("builder.deletePage")}
          danger
          onCancel={() => setDeletePage(null)}
          onConfirm={() => {
            dispatch({ type: "removePage", pageId: deletePage.id });
            setDeletePage(null);
          }}
        />
      ) : null}
    </div>
  );
}
