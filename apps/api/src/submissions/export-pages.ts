import type { Database } from "../db/client";
import { sql } from "../db/sql";
import type { SubmissionFilters } from "./filters";
import { nextPageRows, sizedPage } from "./page-size";
import { type ReadKey, readOrder, runRead } from "./service";

/** One submission as the file exports (Parquet, XLSX) read it: answers still JSON text. */
export interface AnswerRow {
  id: string;
  form_version: number;
  /** The stored jsonb as text: one JSON.parse costs less than the driver's per-type parsing. */
  answers: string;
  /** received_at in microseconds since the epoch, as text (no Date objects per row). */
  micros: string;
  seq: string;
}

export interface AnswerPage {
  rows: AnswerRow[];
  /** Where the next page starts; null after the last. */
  next: ReadKey | null;
  /** How many rows to ask for next (nextPageRows): fewer when rows are large. */
  nextLimit: number;
}

/**
 * One page of a form's (filtered) submissions in reading order, oldest first, after a position:
 * `limit` rows, or fewer once their answers pass EXPORT_PAGE_BYTES (sizedPage).
 */
export async function readAnswerPage(
  database: Database,
  formId: string,
  filters: SubmissionFilters,
  after: ReadKey | undefined,
  limit: number,
): Promise<AnswerPage> {
  const { where, orderBy, serial } = readOrder(formId, filters, { after, ascending: true });
  const rows = sql`SELECT id, form_version, answers::text AS answers, received_at, seq
                   FROM submission WHERE ${where} ORDER BY ${orderBy()} LIMIT ${limit}`;
  const page = await runRead<AnswerRow & { fills: boolean; upto: string }>(database, {
    statement: sql`SELECT id, form_version, answers,
                          (extract(epoch FROM received_at) * 1000000)::bigint::text AS micros, seq::text AS seq,
                          fills, upto
                   FROM (${sizedPage(rows, sql`octet_length(answers)`, orderBy(), limit)}) AS page`,
    serial,
  });
  const last = page[page.length - 1];
  return {
    rows: page,
    next: last?.fills ? { micros: last.micros, seq: last.seq } : null,
    nextLimit: nextPageRows(page.length, Number(last?.upto ?? 0)),
  };
}
