import {
  type Catalog,
  formatDateTime,
  formatNumber,
  type Locale,
  type Params,
  translate,
} from "../i18n/core";
import { type FillKey, fillEn } from "../i18n/fill.en";
import { fillPtBR } from "../i18n/fill.pt-BR";
import { validationEn } from "../i18n/validation.en";
import { validationPtBR } from "../i18n/validation.pt-BR";
import { type Issue, type LooseField, maxFiles, textMaxLength } from "./logic";

const fill: Record<Locale, Catalog> = { en: fillEn, "pt-BR": fillPtBR };
const validation: Record<Locale, Catalog> = { en: validationEn, "pt-BR": validationPtBR };

/** Messages about a number of things: the catalog holds `<key>.one`, `<key>.other` (and any other CLDR form). */
export type CountKey = { [K in FillKey]: K extends `${infer Base}.other` ? Base : never }[FillKey];

export interface T {
  (key: FillKey, params?: Params): string;
  /**
   * The message about `count` things in the form the language uses for that number (Intl.PluralRules:
   * "1 answer" / "3 answers"), with `{count}` formatted for the locale.
   */
  count(key: CountKey, count: number, params?: Params): string;
}

export function makeT(locale: Locale): T {
  const catalog = fill[locale] ?? fillEn;
  const plural = new Intl.PluralRules(locale);
  const t = ((key, params) => translate(catalog, key, params)) as T;
  t.count = (key, count, params) => {
    const form = `${key}.${plural.select(count)}`;
    return translate(catalog, form in catalog ? form : `${key}.other`, {
      ...params,
      count: formatNumber(locale, count),
    });
  };
  return t;
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

/** Where each code's limit is in a field, for issues whose params don't carry it. */
const LIMIT_OF: Record<string, [param: "min" | "max", read: (field: LooseField) => unknown]> = {
  too_short: ["min", (f) => f.minLength],
  too_long: ["max", textMaxLength],
  too_few_selected: ["min", (f) => f.minSelected],
  too_many_selected: ["max", (f) => f.maxSelected],
  below_min: ["min", (f) => f.min],
  above_max: ["max", (f) => f.max],
  accuracy_too_low: ["max", (f) => f.maxAccuracy],
  too_many_files: ["max", maxFiles],
  file_too_large: ["max", (f) => f.maxSizeBytes],
};

/** Limits the message needs, taken from the field when the issue's params don't carry them. */
function fieldParams(field: LooseField | undefined, code: string): Record<string, unknown> {
  const limit = LIMIT_OF[code];
  return field && limit ? { [limit[0]]: limit[1](field) } : {};
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
  const fallback = () =>
    locale === "en" && issue.message ? issue.message : (catalog.fallback ?? issue.message);
  if (!(key in catalog)) return fallback();
  const raw = { ...fieldParams(field, issue.code), ...(issue.params ?? {}) };
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined && value !== null) params[name] = formatParam(locale, field, issue.code, value);
  }
  const text = translate(catalog, key, params);
  return /\{\w+\}/.test(text) ? fallback() : text;
}
