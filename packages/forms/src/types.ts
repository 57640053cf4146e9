/** The kinds answered in one free-text box: the ones a `placeholder` shows in. */
export const TEXT_BOX_TYPES = ["short_text", "long_text", "number", "email", "phone", "url"] as const;

/** The 16 field kinds, in the order the builder offers them. */
export const FIELD_TYPES = [
  ...TEXT_BOX_TYPES,
  "single_choice",
  "multiple_choice",
  "dropdown",
  "date",
  "time",
  "rating",
  "yes_no",
  "consent",
  "geopoint",
  "file",
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

export const CONDITION_OPS = [
  "equals",
  "not_equals",
  "contains",
  "not_contains",
  "gt",
  "gte",
  "lt",
  "lte",
  "answered",
  "not_answered",
] as const;

export type ConditionOp = (typeof CONDITION_OPS)[number];

export type ConditionValue = string | number | boolean;

export interface FieldCondition {
  field: string;
  op: ConditionOp;
  value?: ConditionValue;
}
export interface AllCondition {
  all: Condition[];
}
export interface AnyCondition {
  any: Condition[];
}
export interface NotCondition {
  not: Condition;
}

export type Condition = FieldCondition | AllCondition | AnyCondition | NotCondition;

export interface ChoiceOption {
  value: string;
  label: string;
}

interface FieldBase {
  id: string;
  label: string;
  help?: string;
  placeholder?: string;
  required?: boolean;
  visibleWhen?: Condition | null;
}

export interface ShortTextField extends FieldBase {
  type: "short_text";
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  patternMessage?: string;
}
export interface LongTextField extends FieldBase {
  type: "long_text";
  minLength?: number;
  maxLength?: number;
}
export interface NumberField extends FieldBase {
  type: "number";
  min?: number;
  max?: number;
  integer?: boolean;
}
export interface EmailField extends FieldBase {
  type: "email";
}
export interface PhoneField extends FieldBase {
  type: "phone";
}
export interface UrlField extends FieldBase {
  type: "url";
}
export interface SingleChoiceField extends FieldBase {
  type: "single_choice";
  options: ChoiceOption[];
}
export interface MultipleChoiceField extends FieldBase {
  type: "multiple_choice";
  options: ChoiceOption[];
  minSelected?: number;
  maxSelected?: number;
}
export interface DropdownField extends FieldBase {
  type: "dropdown";
  options: ChoiceOption[];
}
export interface DateField extends FieldBase {
  type: "date";
  /** `YYYY-MM-DD`, inclusive. */
  min?: string;
  max?: string;
}
export interface TimeField extends FieldBase {
  type: "time";
  /** `HH:MM`, inclusive. */
  min?: string;
  max?: string;
}
export interface RatingField extends FieldBase {
  type: "rating";
  max?: number;
}
export interface YesNoField extends FieldBase {
  type: "yes_no";
}
export interface ConsentField extends FieldBase {
  type: "consent";
  text?: string;
}
export interface GeoPointField extends FieldBase {
  type: "geopoint";
  /** Largest accepted accuracy radius, in metres. */
  maxAccuracy?: number;
}
export interface FileField extends FieldBase {
  type: "file";
  /** MIME types (`image/png`, `image/*`) or extensions (`.pdf`). */
  accept?: string[];
  maxSizeBytes?: number;
  maxFiles?: number;
  /**
   * Images larger than this many pixels on their longer side are scaled down on the respondent's
   * device before upload (saves mobile data); unset keeps the original bytes.
   */
  imageMaxDimension?: number;
}

export type Field =
  | ShortTextField
  | LongTextField
  | NumberField
  | EmailField
  | PhoneField
  | UrlField
  | SingleChoiceField
  | MultipleChoiceField
  | DropdownField
  | DateField
  | TimeField
  | RatingField
  | YesNoField
  | ConsentField
  | GeoPointField
  | FileField;

export type FieldOfType<T extends FieldType> = Extract<Field, { type: T }>;
export type ChoiceField = SingleChoiceField | MultipleChoiceField | DropdownField;

export interface Page {
  id: string;
  title?: string;
  description?: string;
  visibleWhen?: Condition | null;
  fields: Field[];
}

export interface FormDefinition {
  schemaVersion: 1;
  title: string;
  description?: string;
  pages: Page[];
}

export type Answers = Record<string, unknown>;

export interface GeoPoint {
  lat: number;
  lon: number;
  accuracy?: number;
}

/** What is known about an uploaded file: its name as sent, its size in bytes and its MIME type. */
export interface FileMeta {
  name: string;
  size: number;
  type: string;
}

/**
 * One file in a file field's answer: the id of an upload made first with
 * `POST /public/forms/{slug}/uploads`. Stored answers also carry the upload's name, size and type.
 */
export interface FileAnswer {
  uploadId: string;
}
export type StoredFileAnswer = FileAnswer & FileMeta;

/**
 * The uploads a submission refers to, as the server (or the device that holds them) knows them.
 * `undefined` means there is no such upload for this form; `"in_use"` that it belongs to another
 * submission already.
 */
export type UploadLookup = (uploadId: string) => FileMeta | "in_use" | undefined;

export interface ValidateOptions {
  /** Without it only the shape and count of file answers are checked (the size and type cannot be). */
  uploads?: UploadLookup;
}

export const ISSUE_CODES = [
  "required",
  "too_short",
  "too_long",
  "pattern",
  "invalid_type",
  "invalid_email",
  "invalid_phone",
  "invalid_url",
  "invalid_option",
  "too_few_selected",
  "too_many_selected",
  "below_min",
  "above_max",
  "not_integer",
  "invalid_date",
  "invalid_time",
  "must_accept",
  "invalid_geopoint",
  "accuracy_too_low",
  "too_many_files",
  "file_too_large",
  "file_type_not_allowed",
  "unknown_upload",
  "upload_in_use",
  "unknown_field",
  "hidden_field",
] as const;

export type IssueCode = (typeof ISSUE_CODES)[number];

export type IssueParams = Record<string, string | number>;

export interface ValidationIssue {
  /** The field id; `""` when the answers as a whole are wrong. */
  path: string;
  code: IssueCode;
  message: string;
  params?: IssueParams;
}

export type ValidationResult = { ok: true; answers: Answers } | { ok: false; errors: ValidationIssue[] };
