import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CONDITION_OPS, FIELD_TYPES } from "@coleta/forms";
import { ROLES } from "@coleta/permissions";
import { describe, expect, it } from "vitest";
import { workspaceEn } from "../i18n/workspace.en";
import { workspacePtBR } from "../i18n/workspace.pt-BR";
import { KNOWN_ERROR_CODES } from "./errors";
import { makeI18n } from "./i18n";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe("workspace catalogs", () => {
  it("en and pt-BR have exactly the same keys", () => {
    const en = Object.keys(workspaceEn).sort();
    const pt = Object.keys(workspacePtBR).sort();
    expect(pt.filter((k) => !en.includes(k))).toEqual([]);
    expect(en.filter((k) => !pt.includes(k))).toEqual([]);
    expect(pt).toEqual(en);
  });

  it("has no empty strings and keeps the same placeholders in both languages", () => {
    for (const [key, value] of Object.entries(workspaceEn)) {
      expect(value.trim(), key).not.toBe("");
      const other = workspacePtBR[key] ?? "";
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(other), key).toEqual(names(value));
    }
  });

  it("translates every key the screens use literally", () => {
    const used = new Set<string>();
    for (const file of sourceFiles(import.meta.dirname)) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bt\(\s*"([a-zA-Z0-9_.-]+)"/g)) used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((k) => !(k in workspaceEn));
    expect(missing).toEqual([]);
  });

  it("covers the keys built at run time (types, operators, roles, statuses, error codes)", () => {
    const dynamic = [
      ...FIELD_TYPES.map((t) => `fieldType.${t}`),
      ...CONDITION_OPS.map((o) => `op.${o}`),
      ...ROLES.map((r) => `role.${r}`),
      ...["draft", "published", "closed"].map((s) => `status.${s}`),
      ...KNOWN_ERROR_CODES.map((c) => `error.${c}`),
      ...["edit", "share", "submissions", "summary"].map((tab) => `form.tab.${tab}`),
      ...["owner", "signin", "signup"].flatMap((m) => [`auth.title.${m}`, `auth.submit.${m}`]),
      ...["field", "page"].flatMap((x) => [
        `condition.title.${x}`,
        `condition.always.${x}`,
        `condition.noEarlier.${x}`,
      ]),
    ];
    expect(dynamic.filter((k) => !(k in workspaceEn))).toEqual([]);
  });

  it("switches language and formats with the locale", () => {
    const en = makeI18n("en");
    const pt = makeI18n("pt-BR");
    expect(en.t("forms.new")).toBe("New form");
    expect(pt.t("forms.new")).toBe("Novo formulário");
    expect(pt.t("forms.submissions", { count: pt.number(1234) })).toBe("Respostas: 1.234");
    expect(en.number(1234.5)).toBe("1,234.5");
  });
});
