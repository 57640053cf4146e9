import type { Field, FormDefinition } from "@coleta/forms";
import type { I18n } from "../i18n";

export function definitionFields(def: FormDefinition | null | undefined): Field[] {
  return def ? def.pages.flatMap((p) => p.fields) : [];
}

function optionLabel(field: Field, value: unknown): string {
  if ("options" in field) {
    const found = field.options.find((o) => o.value === value);
    if (found) return found.label;
  }
  return String(value);
}

/** An answer as short human text for a table cell or the detail view. */
export function formatAnswer(
  field: Field | undefined,
  value: unknown,
  i18n: Pick<I18n, "t" | "number" | "dateTime">,
): string {
  const { t, number, dateTime } = i18n;
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0))
    return "";
  if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
  if (typeof value === "number") return number(value);
  if (field && (field.type === "single_choice" || field.type === "dropdown"))
    return optionLabel(field, value);
  if (Array.isArray(value)) {
    return value
      .map((v) => {
        if (v && typeof v === "object" && "name" in v) return String((v as { name: unknown }).name);
        return field ? optionLabel(field, v) : String(v);
      })
      .join(", ");
  }
  if (typeof value === "object") {
    const p = value as { lat?: unknown; lon?: unknown; accuracy?: unknown };
    if (typeof p.lat === "number" && typeof p.lon === "number") {
      const coords = `${number(p.lat, { maximumFractionDigits: 6 })}, ${number(p.lon, { maximumFractionDigits: 6 })}`;
      return typeof p.accuracy === "number"
        ? `${coords} (±${number(p.accuracy, { maximumFractionDigits: 0 })} m)`
        : coords;
    }
    return JSON.stringify(value);
  }
  if (typeof value === "string" && field?.type === "date" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return dateTime(`${value}T12:00:00`, { dateStyle: "medium" });
  }
  return String(value);
}
