import type { Field } from "@coleta/forms";
import { useMemo, useState } from "react";
import type { ProblemError } from "../api";
import { TextField } from "../components/fields";
import { useI18n } from "../i18n";
import { FilterConditionRow } from "./FilterConditionRow";
import { FilterErrors } from "./FilterErrors";
import {
  BLANK_CONDITION,
  draftOf,
  filterableFields,
  filterErrorText,
  filtersOf,
  placeErrors,
} from "./filter-draft";
import { checkFilters, type SubmissionFilters } from "./filters";

/**
 * The filter form: edits stay local until Apply, which hands the filters to the list (and the
 * URL). Mistakes are shown next to the filter they concern: caught here (From after To), or
 * listed by the API in a 400 (`serverErrors`), with the same codes either way.
 */
export function FilterBar({
  fields,
  applied,
  serverErrors,
  onApply,
}: {
  fields: Field[];
  /** What the list shows now; the form starts from it (remount it when it changes elsewhere). */
  applied: SubmissionFilters;
  serverErrors: readonly ProblemError[];
  onApply: (filters: SubmissionFilters) => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(() => draftOf(applied, fields));
  const [localErrors, setLocalErrors] = useState<ProblemError[]>([]);
  const filterable = useMemo(() => filterableFields(fields), [fields]);
  const used = draft.conditions.map((c) => c.fieldId);
  const errors = placeErrors(localErrors.length > 0 ? localErrors : serverErrors, used);
  const area = { bbox: applied.bbox, near: applied.near };

  const setCondition = (index: number, next: (typeof draft.conditions)[number] | null) => {
    const conditions = draft.conditions.flatMap((c, i) => (i !== index ? [c] : next ? [next] : []));
    setDraft({ ...draft, conditions: conditions.length > 0 ? conditions : [BLANK_CONDITION] });
  };
  const last = draft.conditions[draft.conditions.length - 1];
  const canAdd = last?.fieldId !== "" && used.filter(Boolean).length < filterable.length;

  return (
    <form
      className="filters"
      aria-label={t("submissions.filters")}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const next = filtersOf(draft, fields, area);
        const mistakes = checkFilters(next);
        setLocalErrors(mistakes);
        if (mistakes.length === 0) onApply(next);
      }}
    >
      <div className="filter-dates">
        {(["from", "to"] as const).map((end) => (
          <TextField
            key={end}
            className="field field-narrow"
            label={t(`submissions.${end}`)}
            type="date"
            value={draft[end]}
            onChange={(e) => setDraft({ ...draft, [end]: e.target.value })}
            error={filterErrorText(errors[end], t)}
          />
        ))}
      </div>
      {draft.conditions.map((condition, index) => (
        <FilterConditionRow
          // Conditions have no identity of their own beyond their place in the list.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          key={index}
          condition={condition}
          choices={filterable.filter((f) => f.id === condition.fieldId || !used.includes(f.id))}
          errors={errors.fields[condition.fieldId] ?? []}
          onChange={(next) => setCondition(index, next)}
          onRemove={
            draft.conditions.length > 1 || condition.fieldId !== ""
              ? () => setCondition(index, null)
              : undefined
          }
        />
      ))}
      <FilterErrors errors={errors.other} />
      <div className="actions">
        {canAdd ? (
          <button
            type="button"
            className="button"
            onClick={() => setDraft({ ...draft, conditions: [...draft.conditions, BLANK_CONDITION] })}
          >
            {t("submissions.addFilter")}
          </button>
        ) : null}
        <button type="submit" className="button button-primary">
          {t("submissions.apply")}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            const blank = { from: "", to: "", conditions: [BLANK_CONDITION] };
            setDraft(blank);
            setLocalErrors([]);
            onApply(filtersOf(blank, fields, area));
          }}
        >
          {t("submissions.clear")}
        </button>
      </div>
    </form>
  );
}
