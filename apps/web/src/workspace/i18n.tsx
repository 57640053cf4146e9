import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import {
  type Catalog,
  detectLocale,
  formatDateTime,
  formatNumber,
  LOCALE_EVENT,
  type Locale,
  type Params,
  setLocale as persistLocale,
  translate,
} from "../i18n/core";
import { workspaceEn } from "../i18n/workspace.en";
import { workspacePtBR } from "../i18n/workspace.pt-BR";

export const CATALOGS: Record<Locale, Catalog> = { en: workspaceEn, "pt-BR": workspacePtBR };

export interface I18n {
  locale: Locale;
  t: (key: string, params?: Params) => string;
  setLocale: (locale: Locale) => void;
  number: (value: number, options?: Intl.NumberFormatOptions) => string;
  dateTime: (value: string | number | Date, options?: Intl.DateTimeFormatOptions) => string;
}

export function makeI18n(locale: Locale, setLocale: (l: Locale) => void = persistLocale): I18n {
  const catalog = CATALOGS[locale];
  return {
    locale,
    t: (key, params) => translate(catalog, key, params),
    setLocale,
    number: (value, options) => formatNumber(locale, value, options),
    dateTime: (value, options) => formatDateTime(locale, value, options),
  };
}

const I18nContext = createContext<I18n>(makeI18n("en"));

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  const [locale, setState] = useState<Locale>(() => initial ?? detectLocale());
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  useEffect(() => {
    const onChange = (event: Event) => setState((event as CustomEvent<Locale>).detail);
    globalThis.addEventListener(LOCALE_EVENT, onChange);
    return () => globalThis.removeEventListener(LOCALE_EVENT, onChange);
  }, []);
  const change = useCallback((l: Locale) => persistLocale(l), []);
  const value = useMemo(() => makeI18n(locale, change), [locale, change]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
