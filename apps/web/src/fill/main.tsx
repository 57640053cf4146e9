/** @jsxImportSource preact */
import { render } from "preact";
import { detectLocale, LOCALES, type Locale, setLocale } from "../i18n/core";
import "../renderer/renderer.css";
import { App } from "./App";
import { slugFromPath } from "./api";
import "./fill.css";
import { Outbox } from "./outbox";
import { registerOfflineShell } from "./sw-register";

const params = new URLSearchParams(location.search);
const embed = params.get("embed") === "1";
const requested = params.get("lang");
const locale: Locale = LOCALES.includes(requested as Locale) ? (requested as Locale) : detectLocale();
document.documentElement.lang = locale;
if (requested && locale !== detectLocale()) setLocale(locale);
if (embed) document.documentElement.classList.add("embed");

render(
  <App slug={slugFromPath(location.pathname)} embed={embed} outbox={new Outbox()} initialLocale={locale} />,
  document.getElementById("root") as HTMLElement,
);

registerOfflineShell();
