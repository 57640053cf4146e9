import { csvColumns, type FileUrl, type FormDefinition } from "@coleta/forms";
import { z } from "@hono/zod-openapi";
import type { Database } from "../db/client";
import { sql } from "../db/sql";
import { CSV_SEPARATORS, type CsvOptions, csvCellWriter, csvRowRenderer } from "./csv-cells";
import type { SubmissionFilters } from "./filters";
import { EXPORT_FIRST_PAGE, nextPageRows, sizedPage } from "./page-size";
import { type Read, type ReadKey, readOrder, runRead } from "./service";
import { exportStamp } from "./stored-cells";

export type ExportFormat = "csv" | "ndjson";

/**
 * What every export (CSV, NDJSON, XLSX, Parquet, the ZIP's CSV) reads and how its stream ends: the
 * form's submissions that pass `filters`, in the columns of `definition`. `release` runs exactly
 * once, when the stream ends, fails or is cancelled by the client; `abortConnection` cuts the
 * client's connection when a page fails midway, so a truncated file never looks complete.
 */
export interface ExportRequest {
  database: Database;
  formId: string;
  definition: FormDefinition;
  filters: SubmissionFilters;
  release?: () => void;
  abortConnection?: () => void;
  /** Makes file answers download links (apps/api/src/uploads); without it they are file names. */
  fileUrl?: FileUrl;
}
/**
 * Rows rendered per chunk sent. A page is rendered a slice at a time, and between slices the
 * event loop reads the next page as PostgreSQL sends it: rendering a whole page at once would
 * leave the database socket unread until it fills, stalling the database behind the API.
 */
const EXPORT_SLICE = 500;

/** The export route's file options, as query parameters (validated; unknown values are a 400). */
export const ExportOptionsQuery = z.object({
  bom: z
    .enum(["true", "false"])
    .default("false")
    .openapi({ description: "CSV: start with a UTF-8 byte order mark, so Excel reads accents right." }),
  separator: z.enum(["comma", "semicolon"]).default("comma").openapi({
    description:
      "CSV: the cell separator; `semicolon` for spreadsheet programs set to pt-BR and other comma-decimal locales.",
  }),
  values: z.enum(["values", "labels"]).default("values").openapi({
    description:
      "CSV and XLSX: choice answers (single, multiple, dropdown) as stored option values or as the options' labels, yes/no as true/false or Yes/No. NDJSON and Parquet always carry the stored values.",
  }),
});

/** The CSV options of a validated export query. */
export function csvOptionsOf(query: z.infer<typeof ExportOptionsQuery>): CsvOptions {
  return {
    bom: query.bom === "true",
    separator: CSV_SEPARATORS[query.separator],
    labels: query.values === "labels",
  };
}

interface ExportRow {
  /**
   * NDJSON: the whole line. CSV: `id,received_at,form_version` (the start of the line), or the
   * whole line when `answers` is null (the row's stored cells, stored-cells.ts).
   */
  head: string;
  /** CSV: the stored answers as JSON text, to render; null when `head` is the whole line. */
  answers: string | null;
  /** Only for the row that ends the page: its position, `YYYY-MM-DDTHH:MI:SS.US seq` (UTC). */
  key: string | null;
  /** The page's bytes up to this row (sizedPage), as PostgreSQL returns a bigint: text. */
  upto: string;
}

/** One page of rows as read, the position to read the next from (null after the last) and its size. */
interface Rows {
  rows: ExportRow[];
  next: ReadKey | null;
  /** How many rows to ask for next (nextPageRows): fewer when rows are large. */
  nextLimit: number;
}

// received_at as the list shows it: ISO 8601 in UTC, to the millisecond (Date#toISOString).
const ISO_MS = sql`to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The statement of one export page: oldest first, after a position (exported for the plan tests).
 * PostgreSQL assembles what it can as one text per row: the whole NDJSON line (the submission as
 * the list shows it, `answers` in PostgreSQL's own JSON rendering of the stored jsonb: the same
 * values, every stored digit of a number kept), or the start of a CSV line next to the answers.
 * A CSV row whose stored cells carry `stamp` (the exported columns' and today's rules') comes
 * whole too, its answers left unread; any other row comes with its answers, to be rendered.
 * The page ends by count or by size (sizedPage); only its last row carries its position, when
 * there may be more to read.
 */
export function exportPageQuery(
  formId: string,
  filters: SubmissionFilters,
  format: ExportFormat,
  after: ReadKey | undefined,
  limit: number,
  /** CSV: the stamp of stored cells that fit this export, null when none can (other options). */
  stamp: string | null = null,
): Read {
  const { where, orderBy, serial } = readOrder(formId, filters, { after, ascending: true });
  const head = sql`id || ',' || ${ISO_MS} || ',' || form_version`;
  const stored = sql`csv_stamp = ${stamp}::text AND csv_cells IS NOT NULL`;
  const values =
    format === "ndjson"
      ? sql`'{"id":"' || id || '","formVersion":' || form_version || ',"answers":' || answers::text
            || ',"receivedAt":"' || ${ISO_MS} || E'"}\n' AS head, NULL::text AS answers`
      : stamp === null
        ? sql`${head} AS head, answers::text AS answers`
        : sql`CASE WHEN ${stored} THEN ${head} || ',' || csv_cells || E'\r\n' ELSE ${head} END AS head,
              CASE WHEN ${stored} THEN NULL ELSE answers::text END AS answers`;
  const rows = sql`SELECT ${values}, received_at, seq FROM submission
                   WHERE ${where} ORDER BY ${orderBy()} LIMIT ${limit}`;
  const size = sql`octet_length(head) + coalesce(octet_length(answers), 0)`;
  return {
    statement: sql`SELECT head, answers, upto,
                          CASE WHEN fills
                               THEN to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || ' ' || seq
                          END AS key
                   FROM (${sizedPage(rows, size, orderBy(), limit)}) AS page`,
    serial,
  };
}

/** Reads one page of rows, oldest first, after a position. */
async function readRows(
  database: Database,
  formId: string,
  filters: SubmissionFilters,
  format: ExportFormat,
  after: ReadKey | undefined,
  limit: number,
  stamp: string | null,
): Promise<Rows> {
  const rows = await runRead<ExportRow>(
    database,
    exportPageQuery(formId, filters, format, after, limit, stamp),
  );
  const last = rows[rows.length - 1];
  return {
    rows,
    next: last?.key ? keyOf(last.key) : null,
    nextLimit: nextPageRows(rows.length, Number(last?.upto ?? 0)),
  };
}

/**
 * Renders a page of rows as text: NDJSON lines come whole from PostgreSQL, and so do CSV lines of
 * stored cells; any other CSV line is its start and the cells of the parsed answers (parsed row by
 * row, so each row's objects die young).
 */
function pageRenderer(
  definition: FormDefinition,
  format: ExportFormat,
  fileUrl?: FileUrl,
  options: CsvOptions = {},
): (rows: ExportRow[], start: number, end: number) => string {
  if (format === "ndjson") {
    return (rows, start, end) => {
      const lines: string[] = new Array(end - start);
      for (let i = start; i < end; i++) lines[i - start] = (rows[i] as ExportRow).head;
      return lines.join("");
    };
  }
  const cells = csvRowRenderer(definition, fileUrl, options);
  const hasCells = csvColumns(definition).length > 0;
  const separator = options.separator ?? ",";
  return (rows, start, end) => {
    // Every piece of the slice in one array and one join: a single flat string, where nested
    // concatenations would build ropes that encoding the slice must flatten again.
    const pieces: string[] = new Array((end - start) * 4);
    let n = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i] as ExportRow;
      if (row.answers === null) {
        pieces[n++] = row.head;
        continue;
      }
      // The id (a UUID), the time and the version never need quoting or a formula guard.
      // The head starts with the submission id (36 characters), which file links need.
      pieces[n++] = separator === "," ? row.head : row.head.replaceAll(",", separator);
      if (hasCells) {
        pieces[n++] = separator;
        pieces[n++] = cells(JSON.parse(row.answers as string), row.head.slice(0, 36));
      }
      pieces[n++] = "\r\n";
    }
    pieces.length = n;
    return pieces.join("");
  };
}

/** A page's last position from `YYYY-MM-DDTHH:MI:SS.US seq` (UTC): microseconds exactly (< 2^53). */
function keyOf(key: string): ReadKey {
  const [at = "", seq = ""] = key.split(" ");
  return { micros: String(Date.parse(`${at.slice(0, 23)}Z`) * 1000 + Number(at.slice(23, 26))), seq };
}

/**
 * Opens an export: the first page is read before anything is sent, so a failure there is answered
 * with a proper error status instead of a 200 with an empty body. The rest is a pull-driven stream
 * that keeps the database one page ahead: as soon as a page's rows arrive the next page is asked
 * for, then this one is rendered and handed to the client a slice at a time, so the database
 * reads while the API renders and sends. At most two pages of rows and one slice of text are
 * held, however many rows there are. A failure midway aborts the connection (no final chunk), which every HTTP client reports as
 * an incomplete download rather than a short but "complete" file.
 */
export async function openExport(
  request: ExportRequest,
  format: ExportFormat,
  /** CSV only: BOM, separator, labels (NDJSON is always the stored values). */
  csv: CsvOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const { database, formId, definition, filters, fileUrl } = request;
  const { release = () => {}, abortConnection = () => {} } = request;
  const encoder = new TextEncoder();
  const render = pageRenderer(definition, format, fileUrl, csv);
  const stamp = format === "csv" ? exportStamp(definition, csv) : null;
  /** The next page's rows, already being read; its error waits for the pull that wants it. */
  let ahead: Promise<Rows> | null = null;
  const readAhead = (page: Rows) => {
    ahead =
      page.next === null
        ? null
        : readRows(database, formId, filters, format, page.next, page.nextLimit, stamp);
    // Never an unhandled rejection: the error is rethrown when the page is awaited (or dropped
    // with the stream when the client has gone).
    ahead?.catch(() => {});
  };

  /** What the client gets first: the header and the first slice of rows, or the error status. */
  let pending: string | null;
  /** The page being sent, from row `sent` on. */
  let rows: ExportRow[];
  let sent: number;
  try {
    const first = await readRows(database, formId, filters, format, undefined, EXPORT_FIRST_PAGE, stamp);
    readAhead(first);
    const separator = csv.separator ?? ",";
    const header =
      format === "csv"
        ? `${csv.bom ? "\uFEFF" : ""}${["submission_id", "received_at", "form_version", ...csvColumns(definition).map((c) => c.key)].map(csvCellWriter(separator)).join(separator)}\r\n`
        : "";
    rows = first.rows;
    sent = Math.min(rows.length, EXPORT_SLICE);
    pending = header + render(rows, 0, sent);
  } catch (error) {
    release();
    throw error;
  }
  let cancelled = false;

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (pending !== null) {
            if (pending) controller.enqueue(encoder.encode(pending));
            pending = null;
          } else {
            if (sent === rows.length && ahead) {
              const page = await ahead;
              if (cancelled) return;
              readAhead(page);
              rows = page.rows;
              sent = 0;
            }
            if (sent < rows.length) {
              const end = Math.min(rows.length, sent + EXPORT_SLICE);
              const chunk = render(rows, sent, end);
              sent = end;
              if (chunk) controller.enqueue(encoder.encode(chunk));
            }
          }
          if (pending === null && sent === rows.length && ahead === null) {
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
        cancelled = true;
        release();
      },
    },
    { highWaterMark: 1 },
  );
}
