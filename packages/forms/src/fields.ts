import type { Field, FormDefinition } from "./types";

/** Every field of the form, in form order (page by page). */
export function allFields(definition: FormDefinition): Field[] {
  const out: Field[] = [];
  for (const page of definition.pages) for (const field of page.fields) out.push(field);
  return out;
}

export function fieldById(definition: FormDefinition, id: string): Field | undefined {
  for (const page of definition.pages) {
    for (const field of page.fields) if (field.id === id) return field;
  }
  return undefined;
}

/** A missing key, `null`, `""` or `[]`: such an answer fails only `required`. */
export function isEmptyAnswer(value: unknown): boolean {
  return (
    value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)
  );
}
