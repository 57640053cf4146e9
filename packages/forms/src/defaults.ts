import { DEFAULT_MAX_FILES, DEFAULT_RATING_MAX } from "./limits";
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

/** The words a new field starts with; the builder passes them in its user's language. */
export interface NewFieldText {
  /** Default: the type's English name ("Short answer"). */
  label?: string;
  /** The label of choice option `n` (from 1). Default: "Option n". */
  option?: (n: number) => string;
  /** A consent field's statement; "" for none. Default: "I agree to take part." */
  consent?: string;
}

const englishOption = (n: number) => `Option ${n}`;

/** A new field as the builder inserts it; every result passes `validateDefinition`. */
export function createField<T extends FieldType>(
  type: T,
  id: string,
  text: NewFieldText = {},
): FieldOfType<T> {
  const base = { id, type, label: text.label ?? LABELS[type], required: false };
  const option = text.option ?? englishOption;
  switch (type) {
    case "single_choice":
    case "multiple_choice":
    case "dropdown":
      return {
        ...base,
        options: [1, 2].map((n) => ({ value: `option_${n}`, label: option(n) })),
      } as FieldOfType<T>;
    case "rating":
      return { ...base, max: DEFAULT_RATING_MAX } as FieldOfType<T>;
    case "consent": {
      const statement = text.consent ?? "I agree to take part.";
      return (statement ? { ...base, text: statement } : base) as FieldOfType<T>;
    }
    case "file":
      return { ...base, maxFiles: DEFAULT_MAX_FILES } as FieldOfType<T>;
    default:
      return base as FieldOfType<T>;
  }
}
