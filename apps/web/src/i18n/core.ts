// Framework-free i18n shared by the workspace (React) and the fill page (Preact): no dependency, so
// it costs the fill page's size budget almost nothing.
export type Locale = "en" | "pt-BR";
export const LOCALES: readonly Locale[] = ["en", "pt-BR"];
export type Catalog = Record<string, string>;
export type Params = Record<string, string | number>;

const STORAGE_KEY = "coleta.locale";
export const LOCALE_EVENT = "coleta:locale";

function fromTag(tag: string | undefined | null): Locale | null {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  if (lower.startsWith("pt")) return "pt-BR";
  if (lower.startsWith("en")) return "en";
  return null;
}

/** The saved choice wins; otherwise the first browser language we support; otherwise English. */
export function detectLocale(): Locale {
  try {
    const saved = fromTag(globalThis.localStorage?.getItem(STORAGE_KEY));
    if (saved) return saved;
  } catch {
    // Storage can be blocked (private mode, embedded iframes); fall through to the browser.
  }
  const langs = globalThis.navigator?.languages ?? [globalThis.navigator?.language];
  for (const tag of langs) {
    const found = fromTag(tag);
    if (found) return found;
  }
  return "en";
}

export function setLocale(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Not persisting is acceptable; the event still switches the current page.
  }
  if (typeof document !== "undefined") document.documentElement.lang = locale;
  globalThis.dispatchEvent?.(new CustomEvent(LOCALE_EVENT, { detail: locale }));
}

/** `{name}` placeholders are replaced from params; a missing key shows the key so gaps are visible. */
export function translate(catalog: Catalog, key: string, params?: Params): string {
  const template = catalog[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function formatNumber(locale: Locale, value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale, options).format(value);
}

export function formatDateTime(
  locale: Locale,
  value: string | number | Date,
  options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" },
): string {
  return new Intl.DateTimeFormat(locale, options).format(new Date(value));
}
