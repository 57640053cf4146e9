import type { FieldOfType, FieldType, FormDefinition } from "./types";

export function createEmptyDefinition(title: string): FormDefinition {
  return {
    schemaVersion: 1,
    title: title.trim() === "" ? "Untitled form" : title,
    pages: [{ id: "p1", fields: [] }],
  };
}

const LABELS: Record<FieldType, string> = {
  short_text: "Short answer",
  long_text: "Long answer",
  number: "Number",
  email: "E-mail",
  phone: "Phone number",
  url: "Website",
  single_choice: "Choose one",
  multiple_choice: "Choose any",
  dropdown: "Select one",
  date: "Date",
  time: "Time",
  rating: "Rating",
  yes_no: "Yes or no",
  consent: "Consent",
  geopoint: "Location",
  file: "File",
};

function twoOptions() {
  return [
    { value: "option_1", label: "Option 1" },
    { value: "option_2", label: "Option 2" },
  ];
}

/** A new field as the builder inserts it; every result passes `validateDefinition`. */
export function createField<T extends FieldType>(type: T, id: string): FieldOfType<T> {
  const base = { id, type, label: LABELS[type], required: false };
  switch (type) {
    case "single_choice":
    case "multiple_choice":
    case "dropdown":
      return { ...base, options: twoOptions() } as FieldOfType<T>;
    case "rating":
      return { ...base, max: 5 } as FieldOfType<T>;
    case "consent":
      return { ...base, text: "I agree to take part." } as FieldOfType<T>;
    case "file":
      return { ...base, maxFiles: 1 } as FieldOfType<T>;
    default:
      return base as FieldOfType<T>;
  }
}
