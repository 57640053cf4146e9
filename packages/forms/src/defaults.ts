import { DEFAULT_MAX_FILES, DEFAULT_RATING_MAX } from "./limits";
import { optionValueFromLabel } from "./slug";
import type { ChoiceOption, FieldOfType, FieldType, FormDefinition } from "./types";

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

/** Options whose values are made from their labels, unique among themselves. */
export function optionsFromLabels(labels: readonly string[]): ChoiceOption[] {
  const taken = new Set<string>();
  return labels.map((label) => {
    const value = optionValueFromLabel(label, taken);
    taken.add(value);
    return { value, label };
  });
}

/**
 * A new field as the builder inserts it; every result passes `validateDefinition`. Its option values
 * come from the option labels ("Opção 1" → `opcao_1`); the caller picks the field id (`fieldIdFromLabel`).
 */
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
      return { ...base, options: optionsFromLabels([option(1), option(2)]) } as FieldOfType<T>;
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
