// Sample definitions and builders for tests and benchmarks, in one place (package export
// "@coleta/forms/testing"): this package's own tests, the API's, the web's and the benches use them.
import type { ChoiceField, ChoiceOption, Field, FormDefinition, Page } from "./types";

/** A one-page definition around the given fields. */
export function form(...fields: Field[]): FormDefinition {
  return titledForm("Test", ...fields);
}

/** A one-page definition titled `title` (what a respondent sees as the form's heading). */
export function titledForm(title: string, ...fields: Field[]): FormDefinition {
  return { schemaVersion: 1, title, pages: [{ id: "p1", fields }] };
}

export function pages(...list: Page[]): FormDefinition {
  return { schemaVersion: 1, title: "Test", pages: list };
}

/** `definition` with `fields` added at the end of its last page. */
export function withFields(definition: FormDefinition, ...fields: Field[]): FormDefinition {
  const last = definition.pages.length - 1;
  return {
    ...definition,
    pages: definition.pages.map((page, i) =>
      i === last ? { ...page, fields: [...page.fields, ...fields] } : page,
    ),
  };
}

/** Choice options from `{ value: label }`, in that order. */
export function options(labels: Record<string, string>): ChoiceOption[] {
  return Object.entries(labels).map(([value, label]) => ({ value, label }));
}

/** A choice field (single, multiple or dropdown) labelled `label`, with options from `{ value: label }`. */
export function choice<T extends ChoiceField["type"]>(
  type: T,
  id: string,
  label: string,
  labels: Record<string, string>,
): Extract<ChoiceField, { type: T }> {
  return { id, type, label, options: options(labels) } as Extract<ChoiceField, { type: T }>;
}

/** A small form touching the interesting paths: rules, a condition, choices, a geopoint. */
export const surveyDefinition: FormDefinition = {
  schemaVersion: 1,
  title: "Field survey",
  pages: [
    {
      id: "p1",
      fields: [
        { id: "name", type: "short_text", label: "Name", required: true, maxLength: 40 },
        { id: "age", type: "number", label: "Age", min: 0, max: 130, integer: true },
        choice("single_choice", "fruit", "Fruit", { apple: "Apple", pear: "Pear" }),
        { id: "has_pet", type: "yes_no", label: "Has a pet?" },
        {
          id: "pet_name",
          type: "short_text",
          label: "Pet name",
          required: true,
          visibleWhen: { field: "has_pet", op: "equals", value: true },
        },
        { id: "where", type: "geopoint", label: "Where" },
      ],
    },
  ],
};

/** A complete, valid answer to surveyDefinition. */
export const surveyAnswers = {
  name: "Maria",
  age: 42,
  fruit: "pear",
  has_pet: true,
  pet_name: "Bidu",
  where: { lat: -23.55, lon: -46.63, accuracy: 8 },
};

/** One field of every type, over two pages, with a condition. */
export const everyTypeForm: FormDefinition = {
  schemaVersion: 1,
  title: "Every field",
  description: "All types",
  pages: [
    {
      id: "p1",
      title: "First",
      fields: [
        { id: "name", type: "short_text", label: "Your name", required: true, help: "As on your ID" },
        { id: "bio", type: "long_text", label: "About you" },
        { id: "age", type: "number", label: "Age", min: 0, max: 130, integer: true },
        { id: "email", type: "email", label: "E-mail" },
        { id: "phone", type: "phone", label: "Phone" },
        { id: "site", type: "url", label: "Website" },
        choice("single_choice", "color", "Favourite colour", { red: "Red", blue: "Blue" }),
        choice("multiple_choice", "fruits", "Fruits", { apple: "Apple", pear: "Pear" }),
        choice("dropdown", "city", "City", { poa: "Porto Alegre", rec: "Recife" }),
      ],
    },
    {
      id: "p2",
      title: "Second",
      fields: [
        { id: "day", type: "date", label: "Day" },
        { id: "at", type: "time", label: "Time" },
        { id: "stars", type: "rating", label: "Rating", max: 5 },
        { id: "has_pet", type: "yes_no", label: "Do you have a pet?" },
        {
          id: "pet_name",
          type: "short_text",
          label: "Pet's name",
          visibleWhen: { field: "has_pet", op: "equals", value: true },
        },
        { id: "agree", type: "consent", label: "Consent", text: "I agree to the terms", required: true },
        { id: "where", type: "geopoint", label: "Location" },
        { id: "photo", type: "file", label: "Photo", accept: ["image/*"] },
      ],
    },
  ],
};

/** Two pages, the second with a required question asked only after a yes. */
export const twoPageForm: FormDefinition = {
  schemaVersion: 1,
  title: "Survey",
  pages: [
    {
      id: "p1",
      title: "About you",
      fields: [
        { id: "name", type: "short_text", label: "Your name", required: true },
        { id: "age", type: "number", label: "Age", min: 18, required: true },
      ],
    },
    {
      id: "p2",
      title: "Pets",
      fields: [
        { id: "has_pet", type: "yes_no", label: "Do you have a pet?", required: true },
        {
          id: "pet_name",
          type: "short_text",
          label: "Pet's name",
          required: true,
          visibleWhen: { field: "has_pet", op: "equals", value: true },
        },
      ],
    },
  ],
};
