import {
  DEFAULT_LONG_TEXT_MAX_LENGTH,
  DEFAULT_MAX_FILES,
  DEFAULT_RATING_MAX,
  DEFAULT_SHORT_TEXT_MAX_LENGTH,
} from "./limits";

// The bound a field applies when its definition leaves it out: the renderer shows it (maxlength,
// stars, "at most n files") and the validator enforces the same default from ./limits.

/** Longest answer a text field takes: its `maxLength`, or the default of its type. */
export function textMaxLength(field: { type: string; maxLength?: number | undefined }): number {
  if (typeof field.maxLength === "number") return field.maxLength;
  return field.type === "long_text" ? DEFAULT_LONG_TEXT_MAX_LENGTH : DEFAULT_SHORT_TEXT_MAX_LENGTH;
}

/** Highest value of a rating field. */
export function ratingMax(field: { max?: unknown }): number {
  return typeof field.max === "number" ? field.max : DEFAULT_RATING_MAX;
}

/** How many files a file field takes. */
export function maxFiles(field: { maxFiles?: number | undefined }): number {
  return field.maxFiles ?? DEFAULT_MAX_FILES;
}
