/** @jsxImportSource preact */
import { LEVEL_COLORS, LEVEL_TINTS, type Locale } from "@coleta/monitoring";
import { render } from "preact";
import { detectLocale, LOCALES } from "../i18n/core";
import { Board } from "./Board";
import "../visually-hidden.css";
import "./status.css";

// The status board page (/frontend/status). `?lang=pt-BR|en` picks the language (default: the
// browser's); `?token=` is sent as a Bearer header when the board is protected (STATUS_BOARD=token).
const params = new URLSearchParams(location.search);
const requested = params.get("lang");
const locale: Locale = LOCALES.includes(requested as Locale) ? (requested as Locale) : detectLocale();
document.documentElement.lang = locale;
for (const [level, color] of Object.entries(LEVEL_COLORS)) {
  document.documentElement.style.setProperty(`--${level}`, color);
  document.documentElement.style.setProperty(
    `--${level}-tint`,
    LEVEL_TINTS[level as keyof typeof LEVEL_TINTS],
  );
}

render(
  <Board initialLocale={locale} token={params.get("token")} />,
  document.getElementById("root") as HTMLElement,
);
