// The only place the renderer talks to @coleta/forms (the main entry, never "/schema": that pulls in zod).
import {
  type Answers,
  type Field,
  type FormDefinition,
  isEmptyAnswer,
  maxFiles,
  type Page,
  ratingMax,
  textMaxLength,
  type UploadLookup,
  validateSubmission,
  visibleFields,
  visiblePages,
} from "@coleta/forms";

export type { Answers, Field, FormDefinition, Page };
// Emptiness and default limits are @coleta/forms' rules: the renderer shows what the validator enforces.
export { isEmptyAnswer, maxFiles, ratingMax, textMaxLength };

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
  imageMaxDimension?: number;
}

/** A file answer's item as the device holds it (the bytes are in device-files.ts). */
export interface DeviceFileAnswer {
  uploadId: string;
  name: string;
  size: number;
  type: string;
}

/**
 * The files of these answers as the device knows them, so the shared validator checks size and
 * type here exactly as the server will.
 */
export function deviceUploads(answers: Answers): UploadLookup {
  const known = new Map<string, DeviceFileAnswer>();
  for (const value of Object.values(answers)) {
    if (!Array.isArray(value)) continue;
    for (const item of value as Partial<DeviceFileAnswer>[]) {
      if (typeof item?.uploadId === "string" && typeof item.size === "number") {
        known.set(item.uploadId.toLowerCase(), item as DeviceFileAnswer);
      }
    }
  }
  return (id) => known.get(id.toLowerCase());
}

export const loose = (field: Field): LooseField => field as unknown as LooseField;

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
    if (shown.has(key) && !isEmptyAnswer(value)) out[key] = value;
  }
  return out as Answers;
}

export type CheckResult = { ok: true; answers: Answers } | { ok: false; errors: Issue[] };

export function checkAll(definition: FormDefinition, answers: Answers): CheckResult {
  const submittable = submittableAnswers(definition, answers);
  const result = validateSubmission(definition, submittable, { uploads: deviceUploads(submittable) });
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
