import type { Field, FormDefinition, Page } from "./types";

/** A one-page definition around the given fields. */
export function form(...fields: Field[]): FormDefinition {
  return { schemaVersion: 1, title: "Test", pages: [{ id: "p1", fields }] };
}

export function pages(...list: Page[]): FormDefinition {
  return { schemaVersion: 1, title: "Test", pages: list };
}
