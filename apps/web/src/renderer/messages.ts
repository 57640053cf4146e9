import { type Catalog, formatDateTime, formatNumber, type Locale, translate } from "../i18n/core";
import { fillEn } from "../i18n/fill.en";
import { fillPtBR } from "../i18n/fill.pt-BR";
import { validationEn } from "../i18n/validation.en";
import { validationPtBR } from "../i18n/validation.pt-BR";
import { type Issue, type LooseField, maxFiles, textMaxLength } from "./logic";

const fill: Record<Locale, Catalog> = { en: fillEn, "pt-BR": fillPtBR };
const validation: Record<Locale, Catalog> = { en: validationEn, "pt-BR": validationPtBR };

export type T = (key: keyof typeof fillEn, params?: Record<string, string | number>) => string;

export function makeT(locale: Locale): T {
  const catalog = fill[locale] ?? fillEn;
  return (key, params) => translate(catalog, key, params);
}

export function formatBytes(locale: Locale, bytes: number): string {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatNumber(locale, value, { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${units[unit]}`;
}

function formatParam(locale: Locale, field: LooseField | undefined, code: string, value: unknown): string {
  if (typeof value === "number") {
    return code === "file_too_large" ? formatBytes(locale, value) : formatNumber(locale, value);
  }
  if (typeof value === "string" && field?.type === "date" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return formatDateTime(locale, `${value}T12:00:00`, { dateStyle: "medium" });
  }
  if (typeof value === "string" && field?.type === "time" && /^\d{2}:\d{2}$/.test(value)) {
    return formatDateTime(locale, `2000-01-01T${value}:00`, { timeStyle: "short" });
  }
  return String(value);
}

/** Limits the message needs, taken from the field when the issue's params don't carry them. */
function fieldParams(field: LooseField | undefined, code: string): Record<string, unknown> {
  if (!field) return {};
  switch (code) {
    case "too_short":
      return { min: field.minLength };
    case "too_long":
      return { max: textMaxLength(field) };
    case "too_few_selected":
      return { min: field.minSelected };
    case "too_many_selected":
      return { max: field.maxSelected };
    case "below_min":
      return { min: field.min };
    case "above_max":
      return { max: field.max };
    case "accuracy_too_low":
      return { max: field.maxAccuracy };
    case "too_many_files":
      return { max: maxFiles(field) };
    case "file_too_large":
      return { max: field.maxSizeBytes };
    default:
      return {};
  }
}

/** Translate an issue by its stable `code`; the English `message` is the last resort. */
export function issueMessage(locale: Locale, issue: Issue, field?: LooseField): string {
  if (issue.code === "pattern" && field?.patternMessage) return field.patternMessage;
  let key = issue.code;
  if (key === "invalid_type" && field?.type === "number") key = "invalid_number";
  if ((key === "below_min" || key === "above_max") && (field?.type === "date" || field?.type === "time")) {
    key = `${field.type}_${key}`;
  }
  const catalog = validation[locale] ?? validationEn;
  if (!(key in catalog)) {
    return locale === "en" && issue.message ? issue.message : (catalog.fallback ?? issue.message);
  }
  const raw = { ...fieldParams(field, issue.code), ...(issue.params ?? {}) };
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined && value !== null) params[name] = formatParam(locale, field, issue.code, value);
  }
  const text = translate(catalog, key, params);
  if (/\{\w+\}/.test(text)) {
    return locale === "en" && issue.message ? issue.message : (catalog.fallback ?? issue.message);
  }
  return text;
}
