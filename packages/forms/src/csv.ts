import { allFields, isEmptyAnswer } from "./fields";
import { isPlainObject } from "./formats";
import type { Answers, Field, FormDefinition } from "./types";

export interface CsvColumn {
  /** Machine column name: the field id, or `<id>.lat` / `<id>.lon` / `<id>.accuracy`. */
  key: string;
  /** Human column title from the field label. */
  header: string;
  fieldId: string;
  /** The cell text, unquoted; `""` when unanswered. Never throws, even on answers of older versions. */
  get: (answers: Answers) => string;
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

function columnsFor(field: Field): CsvColumn[] {
  const id = field.id;
  if (field.type === "geopoint") {
    return [
      {
        key: `${id}.lat`,
        header: `${field.label} (latitude)`,
        fieldId: id,
        get: (a) => geoPart(a, id, "lat"),
      },
      {
        key: `${id}.lon`,
        header: `${field.label} (longitude)`,
        fieldId: id,
        get: (a) => geoPart(a, id, "lon"),
      },
      {
        key: `${id}.accuracy`,
        header: `${field.label} (accuracy, m)`,
        fieldId: id,
        get: (a) => geoPart(a, id, "accuracy"),
      },
    ];
  }
  return [{ key: id, header: field.label, fieldId: id, get: (a) => cell(answerOf(a, id)) }];
}

/** Export columns in form order: one per field, three for a geopoint. */
export function csvColumns(definition: FormDefinition): CsvColumn[] {
  return allFields(definition).flatMap(columnsFor);
}
