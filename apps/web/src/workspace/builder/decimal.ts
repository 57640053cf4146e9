// Numbers as the owner types or pastes them in the builder: "30,5" in Portuguese is thirty and a half,
// not 305. Every number input of the builder parses with `parseDecimal` and shows with `formatDecimal`.
import type { Locale } from "../../i18n/core";

function separators(locale: Locale): { decimal: string; group: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  return {
    decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
    group: parts.find((p) => p.type === "group")?.value ?? ",",
  };
}

const PLAIN = /^(\d+\.?\d*|\.\d+)$/;

/** "1.234.567" with `.` as grouping: one to three digits, then groups of exactly three. */
function isGrouped(digits: string, group: string): boolean {
  const [head = "", ...rest] = digits.split(group);
  return rest.length > 0 && /^\d{1,3}$/.test(head) && rest.every((g) => /^\d{3}$/.test(g));
}

/** `body` (no sign) with `.` as its only decimal mark and no grouping; null when it cannot be. */
function normalize(body: string, locale: Locale): string | null {
  const lastDot = body.lastIndexOf(".");
  const lastComma = body.lastIndexOf(",");
  if (lastDot >= 0 && lastComma >= 0) {
    const [group, at] = lastDot > lastComma ? [",", lastDot] : [".", lastComma];
    const whole = body.slice(0, at);
    if (!isGrouped(whole, group)) return null;
    return `${whole.split(group).join("")}.${body.slice(at + 1)}`;
  }
  const sep = lastDot >= 0 ? "." : lastComma >= 0 ? "," : null;
  if (sep === null) return body;
  if (sep !== separators(locale).decimal && isGrouped(body, sep)) return body.split(sep).join("");
  return body.split(sep).length === 2 ? body.replace(sep, ".") : null;
}

/**
 * The number in `raw`, read in `locale`: `undefined` when empty, `null` when it is not a number.
 * With both `.` and `,` the last one is the decimal mark ("1.234,5", "1,234.5"). With one of them:
 * the locale's decimal mark is decimal; the other is grouping only in groups of three ("1.234" in
 * pt-BR), otherwise a decimal mark too ("30.5" pasted into a Portuguese form is still 30.5).
 */
export function parseDecimal(raw: string, locale: Locale): number | null | undefined {
  const text = raw.replace(/[\s\u00a0\u202f]/g, "").replace(/\u2212/g, "-");
  if (text === "") return undefined;
  const sign = /^[-+]/.test(text) ? (text[0] as string) : "";
  const normalized = normalize(text.slice(sign.length), locale);
  if (normalized === null || !PLAIN.test(normalized)) return null;
  return Number(sign + normalized);
}

/** `value` as the owner reads it in `locale`, without grouping so it parses back to itself. */
export function formatDecimal(value: number | undefined, locale: Locale): string {
  if (value === undefined || !Number.isFinite(value)) return "";
  return new Intl.NumberFormat(locale, { useGrouping: false, maximumFractionDigits: 20 }).format(value);
}
