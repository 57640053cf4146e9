import type { Field } from "@coleta/forms";
import { useId, useState } from "react";
import type { SubmissionFilters } from "../api";
import { useI18n } from "../i18n";

function toIsoStart(date: string): string | undefined {
  return date ? new Date(`${date}T00:00:00`).toISOString() : undefined;
}
function toIsoEnd(date: string): string | undefined {
  return date ? new Date(`${date}T23:59:59.999`).toISOString() : undefined;
}

const EMPTY = { from: "", to: "", fieldId: "", value: "" };

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

/** The filter form: edits stay local until Apply, which hands the filters to the list. */
export function FilterBar({
  fields,
  onApply,
}: {
  fields: Field[];
  onApply: (filters: SubmissionFilters) => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(EMPTY);
  const ids = { from: useId(), to: useId(), field: useId(), value: useId() };
  const filterField = fields.find((f) => f.id === draft.fieldId);
  return (
    <form
      className="filters"
      aria-label={t("submissions.filters")}
      onSubmit={(e) => {
        e.preventDefault();
        onApply({
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
            setDraft(EMPTY);
            onApply({});
          }}
        >
          {t("submissions.clear")}
        </button>
      </div>
    </form>
  );
}
