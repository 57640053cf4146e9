import { allFields, isEmptyAnswer } from "./fields";
import { isPhoneShaped, isPlainObject } from "./formats";
import type { Answers, ChoiceOption, Field, FormDefinition } from "./types";

/** The owner's download URL of file `index` of a file answer (the API's route, with its base URL). */
export type FileUrl = (submissionId: string, fieldId: string, index: number) => string;

/** What a cell may need beyond the answers: the row's submission, for links to its files. */
export interface CsvRow {
  submissionId: string;
  fileUrl?: FileUrl;
}

export interface CsvColumn {
  /** Machine column name: the field id, or `<id>.lat` / `<id>.lon` / `<id>.accuracy`. */
  key: string;
  /** Human column title from the field label. */
  header: string;
  fieldId: string;
  /**
   * The cell text, unquoted; `""` when unanswered. Never throws, even on answers of older versions.
   * A file answer is its download links when `row.fileUrl` is given, else its file names.
   */
  get: (answers: Answers, row?: CsvRow) => string;
  /**
   * True when `get` writes option labels instead of stored values (choice and yes/no columns under
   * `{ labels: true }`): writers with fast paths for plain values must then ask `get`.
   */
  labelled: boolean;
}

export interface CsvColumnOptions {
  /**
   * Choice answers (single, multiple, dropdown) as their options' labels and yes/no as `yes`/`no`
   * below, for people reading the file; values no option has any more are written as stored.
   */
  labels?: boolean;
  /** The yes/no words under `labels` (default English "Yes" / "No"). */
  yesNo?: { yes: string; no: string };
}

// Only what a phone number is written with: an optional leading +, digits, spaces, parentheses,
// hyphens and dots (no letters, no operators but + and -, no quotes): such text cannot call a
// function, so spreadsheet writers need not guard it against formulas.
const PHONE_TEXT_RE = /^\+?[0-9(][0-9 ().-]*$/;

/** A phone number as people write it (international or local, bounded like phone answers). */
export function isPhoneNumberText(value: string): boolean {
  return isPhoneShaped(value, PHONE_TEXT_RE);
}

/**
 * Plain text of one value. Answers stored under an older version may not fit the current field
 * type, so anything unexpected is still rendered rather than dropped. CSV quoting and guarding
 * against spreadsheet formulas are the writer's job.
 */
function cell(value: unknown): string {
  if (isEmptyAnswer(value)) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    return value
      .map((item) => (isPlainObject(item) && typeof item.name === "string" ? item.name : cell(item)))
      .join(";");
  }
  return JSON.stringify(value);
}

function answerOf(answers: Answers, id: string): unknown {
  return isPlainObject(answers) && Object.hasOwn(answers, id) ? answers[id] : undefined;
}

function geoPart(answers: Answers, id: string, part: "lat" | "lon" | "accuracy"): string {
  const value = answerOf(answers, id);
  if (!isPlainObject(value)) return "";
  const n = value[part];
  return typeof n === "number" ? String(n) : "";
}

/** Download links of a file answer's uploaded files (`;`-separated); names where there is no upload. */
function fileLinks(value: unknown, fieldId: string, row: CsvRow & { fileUrl: FileUrl }): string {
  if (!Array.isArray(value)) return cell(value);
  return value
    .map((item, index) =>
      isPlainObject(item) && typeof item.uploadId === "string"
        ? row.fileUrl(row.submissionId, fieldId, index)
        : cell(isPlainObject(item) && typeof item.name === "string" ? item.name : item),
    )
    .join(";");
}

/** The label of a stored choice value; the value itself when no option has it (any more). */
function labelOf(options: ChoiceOption[]): (value: unknown) => string {
  const labels = new Map(options.map((option) => [option.value, option.label]));
  return (value) => (typeof value === "string" ? (labels.get(value) ?? value) : cell(value));
}

/** The labelled column of a choice or yes/no field, or null for any other field. */
function labelledColumn(field: Field, yesNo: { yes: string; no: string }): CsvColumn | null {
  const id = field.id;
  const column = { key: id, header: field.label, fieldId: id, labelled: true };
  if (field.type === "yes_no") {
    return {
      ...column,
      get: (a) => {
        const value = answerOf(a, id);
        return value === true ? yesNo.yes : value === false ? yesNo.no : cell(value);
      },
    };
  }
  if (field.type === "single_choice" || field.type === "dropdown" || field.type === "multiple_choice") {
    const label = labelOf(field.options);
    return {
      ...column,
      get: (a) => {
        const value = answerOf(a, id);
        if (isEmptyAnswer(value)) return "";
        return Array.isArray(value) ? value.map(label).join(";") : label(value);
      },
    };
  }
  return null;
}

function columnsFor(field: Field): CsvColumn[] {
  const id = field.id;
  if (field.type === "file") {
    return [
      {
        key: id,
        header: field.label,
        fieldId: id,
        labelled: false,
        get: (a, row) =>
          row?.fileUrl && !isEmptyAnswer(answerOf(a, id))
            ? fileLinks(answerOf(a, id), id, { ...row, fileUrl: row.fileUrl })
            : cell(answerOf(a, id)),
      },
    ];
  }
  if (field.type === "geopoint") {
    return [
      {
        key: `${id}.lat`,
        header: `${field.label} (latitude)`,
        fieldId: id,
        labelled: false,
        get: (a) => geoPart(a, id, "lat"),
      },
      {
        key: `${id}.lon`,
        header: `${field.label} (longitude)`,
        fieldId: id,
        labelled: false,
        get: (a) => geoPart(a, id, "lon"),
      },
      {
        key: `${id}.accuracy`,
        header: `${field.label} (accuracy, m)`,
        fieldId: id,
        labelled: false,
        get: (a) => geoPart(a, id, "accuracy"),
      },
    ];
  }
  return [{ key: id, header: field.label, fieldId: id, labelled: false, get: (a) => cell(answerOf(a, id)) }];
}

/**
 * Export columns in form order: one per field, three for a geopoint. Every export format takes its
 * cells from here, so values or labels mean the same in CSV and XLSX.
 */
export function csvColumns(definition: FormDefinition, options: CsvColumnOptions = {}): CsvColumn[] {
  const yesNo = options.yesNo ?? { yes: "Yes", no: "No" };
  return allFields(definition).flatMap((field) => {
    const labelled = options.labels ? labelledColumn(field, yesNo) : null;
    return labelled ? [labelled] : columnsFor(field);
  });
}
