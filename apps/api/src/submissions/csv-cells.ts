import { csvColumns, type FileUrl, type FormDefinition, isPhoneNumberText } from "@coleta/forms";

/**
 * How a CSV file is written (query parameters of the export route, docs/api.md): a UTF-8 BOM so
 * Excel reads the encoding, `;` between cells for spreadsheet programs whose decimal mark is a
 * comma (pt-BR), and choice answers as their labels instead of stored values.
 */
export interface CsvOptions {
  bom?: boolean;
  separator?: CsvSeparator;
  labels?: boolean;
}
export type CsvSeparator = "," | ";";
export const CSV_SEPARATORS = { comma: ",", semicolon: ";" } as const satisfies Record<string, CsvSeparator>;

const NEEDS_QUOTES = { ",": /[",\r\n]/, ";": /[";\r\n]/ } as const;
const PLAIN_NEGATIVE_NUMBER = /^-\d+(\.\d+)?$/;

/**
 * The cell writer for a separator. A cell starting with = + - @ (or a tab/CR) is run as a formula
 * by spreadsheet apps; a leading apostrophe keeps it text. Plain negative numbers and phone
 * numbers (`+55 11 99999-9999`: digits and punctuation only, nothing a formula could call) are
 * left alone. A cell holding the separator, a quote or a line break is quoted.
 */
export function csvCellWriter(separator: CsvSeparator): (value: string) => string {
  const needsQuotes = NEEDS_QUOTES[separator];
  return (value) => {
    if (value === "") return value;
    const first = value.charCodeAt(0);
    const formula =
      first === 61 /* = */ ||
      (first === 43 /* + */ && !isPhoneNumberText(value)) ||
      first === 64 /* @ */ ||
      first === 9 /* tab */ ||
      first === 13 /* CR */ ||
      (first === 45 /* - */ && !PLAIN_NEGATIVE_NUMBER.test(value));
    const text = formula ? `'${value}` : value;
    return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
}

/** One comma-separated CSV cell (see csvCellWriter). */
export const csvCell: (value: string) => string = csvCellWriter(",");

/**
 * The CSV cells of one row's answers, exactly as csvColumns renders them and the cell writer guards
 * them, with the common values done inline: a text, number or yes/no answer becomes its own text
 * and a geopoint part its number, in one property read; anything else (choices, files, labels,
 * answers of another type stored under an older version) goes to the column's own `get`, so the
 * form package stays the one definition of a cell. A test checks the two agree on arbitrary
 * stored answers.
 */
export type CsvRowRenderer = (answers: unknown, submissionId?: string) => string;

export function csvRowRenderer(
  definition: FormDefinition,
  fileUrl?: FileUrl,
  options: CsvOptions = {},
): CsvRowRenderer {
  const separator = options.separator ?? ",";
  const writeCell = csvCellWriter(separator);
  const columns = csvColumns(definition, { labels: options.labels }).map((column) => ({
    id: column.fieldId,
    // A field id that Object.prototype also has (`constructor`, `__proto__`) must be checked to be
    // the answers' own; any other id is read directly.
    inherited: column.fieldId in Object.prototype,
    part: column.key === column.fieldId ? null : column.key.slice(column.key.lastIndexOf(".") + 1),
    labelled: column.labelled,
    get: column.get,
  }));
  const row = { submissionId: "", fileUrl };
  // The row's cells, joined once into one flat string (no rope for the page's join to flatten);
  // reused from row to row, as each row's text is made before the next row starts.
  const cells: string[] = new Array(columns.length);
  return (answers, submissionId = "") => {
    row.submissionId = submissionId;
    // Stored answers are an object; anything else has no answer for any column.
    const object =
      typeof answers === "object" && answers !== null && !Array.isArray(answers)
        ? (answers as Record<string, unknown>)
        : null;
    for (let i = 0; i < columns.length; i++) {
      const { id, inherited, part, labelled, get } = columns[i] as (typeof columns)[number];
      let value = object === null || (inherited && !Object.hasOwn(object, id)) ? undefined : object[id];
      let cell: string;
      if (value === undefined || value === null) cell = "";
      else if (labelled) cell = writeCell(get(object as Record<string, unknown>, row));
      else if (part !== null) {
        value =
          typeof value === "object" && !Array.isArray(value)
            ? (value as Record<string, unknown>)[part]
            : undefined;
        cell = typeof value === "number" ? guardedNumber(value) : "";
      } else if (typeof value === "string") cell = writeCell(value);
      else if (typeof value === "number") cell = guardedNumber(value);
      else if (typeof value === "boolean") cell = value ? "true" : "false";
      else cell = writeCell(get(object as Record<string, unknown>, row));
      cells[i] = cell;
    }
    return cells.join(separator);
  };
}

/**
 * A number's cell: digits, a point, an exponent are never quoted; guarded if negative but not a
 * plain number, which for a finite number's text means written with an exponent.
 */
function guardedNumber(value: number): string {
  const text = String(value);
  return text.charCodeAt(0) === 45 && (!Number.isFinite(value) || text.includes("e")) ? `'${text}` : text;
}
