import { csvColumns, type FormDefinition } from "@coleta/forms";
import type { Database } from "../db/client";
import type { SubmissionFilters } from "./filters";
import { pageOfSubmissions, toView } from "./service";

export type ExportFormat = "csv" | "ndjson";
const PAGE_SIZE = 1000;

// A cell starting with = + - @ (or a tab/CR) is run as a formula by spreadsheet apps; a leading
// apostrophe keeps it text. Plain negative numbers are left alone.
function neutralizeFormula(cell: string): string {
  return /^[=+@\t\r]/.test(cell) || /^-(?!\d+(\.\d+)?$)/.test(cell) ? `'${cell}` : cell;
}

export function csvCell(value: string): string {
  const text = neutralizeFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A pull-driven stream: the next page is read from the database only when the client has taken
 * the previous one, so memory stays flat however many rows the export has.
 */
export function exportStream(
  database: Database,
  formId: string,
  definition: FormDefinition,
  filters: SubmissionFilters,
  format: ExportFormat,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const columns = csvColumns(definition);
  let afterSeq: number | undefined;
  let headerSent = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk = "";
        if (format === "csv" && !headerSent) {
          chunk += `${["submission_id", "received_at", "form_version", ...columns.map((c) => c.key)].map(csvCell).join(",")}\r\n`;
        }
        headerSent = true;
        const { rows, lastSeq } = await pageOfSubmissions(database, formId, filters, {
          limit: PAGE_SIZE,
          afterSeq,
          ascending: true,
        });
        for (const row of rows) {
          const s = toView(row);
          if (format === "ndjson") {
            chunk += `${JSON.stringify(s)}\n`;
          } else {
            const cells = [
              s.id,
              s.receivedAt,
              String(s.formVersion),
              ...columns.map((c) => c.get(s.answers)),
            ];
            chunk += `${cells.map(csvCell).join(",")}\r\n`;
          }
        }
        if (chunk) controller.enqueue(encoder.encode(chunk));
        if (rows.length < PAGE_SIZE || lastSeq === null) controller.close();
        else afterSeq = lastSeq;
      },
    },
    { highWaterMark: 1 },
  );
}
