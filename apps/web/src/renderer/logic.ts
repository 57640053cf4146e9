// The only place the renderer talks to @coleta/forms (the main entry, never "/schema": that pulls in zod).
import {
  type Answers,
  type Field,
  type FormDefinition,
  type Page,
  validateSubmission,
  visibleFields,
  visiblePages,
} from "@coleta/forms";

export type { Answers, Field, FormDefinition, Page };

/** A validation issue as produced by @coleta/forms or returned by the API in a 422 problem. */
export interface Issue {
  path: string;
  code: string;
  message: string;
  params?: Record<string, unknown> | undefined;
}

/** Every optional property a field may carry (docs/forms.md), read without narrowing the union. */
export interface LooseField {
  id: string;
  type: string;
  label: string;
  help?: string;
  placeholder?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  patternMessage?: string;
  min?: number | string;
  max?: number | string;
  integer?: boolean;
  options?: { value: string; label: string }[];
  minSelected?: number;
  maxSelected?: number;
  text?: string;
  maxAccuracy?: number;
  accept?: string[] | string;
  maxSizeBytes?: number;
  maxFiles?: number;
}

export const loose = (field: Field): LooseField => field as unknown as LooseField;

export function isEmpty(value: unknown): boolean {
  return (
    value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)
  );
}

export function shownPages(definition: FormDefinition, answers: Answers): Page[] {
  return visiblePages(definition, answers);
}

export function shownFieldIds(definition: FormDefinition, answers: Answers): Set<string> {
  return new Set(visibleFields(definition, answers).map((f: Field) => f.id));
}

/** Answers as they would be submitted: only visible fields, no empty values. */
export function submittableAnswers(definition: FormDefinition, answers: Answers): Answers {
  const shown = shownFieldIds(definition, answers);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(answers)) {
    if (shown.has(key) && !isEmpty(value)) out[key] = value;
  }
  return out as Answers;
}

export type CheckResult = { ok: true; answers: Answers } | { ok: false; errors: Issue[] };

export function checkAll(definition: FormDefinition, answers: Answers): CheckResult {
  const result = validateSubmission(definition, submittableAnswers(definition, answers));
  if (result.ok) return { ok: true, answers: result.answers };
  return { ok: false, errors: result.errors as Issue[] };
}

/** Issues for the given fields only (one page, or one field on blur); later pages don't block. */
export function checkFields(
  definition: FormDefinition,
  answers: Answers,
  fieldIds: Iterable<string>,
): Issue[] {
  const wanted = new Set(fieldIds);
  const result = checkAll(definition, answers);
  if (result.ok) return [];
  const seen = new Set<string>();
  const out: Issue[] = [];
  for (const issue of result.errors) {
    const id = fieldIdOf(issue.path);
    if (wanted.has(id) && !seen.has(id)) {
      seen.add(id);
      out.push({ ...issue, path: id });
    }
  }
  return out;
}

/** Server paths are field ids; tolerate "answers.<id>" or "<id>.lat" shapes too. */
export function fieldIdOf(path: string): string {
  const parts = String(path).split(".");
  if (parts[0] === "answers" && parts.length > 1) return parts[1] as string;
  return parts[0] as string;
}
