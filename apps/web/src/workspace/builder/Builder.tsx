import { type Page, TEXT_MAX_LENGTHS } from "@coleta/forms";
import { can } from "@coleta/permissions";
import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { sortableKeyboardCoordinates } from "@dnd-kit/sortable";
import { useMemo, useReducer, useRef, useState } from "react";
import {
  ApiError,
  api,
  type Form,
  formPath,
  type Organization,
  type ProblemError,
  type UpdateFormBody,
} from "../api";
import { useAnnouncer } from "../components/common";
import { ConfirmDialog } from "../components/Dialog";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";
import { locateField } from "./definition";
import { ErrorSummary } from "./ErrorSummary";
import { groupErrors } from "./errors";
import { FieldCardPreview } from "./FieldCard";
import { TextInput } from "./inputs";
import { builderReducer, initialState } from "./model";
import { displayName } from "./names";
import { PageSection } from "./PageSection";
import { Preview } from "./Preview";
import { UndoBar } from "./UndoBar";
import { useUnsavedChangesGuard } from "./useUnsavedChangesGuard";

export interface BuilderProps {
  org: Organization;
  form: Form;
  onFormChange: (form: Form) => void;
}

export default function Builder({ org, form, onFormChange }: BuilderProps) {
  const { t } = useI18n();
  const editable = can(org.role, "form.edit");
  const [state, dispatch] = useReducer(builderReducer, form, (f) => initialState(f.draft, f.published));
  const [errors, setErrors] = useState<ProblemError[]>([]);
  const [busy, setBusy] = useState<"save" | "publish" | null>(null);
  const [message, announce] = useAnnouncer(4000);
  const [failure, setFailure] = useState<string | null>(null);
  const [deletePage, setDeletePage] = useState<Page | null>(null);
  const [dragged, setDragged] = useState<string | null>(null);
  const errorSummaryRef = useRef<HTMLDivElement>(null);
  const def = state.definition;
  const grouped = useMemo(() => groupErrors(def, errors), [def, errors]);

  useUnsavedChangesGuard(state.dirty, t("builder.unsavedConfirm"));

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const onDragEnd = (event: DragEndEvent) => {
    setDragged(null);
    if (event.over && event.active.id !== event.over.id) {
      dispatch({ type: "reorderField", activeId: String(event.active.id), overId: String(event.over.id) });
    }
  };
  const fieldOf = (id: string | number | null) =>
    id === null ? undefined : locateField(def, String(id))?.field;
  const labelOf = (id: string | number) => {
    const field = fieldOf(id);
    return field ? displayName(field) : String(id);
  };
  const focusField = (id: string) =>
    requestAnimationFrame(() =>
      document
        .querySelector<HTMLElement>(`[data-testid="field-card-${CSS.escape(id)}"] .field-card-title`)
        ?.focus(),
    );

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
        body: { title: def.title, draft: def } satisfies UpdateFormBody,
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
      // What is published now keeps its ids and option values from here on.
      dispatch({ type: "published", definition: fresh.published });
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

  const draggedField = fieldOf(dragged);
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
        <ErrorSummary
          definition={def}
          errors={errors}
          grouped={grouped}
          dispatch={dispatch}
          ref={errorSummaryRef}
        />
      ) : null}
      <div className="builder-columns">
        <div className="builder-structure">
          <section className="form-settings" aria-label={t("builder.formSettings")}>
            <TextInput
              id="form-title"
              label={t("builder.formTitle")}
              value={def.title}
              limit={TEXT_MAX_LENGTHS.formTitle}
              onChange={(title) => dispatch({ type: "setTitle", title })}
            />
            <TextInput
              id="form-description"
              multiline
              label={t("builder.formDescription")}
              value={def.description}
              limit={TEXT_MAX_LENGTHS.formDescription}
              onChange={(description) => dispatch({ type: "setDescription", description })}
            />
          </section>
          <DndContext
            sensors={sensors}
            collisionDetection={closestCenter}
            onDragStart={({ active }) => setDragged(String(active.id))}
            onDragEnd={onDragEnd}
            onDragCancel={() => setDragged(null)}
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
            {/* A small card follows the pointer, so the drop targets stay visible whatever the size of the question. */}
            <DragOverlay>{draggedField ? <FieldCardPreview field={draggedField} /> : null}</DragOverlay>
          </DndContext>
          <button type="button" className="button" onClick={() => dispatch({ type: "addPage" })}>
            {t("builder.addPage")}
          </button>
        </div>
        <Preview definition={def} />
      </div>
      <UndoBar
        removed={state.removed}
        dispatch={dispatch}
        onUndone={(id) => {
          announce(t("builder.fieldRestored"));
          focusField(id);
        }}
      />
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
