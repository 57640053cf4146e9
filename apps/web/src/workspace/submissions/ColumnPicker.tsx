import type { Field } from "@coleta/forms";
import { useI18n } from "../i18n";
import { RECEIVED } from "./columns";

export function ColumnPicker({
  fields,
  hidden,
  onToggle,
}: {
  fields: Field[];
  hidden: Set<string>;
  onToggle: (id: string, visible: boolean) => void;
}) {
  const { t } = useI18n();
  return (
    <details className="column-picker">
      <summary className="button">{t("submissions.columns")}</summary>
      <fieldset>
        <legend className="visually-hidden">{t("submissions.columns")}</legend>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={!hidden.has(RECEIVED)}
            onChange={(e) => onToggle(RECEIVED, e.target.checked)}
          />
          <span>{t("submissions.received")}</span>
        </label>
        {fields.map((f) => (
          <label key={f.id} className="checkbox">
            <input
              type="checkbox"
              checked={!hidden.has(f.id)}
              onChange={(e) => onToggle(f.id, e.target.checked)}
            />
            <span>{f.label || f.id}</span>
          </label>
        ))}
      </fieldset>
    </details>
  );
}
