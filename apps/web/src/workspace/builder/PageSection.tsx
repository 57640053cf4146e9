import { type Page, TEXT_MAX_LENGTHS } from "@coleta/forms";
import { SortableContext, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { type Dispatch, useId, useState } from "react";
import { useI18n } from "../i18n";
import { AddField } from "./AddField";
import { ConditionEditor } from "./ConditionEditor";
import { definitionErrorMessage, type GroupedErrors } from "./errors";
import { FieldCard } from "./FieldCard";
import { TextInput } from "./inputs";
import { type BuilderAction, type BuilderState, earlierFields } from "./model";

export function PageSection({
  page,
  pageIndex,
  state,
  errors,
  dispatch,
  onDelete,
}: {
  page: Page;
  pageIndex: number;
  state: BuilderState;
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
          <TextInput
            label={t("builder.pageTitle")}
            value={page.title}
            limit={TEXT_MAX_LENGTHS.pageTitle}
            onChange={(title) => dispatch({ type: "updatePage", pageId: page.id, patch: { title } })}
          />
          <TextInput
            multiline
            label={t("builder.pageDescription")}
            value={page.description}
            limit={TEXT_MAX_LENGTHS.pageDescription}
            onChange={(description) =>
              dispatch({ type: "updatePage", pageId: page.id, patch: { description } })
            }
          />
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
              key={state.keys[field.id] ?? field.id}
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
              frozen={state.frozen}
              dispatch={dispatch}
            />
          ))}
        </ol>
      </SortableContext>
      <AddField page={page} dispatch={dispatch} />
    </section>
  );
}
