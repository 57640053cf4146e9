/** @jsxImportSource preact */
// The page's chrome above the form: the brand and the language switcher (left out when embedded).
import { LOCALES, type Locale, setLocale } from "../i18n/core";
import type { T } from "../renderer/messages";

const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", "pt-BR": "Português (Brasil)" };

export function FillHeader({ t, locale }: { t: T; locale: Locale }) {
  return (
    <header class="fill-header">
      <span class="fill-brand">{t("app.name")}</span>
      <label class="fill-lang">
        <span>{t("lang.label")}</span>
        <select
          value={locale}
          onChange={(e) => setLocale((e.currentTarget as HTMLSelectElement).value as Locale)}
        >
          {LOCALES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
    </header>
  );
}
