import { computeVisibility } from "./conditions";
import { isEmptyAnswer } from "./fields";
import {
  fileMatchesAccept,
  isPlainObject,
  isValidDate,
  isValidEmail,
  isValidPhone,
  isValidTime,
  isValidUrl,
} from "./formats";
import {
  DEFAULT_LONG_TEXT_MAX_LENGTH,
  DEFAULT_MAX_FILES,
  DEFAULT_RATING_MAX,
  DEFAULT_SHORT_TEXT_MAX_LENGTH,
  PHONE_MAX_DIGITS,
  PHONE_MIN_DIGITS,
  UPLOAD_ID_PATTERN,
} from "./limits";
import { issueMessage } from "./messages";
import { cachedPattern } from "./pattern";
import type {
  Answers,
  ChoiceOption,
  Field,
  FileAnswer,
  FileField,
  FormDefinition,
  GeoPoint,
  GeoPointField,
  IssueCode,
  IssueParams,
  MultipleChoiceField,
  ShortTextField,
  StoredFileAnswer,
  UploadLookup,
  ValidateOptions,
  ValidationIssue,
  ValidationResult,
} from "./types";

function issue(path: string, code: IssueCode, params?: IssueParams, message?: string): ValidationIssue {
  const out: ValidationIssue = { path, code, message: message ?? issueMessage(code, params) };
  if (params) out.params = params;
  return out;
}

/**
 * Checks one field's answer on its own (no visibility): `required` for an empty answer, otherwise
 * the type and the field's rules. The web calls this for live feedback while the respondent types.
 */
export function validateField(
  field: Field,
  value: unknown,
  options: ValidateOptions = {},
): ValidationIssue | null {
  if (isEmptyAnswer(value)) return field.required ? issue(field.id, "required") : null;
  return checkValue(field, value, options.uploads);
}

function checkValue(field: Field, value: unknown, uploads?: UploadLookup): ValidationIssue | null {
  const id = field.id;
  switch (field.type) {
    case "short_text":
      return checkText(field, value, DEFAULT_SHORT_TEXT_MAX_LENGTH);
    case "long_text":
      return checkText(field, value, DEFAULT_LONG_TEXT_MAX_LENGTH);
    case "email":
      if (typeof value !== "string") return issue(id, "invalid_type", { expected: "text" });
      return isValidEmail(value) ? null : issue(id, "invalid_email");
    case "phone":
      if (typeof value !== "string") return issue(id, "invalid_type", { expected: "text" });
      return isValidPhone(value)
        ? null
        : issue(id, "invalid_phone", { min: PHONE_MIN_DIGITS, max: PHONE_MAX_DIGITS });
    case "url":
      if (typeof value !== "string") return issue(id, "invalid_type", { expected: "text" });
      return isValidUrl(value) ? null : issue(id, "invalid_url");
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        return issue(id, "invalid_type", { expected: "a number" });
      }
      if (field.integer && !Number.isInteger(value)) return issue(id, "not_integer");
      return checkBounds(id, value, field);
    }
    case "single_choice":
    case "dropdown":
      if (typeof value !== "string") return issue(id, "invalid_type", { expected: "one option" });
      return optionValues(field).has(value) ? null : issue(id, "invalid_option");
    case "multiple_choice":
      return checkMultipleChoice(field, value);
    case "date":
      if (typeof value !== "string") return issue(id, "invalid_type", { expected: "a date" });
      return isValidDate(value) ? checkBounds(id, value, field) : issue(id, "invalid_date");
    case "time":
      if (typeof value !== "string") return issue(id, "invalid_type", { expected: "a time" });
      return isValidTime(value) ? checkBounds(id, value, field) : issue(id, "invalid_time");
    case "rating": {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        return issue(id, "invalid_type", { expected: "a number" });
      }
      if (!Number.isInteger(value)) return issue(id, "not_integer");
      const max = field.max ?? DEFAULT_RATING_MAX;
      if (value < 1) return issue(id, "below_min", { min: 1 });
      if (value > max) return issue(id, "above_max", { max });
      return null;
    }
    case "yes_no":
      return typeof value === "boolean" ? null : issue(id, "invalid_type", { expected: "true or false" });
    case "consent":
      if (typeof value !== "boolean") return issue(id, "invalid_type", { expected: "true or false" });
      return field.required && !value ? issue(id, "must_accept") : null;
    case "geopoint":
      return checkGeoPoint(field, value);
    case "file":
      return checkFiles(field, value, uploads);
  }
}

/** The field's optional lowest and highest answer; dates and times compare as text (ISO order). */
function checkBounds<T extends number | string>(
  id: string,
  value: T,
  bounds: { min?: T; max?: T },
): ValidationIssue | null {
  if (bounds.min !== undefined && value < bounds.min) return issue(id, "below_min", { min: bounds.min });
  if (bounds.max !== undefined && value > bounds.max) return issue(id, "above_max", { max: bounds.max });
  return null;
}

function checkText(
  field: Field & { minLength?: number; maxLength?: number },
  value: unknown,
  defaultMax: number,
): ValidationIssue | null {
  if (typeof value !== "string") return issue(field.id, "invalid_type", { expected: "text" });
  // UTF-16 code units, like the HTML `maxlength` attribute the web uses on the same inputs.
  if (field.minLength !== undefined && value.length < field.minLength) {
    return issue(field.id, "too_short", { min: field.minLength });
  }
  const max = field.maxLength ?? defaultMax;
  if (value.length > max) return issue(field.id, "too_long", { max });
  // Runs only on values already within maxLength, which bounds the cost of a slow pattern.
  if (field.type === "short_text") return checkPattern(field, value);
  return null;
}

function checkPattern(field: ShortTextField, value: string): ValidationIssue | null {
  if (field.pattern === undefined) return null;
  const matcher = cachedPattern(field, field.pattern);
  // A pattern that does not compile cannot be stored (validateDefinition rejects it); skipping it
  // beats locking every respondent out of a form that slipped through. The matcher runs in time
  // linear in the value, so no pattern can stall the validator.
  if (matcher === null || matcher.test(value)) return null;
  return issue(field.id, "pattern", undefined, field.patternMessage || undefined);
}

// The option values of a choice field as a Set, so a check costs O(1) per value rather than a scan
// of up to MAX_OPTIONS options. Keyed by the field object and checked against its current options
// array, like cachedPattern: the builder replaces the array when it edits an option.
const optionCache = new WeakMap<
  object,
  { options: readonly ChoiceOption[]; length: number; values: Set<string> }
>();

function optionValues(field: { options: readonly ChoiceOption[] }): Set<string> {
  const { options } = field;
  const hit = optionCache.get(field);
  if (hit && hit.options === options && hit.length === options.length) return hit.values;
  const values = new Set<string>();
  for (const option of options) values.add(option.value);
  optionCache.set(field, { options, length: options.length, values });
  return values;
}

function checkMultipleChoice(field: MultipleChoiceField, value: unknown): ValidationIssue | null {
  const id = field.id;
  if (!Array.isArray(value)) return issue(id, "invalid_type", { expected: "a list of options" });
  const options = optionValues(field);
  const seen = new Set<string>();
  for (const item of value) {
    if (typeof item !== "string") return issue(id, "invalid_type", { expected: "a list of options" });
    if (!options.has(item) || seen.has(item)) return issue(id, "invalid_option");
    seen.add(item);
  }
  if (field.minSelected !== undefined && value.length < field.minSelected) {
    return issue(id, "too_few_selected", { min: field.minSelected });
  }
  if (field.maxSelected !== undefined && value.length > field.maxSelected) {
    return issue(id, "too_many_selected", { max: field.maxSelected });
  }
  return null;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function checkGeoPoint(field: GeoPointField, value: unknown): ValidationIssue | null {
  const id = field.id;
  if (!isPlainObject(value)) return issue(id, "invalid_type", { expected: "a location" });
  const { lat, lon, accuracy } = value;
  if (!isFiniteNumber(lat) || !isFiniteNumber(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
    return issue(id, "invalid_geopoint");
  }
  if (accuracy !== undefined && accuracy !== null && (!isFiniteNumber(accuracy) || accuracy < 0)) {
    return issue(id, "invalid_geopoint");
  }
  // Without an accuracy the owner's bound cannot be shown to hold, so it counts as too coarse.
  if (field.maxAccuracy !== undefined && (typeof accuracy !== "number" || accuracy > field.maxAccuracy)) {
    return issue(id, "accuracy_too_low", { max: field.maxAccuracy });
  }
  return null;
}

function isFileAnswer(value: unknown): value is FileAnswer {
  return isPlainObject(value) && typeof value.uploadId === "string" && UPLOAD_ID_PATTERN.test(value.uploadId);
}

/**
 * A file answer is a list of `{ uploadId }`. With `uploads` (the server, or the device holding the
 * files) each upload must exist for this form, be free, and fit the field's size and type rules.
 */
function checkFiles(field: FileField, value: unknown, uploads?: UploadLookup): ValidationIssue | null {
  const id = field.id;
  if (!Array.isArray(value) || !value.every(isFileAnswer)) {
    return issue(id, "invalid_type", { expected: "a list of { uploadId }" });
  }
  const maxFiles = field.maxFiles ?? DEFAULT_MAX_FILES;
  if (value.length > maxFiles) return issue(id, "too_many_files", { max: maxFiles });
  const ids = value.map((f) => f.uploadId.toLowerCase());
  if (new Set(ids).size !== ids.length) return issue(id, "invalid_type", { expected: "different files" });
  if (!uploads) return null;
  for (const uploadId of ids) {
    const file = uploads(uploadId);
    if (file === undefined) return issue(id, "unknown_upload");
    if (file === "in_use") return issue(id, "upload_in_use");
    if (field.maxSizeBytes !== undefined && file.size > field.maxSizeBytes) {
      return issue(id, "file_too_large", { max: field.maxSizeBytes, name: file.name });
    }
    if (field.accept && field.accept.length > 0 && !fileMatchesAccept(file.name, file.type, field.accept)) {
      return issue(id, "file_type_not_allowed", { accept: field.accept.join(", "), name: file.name });
    }
  }
  return null;
}

/** Copies only the known keys, so clients cannot smuggle extra data into stored answers. */
function normalize(field: Field, value: unknown, uploads?: UploadLookup): unknown {
  if (field.type === "geopoint") {
    const point = value as GeoPoint;
    const out: GeoPoint = { lat: point.lat, lon: point.lon };
    if (typeof point.accuracy === "number") out.accuracy = point.accuracy;
    return out;
  }
  if (field.type === "file") {
    // Ids in canonical case; with the uploads known, their name, size and type travel with the answer.
    return (value as FileAnswer[]).map((f): FileAnswer | StoredFileAnswer => {
      const uploadId = f.uploadId.toLowerCase();
      const meta = uploads?.(uploadId);
      return typeof meta === "object"
        ? { uploadId, name: meta.name, size: meta.size, type: meta.type }
        : { uploadId };
    });
  }
  return value;
}

/**
 * Validates a whole submission against a (validated) definition. Reports every failing field,
 * at most one issue each; on success returns the answers of visible fields with empty ones dropped.
 */
export function validateSubmission(
  definition: FormDefinition,
  answers: unknown,
  options: ValidateOptions = {},
): ValidationResult {
  if (!isPlainObject(answers)) {
    return { ok: false, errors: [issue("", "invalid_type", { expected: "an object of answers" })] };
  }
  const { visibleIds } = computeVisibility(definition, answers);
  const errors: ValidationIssue[] = [];
  const out: Answers = {};
  const known = new Set<string>();

  for (const page of definition.pages) {
    for (const field of page.fields) {
      known.add(field.id);
      const value = Object.hasOwn(answers, field.id) ? answers[field.id] : undefined;
      const empty = isEmptyAnswer(value);
      if (!visibleIds.has(field.id)) {
        // An empty value for a hidden field is what a client sends after clearing it: harmless.
        if (!empty) errors.push(issue(field.id, "hidden_field"));
        continue;
      }
      if (empty) {
        if (field.required) errors.push(issue(field.id, "required"));
        continue;
      }
      const problem = checkValue(field, value, options.uploads);
      if (problem) errors.push(problem);
      else out[field.id] = normalize(field, value, options.uploads);
    }
  }

  for (const key of Object.keys(answers)) {
    if (!known.has(key)) errors.push(issue(key, "unknown_field"));
  }

  return errors.length > 0 ? { ok: false, errors } : { ok: true, answers: out };
}
