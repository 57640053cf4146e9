import { FILTER_CONTAINS_MAX_LENGTH, type Field } from "@coleta/forms";
import { useId } from "react";
import type { ProblemError } from "../api";
import { FormField, SelectField } from "../components/fields";
import { useI18n } from "../i18n";
import { FilterErrors } from "./FilterErrors";
import { type FilterCondition, filterErrorText } from "./filter-draft";
import { filterKind } from "./filters";

/** Inputs for the questions filtered by one exact value. */
const INPUT_TYPE: Partial<Record<Field["type"], string>> = {
  number: "number",
  rating: "number",
  date: "date",
  time: "time",
};

/** The value part of a condition: options to tick, text to look for, or one exact value. */
function ConditionValue({
  field,
  values,
  onChange,
  errors,
}: {
  field: Field | undefined;
  values: string[];
  onChange: (values: string[]) => void;
  errors: ProblemError[];
}) {
  const { t } = useI18n();
  const errorId = useId();
  const kind = field ? filterKind(field) : null;
  if (field && kind === "options" && "options" in field) {
    // Ticking several options asks for answers with any of them.
    return (
      <>
        <fieldset className="filter-options" aria-describedby={errors.length > 0 ? errorId : undefined}>
          <legend>{t("submissions.anyOf")}</legend>
          {field.options.map((o) => (
            <label key={o.value} className="checkbox">
              <input
                type="checkbox"
                checked={values.includes(o.value)}
                onChange={(e) =>
                  onChange(e.target.checked ? [...values, o.value] : values.filter((v) => v !== o.value))
                }
              />
              <span>{o.label || o.value}</span>
            </label>
          ))}
        </fieldset>
        <FilterErrors id={errorId} errors={errors} />
      </>
    );
  }
  const value = values[0] ?? "";
  const change = (e: { target: { value: string } }) => onChange([e.target.value]);
  const yesNo = field?.type === "yes_no" || field?.type === "consent";
  return (
    <FormField
      className="field field-narrow"
      label={kind === "contains" ? t("submissions.contains") : t("submissions.equals")}
      error={filterErrorText(errors, t)}
    >
      {(control) =>
        yesNo ? (
          <select {...control} value={value} onChange={change}>
            <option value="">{t("submissions.anyValue")}</option>
            <option value="true">{t("common.yes")}</option>
            <option value="false">{t("common.no")}</option>
          </select>
        ) : (
          <input
            {...control}
            type={kind === "contains" ? "search" : ((field && INPUT_TYPE[field.type]) ?? "text")}
            // The API's own bound (UTF-16 units here, at most as many characters as it counts).
            maxLength={kind === "contains" ? FILTER_CONTAINS_MAX_LENGTH : undefined}
            value={value}
            onChange={change}
            disabled={!field}
          />
        )
      }
    </FormField>
  );
}

/** One "question … value" condition of the filter form. */
export function FilterConditionRow({
  condition,
  choices,
  errors,
  onChange,
  onRemove,
}: {
  condition: FilterCondition;
  /** The questions this condition may be on (not the ones other conditions use). */
  choices: Field[];
  errors: ProblemError[];
  onChange: (next: FilterCondition) => void;
  /** Absent for the only condition. */
  onRemove: (() => void) | undefined;
}) {
  const { t } = useI18n();
  const field = choices.find((f) => f.id === condition.fieldId);
  const removeLabel = t("submissions.removeFilter", { name: field?.label || field?.id || "" });
  return (
    <div className="filter-condition" data-testid="filter-condition">
      <SelectField
        label={t("submissions.filterField")}
        value={condition.fieldId}
        onChange={(e) => onChange({ fieldId: e.target.value, values: [] })}
      >
        <option value="">{t("submissions.anyField")}</option>
        {choices.map((f) => (
          <option key={f.id} value={f.id}>
            {f.label || f.id}
          </option>
        ))}
      </SelectField>
      <ConditionValue
        field={field}
        values={condition.values}
        onChange={(values) => onChange({ ...condition, values })}
        errors={errors}
      />
      {onRemove ? (
        <button
          type="button"
          className="icon-button"
          onClick={onRemove}
          aria-label={removeLabel}
          title={removeLabel}
        >
          ×
        </button>
      ) : null}
    </div>
  );
}
