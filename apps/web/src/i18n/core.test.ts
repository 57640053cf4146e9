import { afterEach, describe, expect, it, vi } from "vitest";
import { detectLocale, formatNumber, LOCALE_EVENT, setLocale, translate } from "./core";

describe("i18n core", () => {
  afterEach(() => {
    localStorage.clear();
    vi.restoreAllMocks();
  });

  it("replaces placeholders and keeps unknown ones", () => {
    expect(translate({ hi: "Olá, {name}! {x}" }, "hi", { name: "Ana" })).toBe("Olá, Ana! {x}");
    expect(translate({}, "missing.key")).toBe("missing.key");
  });

  it("prefers the saved locale, then the browser language", () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["pt-PT", "en"]);
    expect(detectLocale()).toBe("pt-BR");
    setLocale("en");
    expect(detectLocale()).toBe("en");
  });

  it("announces a switch so mounted screens re-render", () => {
    const seen: string[] = [];
    addEventListener(LOCALE_EVENT, (e) => seen.push((e as CustomEvent).detail));
    setLocale("pt-BR");
    expect(seen).toEqual(["pt-BR"]);
    expect(document.documentElement.lang).toBe("pt-BR");
  });

  it("formats numbers per locale", () => {
    expect(formatNumber("pt-BR", 1234.5)).toBe("1.234,5");
    expect(formatNumber("en", 1234.5)).toBe("1,234.5");
  });
});
