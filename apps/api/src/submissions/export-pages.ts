import type { Database } from "../db/client";
import { sql } from "../db/sql";
import type { SubmissionFilters } from "./filters";
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
}

/** One page of a form's (filtered) submissions in reading order, oldest first, after a position. */
export async function readAnswerPage(
  database: Database,
  formId: string,
  filters: SubmissionFilters,
  after: ReadKey | undefined,
  limit: number,
): Promise<AnswerPage> {
  const { where, orderBy, serial } = readOrder(formId, filters, { after, ascending: true });
  const rows = await runRead<AnswerRow>(database, {
    statement: sql`SELECT id, form_version, answers::text AS answers,
                          (extract(epoch FROM received_at) * 1000000)::bigint::text AS micros, seq::text AS seq
                   FROM submission WHERE ${where} ORDER BY ${orderBy()} LIMIT ${limit}`,
    serial,
  });
  const last = rows[rows.length - 1];
  return { rows, next: rows.length === limit && last ? { micros: last.micros, seq: last.seq } : null };
}
