/** @jsxImportSource preact */
import { render } from "preact";
import { detectLocale, LOCALES, type Locale, setLocale } from "../i18n/core";
import rendererCss from "../renderer/renderer.css?inline";
import hiddenCss from "../visually-hidden.css?inline";
import { App } from "./App";
import { readEmbeddedForm, slugFromPath } from "./api";
import fillCss from "./fill.css?inline";
import { Outbox } from "./outbox";
import { registerOfflineShell } from "./sw-register";

// The styles travel inside this script rather than as two more files: nothing shows before the script
// runs anyway, and on a slow phone every request is a round trip (docs/web-fill.md, "Load time").
const style = document.createElement("style");
style.textContent = hiddenCss + rendererCss + fillCss;
document.head.append(style);

const params = new URLSearchParams(location.search);
const embed = params.get("embed") === "1";
const requested = params.get("lang");
const locale: Locale = LOCALES.includes(requested as Locale) ? (requested as Locale) : detectLocale();
document.documentElement.lang = locale;
if (requested && locale !== detectLocale()) setLocale(locale);
if (embed) document.documentElement.classList.add("embed");

const slug = slugFromPath(location.pathname);
render(
  <App
    slug={slug}
    embed={embed}
    outbox={new Outbox()}
    initialLocale={locale}
    embedded={slug ? readEmbeddedForm(slug) : null}
  />,
  document.getElementById("root") as HTMLElement,
);

registerOfflineShell();
