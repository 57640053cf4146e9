import { finished, Readable } from "node:stream";
import { type CsvColumn, csvColumns, type FileUrl } from "@coleta/forms";
import type { Database } from "../db/client";
import { sql } from "../db/sql";
import { AppError } from "../errors/app-error";
import type { ExportRequest } from "./export";
import { type AnswerPage, type AnswerRow, readAnswerPage } from "./export-pages";
import { selectedSubmissions } from "./filter-sql";
import { filtersByLocation, type SubmissionFilters } from "./filters";
import { EXPORT_FIRST_PAGE } from "./page-size";
import { runRead } from "./service";
import { rowXml, XLSX_MAX_ROWS, type XlsxCell, xlsxStream } from "./xlsx";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * The typed cell of a column: numbers and yes/no stay numbers and booleans (so a spreadsheet can
 * sum and filter them), everything else is the column's own text (the form package's one
 * definition of a cell, as in the CSV).
 */
function typedCell(
  column: CsvColumn,
  answers: Record<string, unknown>,
  row: { submissionId: string; fileUrl?: FileUrl },
): XlsxCell {
  const value = Object.hasOwn(answers, column.fieldId) ? answers[column.fieldId] : undefined;
  if (column.key !== column.fieldId) {
    // A geopoint part: its number.
    const part = column.key.slice(column.key.lastIndexOf(".") + 1);
    const n =
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)[part]
        : undefined;
    return typeof n === "number" ? n : null;
  }
  // Labelled columns (choices, yes/no) are the form package's label text.
  if (column.labelled) return column.get(answers, row);
  if (typeof value === "number" || typeof value === "boolean") return value;
  return column.get(answers, row);
}

function rowsXml(columns: CsvColumn[], rows: AnswerRow[], firstIndex: number, fileUrl?: FileUrl): string {
  let xml = "";
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as AnswerRow;
    const parsed: unknown = JSON.parse(row.answers);
    const answers =
      typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
    const cells: XlsxCell[] = [row.id, new Date(Number(row.micros) / 1000), row.form_version];
    const context = fileUrl ? { submissionId: row.id, fileUrl } : { submissionId: row.id };
    for (const column of columns) cells.push(typedCell(column, answers, context));
    xml += rowXml(firstIndex + i, cells);
  }
  return xml;
}

/**
 * A worksheet holds 1,048,576 rows: a larger export would be a file Excel cuts or refuses, so it
 * is refused before the first byte (counting at most one row past the limit: bounded work).
 */
async function refuseMoreRowsThanASheetHolds(database: Database, formId: string, filters: SubmissionFilters) {
  const [row] = await runRead<{ n: string | number }>(database, {
    statement: sql`SELECT count(*) AS n FROM (SELECT 1 FROM submission WHERE ${selectedSubmissions(formId, filters)} LIMIT ${XLSX_MAX_ROWS + 1}) AS capped`,
    serial: filtersByLocation(filters),
  });
  if (Number(row?.n ?? 0) > XLSX_MAX_ROWS) {
    throw AppError.badRequest(
      `An XLSX sheet holds at most ${XLSX_MAX_ROWS.toLocaleString("en")} submissions: narrow the filters or export CSV, NDJSON or Parquet.`,
      [{ path: "format", code: "too_many_rows", message: "Too many submissions for one XLSX sheet." }],
    );
  }
}

/**
 * Opens an XLSX export of a form's (filtered) submissions, oldest first: one sheet, a bold frozen
 * header with the questions' labels, one row per submission with typed cells and the time received
 * as a real date. Like the other exports: the first page is read before anything is sent (a
 * failure there is an error status), the next page is read while this one is written, a failure
 * midway aborts the connection (a ZIP without its directory is unreadable, never silently short),
 * memory stays flat (two pages at most), and `release` runs exactly once.
 */
export async function openXlsxExport(
  request: ExportRequest,
  /** Choice and yes/no answers as their labels (as in the CSV: the form package's columns). */
  options: { labels?: boolean } = {},
): Promise<ReadableStream<Uint8Array>> {
  const { database, formId, definition, filters, fileUrl } = request;
  const { release = () => {}, abortConnection = () => {} } = request;
  const columns = csvColumns(definition, { labels: options.labels });
  let first: AnswerPage;
  try {
    await refuseMoreRowsThanASheetHolds(database, formId, filters);
    first = await readAnswerPage(database, formId, filters, undefined, EXPORT_FIRST_PAGE);
  } catch (error) {
    release();
    throw error;
  }
  async function* body() {
    let page = first;
    let index = 2;
    for (;;) {
      const ahead = page.next ? readAnswerPage(database, formId, filters, page.next, page.nextLimit) : null;
      // Never an unhandled rejection: the error is rethrown when the page is awaited.
      ahead?.catch(() => {});
      yield rowsXml(columns, page.rows, index, fileUrl);
      index += page.rows.length;
      if (!ahead) return;
      page = await ahead;
    }
  }
  const header = ["submission_id", "received_at", "form_version", ...columns.map((c) => c.header)];
  const file = xlsxStream(definition.title || "Submissions", header, body());
  let released = false;
  finished(file, (error) => {
    if (error) abortConnection();
    if (!released) {
      released = true;
      release();
    }
  });
  return Readable.toWeb(file) as ReadableStream<Uint8Array>;
}
