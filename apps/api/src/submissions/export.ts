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
 * Opens an export: the first page is read before anything is sent, so a failure there is answered
 * with a proper error status instead of a 200 with an empty body. The rest is a pull-driven stream:
 * the next page is read only when the client has taken the previous one, so memory stays flat
 * however many rows there are. A failure midway aborts the connection (no final chunk), which
 * every HTTP client reports as an incomplete download rather than a short but "complete" file.
 * `release` runs exactly once when the stream ends, fails or is cancelled by the client;
 * `abortConnection` cuts the client's connection when a page fails midway.
 */
export async function openExport(
  database: Database,
  formId: string,
  definition: FormDefinition,
  filters: SubmissionFilters,
  format: ExportFormat,
  release: () => void = () => {},
  abortConnection: () => void = () => {},
): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const columns = csvColumns(definition);
  const render = (rows: Awaited<ReturnType<typeof pageOfSubmissions>>["rows"]) => {
    let chunk = "";
    for (const row of rows) {
      const s = toView(row);
      if (format === "ndjson") {
        chunk += `${JSON.stringify(s)}\n`;
      } else {
        const cells = [s.id, s.receivedAt, String(s.formVersion), ...columns.map((c) => c.get(s.answers))];
        chunk += `${cells.map(csvCell).join(",")}\r\n`;
      }
    }
    return chunk;
  };
  const readPage = (afterSeq: number | undefined) =>
    pageOfSubmissions(database, formId, filters, { limit: PAGE_SIZE, afterSeq, ascending: true });

  let first: Awaited<ReturnType<typeof readPage>>;
  try {
    first = await readPage(undefined);
  } catch (error) {
    release();
    throw error;
  }
  const header =
    format === "csv"
      ? `${["submission_id", "received_at", "form_version", ...columns.map((c) => c.key)].map(csvCell).join(",")}\r\n`
      : "";
  let pending: string | null = header + render(first.rows);
  let afterSeq = first.lastSeq ?? undefined;
  let done = first.rows.length < PAGE_SIZE || first.lastSeq === null;

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (pending !== null) {
            if (pending) controller.enqueue(encoder.encode(pending));
            pending = null;
          } else if (!done) {
            const { rows, lastSeq } = await readPage(afterSeq);
            const chunk = render(rows);
            if (chunk) controller.enqueue(encoder.encode(chunk));
            done = rows.length < PAGE_SIZE || lastSeq === null;
            afterSeq = lastSeq ?? afterSeq;
          }
          if (done && pending === null) {
            controller.close();
            release();
          }
        } catch (error) {
          release();
          // Cut the connection before the adapter can end the response: a clean end would make a
          // truncated file look complete to the client.
          abortConnection();
          controller.error(error);
        }
      },
      cancel() {
        release();
      },
    },
    { highWaterMark: 1 },
  );
}
