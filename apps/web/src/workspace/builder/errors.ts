import type { FormDefinition } from "@coleta/forms";
import type { ProblemError } from "../api";
import type { TFunction } from "../errors";

function add(map: Record<string, ProblemError[]>, key: string, error: ProblemError): void {
  const list = map[key] ?? [];
  list.push(error);
  map[key] = list;
}

export interface GroupedErrors {
  form: ProblemError[];
  fields: Record<string, ProblemError[]>;
  pages: Record<string, ProblemError[]>;
  count: number;
}

/**
 * Places validation errors (client `validateDefinition` or a 422 from the API) on the builder:
 * `pages.1.fields.0.maxLength` (optionally prefixed by `draft.`/`definition.`, or `/`-separated)
 * belongs to that field; a bare field id too; `pages.1.title` to the page; the rest to the form.
 */
export function groupErrors(def: FormDefinition, errors: readonly ProblemError[]): GroupedErrors {
  const out: GroupedErrors = { form: [], fields: {}, pages: {}, count: errors.length };
  const fieldIds = new Set(def.pages.flatMap((p) => p.fields.map((f) => f.id)));
  for (const error of errors) {
    const parts = String(error.path ?? "")
      .split(/[./[\]]+/)
      .filter(Boolean);
    if (parts[0] === "draft" || parts[0] === "definition") parts.shift();
    if (parts[0] === "pages" && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
      const page = def.pages[Number(parts[1])];
      if (page && parts[2] === "fields" && parts[3] !== undefined && /^\d+$/.test(parts[3])) {
        const field = page.fields[Number(parts[3])];
        if (field) {
          add(out.fields, field.id, error);
          continue;
        }
      }
      if (page) {
        add(out.pages, page.id, error);
        continue;
      }
    }
    if (parts[0] && fieldIds.has(parts[0])) {
      add(out.fields, parts[0], error);
      continue;
    }
    out.form.push(error);
  }
  return out;
}

/** A definition error in words: `definition.<code>` when translated, plus the property it concerns. */
export function definitionErrorMessage(error: ProblemError, t: TFunction): string {
  const key = `definition.${error.code}`;
  const translated = t(key);
  const text = translated === key ? error.message : translated;
  const prop = String(error.path ?? "")
    .split(".")
    .filter((p) => p && !/^\d+$/.test(p) && p !== "pages" && p !== "fields" && p !== "draft")
    .pop();
  return prop && prop !== "id" ? `${text} (${prop})` : text;
}
