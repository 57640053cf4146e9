import type { Field, FormDefinition, Page } from "@coleta/forms";
import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { type Dispatch, useId } from "react";
import type { ProblemError } from "../api";
import { useI18n } from "../i18n";
import { FieldEditor } from "./FieldEditor";
import type { BuilderAction, BuilderState } from "./model";
import { displayName } from "./names";

export function FieldCard({
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
  frozen,
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
  frozen: BuilderState["frozen"];
  dispatch: Dispatch<BuilderAction>;
}) {
  const { t } = useI18n();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } =
    useSortable({
      id: field.id,
    });
  const editorId = useId();
  const name = displayName(field);
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
      {/* Folded while dragged: an open editor would make the card tall enough to cover the drop targets. */}
      {selected && !isDragging ? (
        <div id={editorId}>
          <FieldEditor
            field={field}
            definition={definition}
            frozen={frozen}
            errors={errors}
            dispatch={dispatch}
          />
        </div>
      ) : null}
    </li>
  );
}

/** What follows the pointer while a question is dragged: its name and type only, a small card. */
export function FieldCardPreview({ field }: { field: Field }) {
  const { t } = useI18n();
  return (
    <div className="field-card field-card-preview" data-testid="drag-preview">
      <div className="field-card-head">
        <span className="drag-handle" aria-hidden="true">
          ⠿
        </span>
        <span className="field-label">{displayName(field)}</span>
        <span className="field-meta">{t(`fieldType.${field.type}`)}</span>
      </div>
    </div>
  );
}
