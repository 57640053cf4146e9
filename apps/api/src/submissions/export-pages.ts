import type { Database } from "../db/client";
import type { SubmissionFilters } from "./filters";
import { type ReadKey, readOrderSql, runRead } from "./service";

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
  const { where, orderBy, params, serial } = readOrderSql(formId, filters, { after, ascending: true });
  params.push(limit);
  const rows = await runRead<AnswerRow>(database, {
    text: `SELECT id, form_version, answers::text AS answers,
                  (extract(epoch FROM received_at) * 1000000)::bigint::text AS micros, seq::text AS seq
           FROM submission WHERE ${where} ORDER BY ${orderBy} LIMIT $${params.length}`,
    params,
    serial,
  });
  const last = rows[rows.length - 1];
  return { rows, next: rows.length === limit && last ? { micros: last.micros, seq: last.seq } : null };
}
