import type { FormDefinition } from "@coleta/forms";
import type { Dispatch, Ref } from "react";
import type { ProblemError } from "../api";
import { useI18n } from "../i18n";
import { locateField } from "./definition";
import { definitionErrorMessage, type GroupedErrors } from "./errors";
import type { BuilderAction } from "./model";
import { displayName } from "./names";

/** The focused list of what blocks saving; each question links to its card. */
export function ErrorSummary({
  definition,
  errors,
  grouped,
  dispatch,
  ref,
}: {
  definition: FormDefinition;
  errors: ProblemError[];
  grouped: GroupedErrors;
  dispatch: Dispatch<BuilderAction>;
  ref: Ref<HTMLDivElement>;
}) {
  const { t } = useI18n();
  const nameOf = (id: string) => {
    const field = locateField(definition, id)?.field;
    return field ? displayName(field) : id;
  };
  return (
    <div className="error-summary" tabIndex={-1} ref={ref} data-testid="builder-errors">
      <h2>{t("builder.fixErrors", { count: errors.length })}</h2>
      <ul>
        {grouped.form.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat.
          <li key={`f${i}`}>{definitionErrorMessage(e, t)}</li>
        ))}
        {Object.entries(grouped.fields).map(([id, list]) => (
          <li key={id}>
            <button type="button" className="link-button" onClick={() => dispatch({ type: "select", id })}>
              {nameOf(id)}
            </button>
            : {list.map((e) => definitionErrorMessage(e, t)).join(" ")}
          </li>
        ))}
        {Object.keys(grouped.pages).length ? <li>{t("builder.pageErrors")}</li> : null}
      </ul>
    </div>
  );
}
