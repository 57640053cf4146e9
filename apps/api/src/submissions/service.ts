import type { FormDefinition } from "@coleta/forms";
import type { Database } from "../db/client";
import { allOf, checked, queryRows, type SQL, sql } from "../db/sql";
import { AppError } from "../errors/app-error";
import { definitionForReading } from "../forms/queries";
import { selectedSubmissions } from "./filter-sql";
import { filtersByLocation, parseFilters, type SubmissionFilters } from "./filters";

export interface SubmissionView {
  id: string;
  formVersion: number;
  answers: Record<string, unknown>;
  receivedAt: string;
}

interface Row {
  id: string;
  form_version: number;
  answers: Record<string, unknown> | string;
  received_at: Date | string;
}

export const toView = (row: Row): SubmissionView => ({
  id: row.id,
  formVersion: row.form_version,
  answers: typeof row.answers === "string" ? JSON.parse(row.answers) : row.answers,
  receivedAt: new Date(row.received_at).toISOString(),
});

/**
 * A position in a form's reading order (received_at, then seq for rows received in the same
 * instant): received_at in microseconds since the epoch, and seq. Both as decimal text, as
 * PostgreSQL returns bigints.
 */
export interface ReadKey {
  micros: string;
  seq: string;
}

export type KeyedRow = Row & { key_micros: string; key_seq: string };

/** SQL for the position of a row, selected next to it so a page can end with a cursor (constant text). */
export const KEY_COLUMNS =
  "(extract(epoch FROM received_at) * 1000000)::bigint AS key_micros, seq AS key_seq";
/** A ReadKey back as a (received_at, seq) row value; exact to the microsecond until the year 2255. */
const keyValue = (key: ReadKey) =>
  sql`('epoch'::timestamptz + ${key.micros}::bigint * interval '1 microsecond', ${key.seq}::bigint)`;

export const encodeCursor = (key: ReadKey) => Buffer.from(`${key.micros}:${key.seq}`).toString("base64url");
export function decodeCursor(cursor: string): ReadKey {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, "base64url").toString() : "";
  const match = /^(-?\d{1,18}):(\d{1,18})$/.exec(text);
  if (!match?.[1] || !match[2]) {
    throw AppError.badRequest("The cursor is not valid.", [
      { path: "cursor", message: "Not a cursor from this API." },
    ]);
  }
  return { micros: match[1], seq: match[2] };
}

/** The definition reads and exports use: the latest published version, else the draft. */
export async function formForReading(
  database: Database,
  orgId: string,
  formId: string,
): Promise<FormDefinition> {
  const definition = await definitionForReading(database.db, orgId, formId);
  if (!definition) throw AppError.notFound("Form not found.");
  return definition;
}

/**
 * What a filtered view (list, export, map, summary) reads: the form's definition, then the request's
 * filters checked against its fields (400 for a filter on an unknown field or a bad value).
 */
export async function filteredForm(
  database: Database,
  orgId: string,
  formId: string,
  query: Record<string, string[]>,
): Promise<{ definition: FormDefinition; filters: SubmissionFilters }> {
  const definition = await formForReading(database, orgId, formId);
  return { definition, filters: parseFilters(query, definition) };
}

/** A read: its statement, and whether it must run without parallel workers or JIT (filtersByLocation). */
export interface Read {
  statement: SQL;
  serial: boolean;
}

/** The WHERE and ORDER BY of a read in reading order; `orderBy` qualifies the columns with `alias`. */
export interface ReadOrder {
  where: SQL;
  orderBy: (alias?: string) => SQL;
  serial: boolean;
}

/**
 * The WHERE and ORDER BY of a read in the form's reading order, newest first (or oldest first),
 * optionally strictly after a position: every list, export and map page is a range of the
 * (form_id, received_at, seq) index, whatever its depth; filters narrow it (or, when rare enough
 * for the planner to prefer it, come from the GIN/GiST indexes instead).
 */
export function readOrder(
  formId: string,
  filters: SubmissionFilters,
  options: { after?: ReadKey; ascending?: boolean },
): ReadOrder {
  const conditions = [selectedSubmissions(formId, filters)];
  if (options.after) {
    conditions.push(
      options.ascending
        ? sql`(received_at, seq) > ${keyValue(options.after)}`
        : sql`(received_at, seq) < ${keyValue(options.after)}`,
    );
  }
  const direction = options.ascending ? sql`ASC` : sql`DESC`;
  return {
    where: allOf(conditions),
    orderBy: (alias) => {
      const table = alias ? sql`${sql.identifier(alias)}.` : sql.empty();
      return sql`${table}received_at ${direction}, ${table}seq ${direction}`;
    },
    serial: filtersByLocation(filters),
  };
}

/** The statement of one page in reading order (exported for the query-plan tests). */
export function pageQuery(
  formId: string,
  filters: SubmissionFilters,
  options: { limit: number; after?: ReadKey; ascending?: boolean },
): Read {
  const { where, orderBy, serial } = readOrder(formId, filters, options);
  return {
    statement: sql`SELECT id, form_version, answers, received_at, ${sql.raw(KEY_COLUMNS)} FROM submission
     WHERE ${where} ORDER BY ${orderBy()} LIMIT ${options.limit}`,
    serial,
  };
}

/** Runs a read; a `serial` one in a transaction that allows it no parallel workers and no JIT. */
export async function runRead<T>(database: Database, read: Read): Promise<T[]> {
  if (!read.serial) return queryRows<T>(database, read.statement);
  return database.db.transaction(async (tx) => {
    await tx.execute(
      sql`SELECT set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)`,
    );
    const result = await tx.execute(checked(read.statement));
    return (result as unknown as { rows: T[] }).rows;
  });
}

/** One page in reading order, with the position of its last row. */
export async function pageOfSubmissions(
  database: Database,
  formId: string,
  filters: SubmissionFilters,
  options: { limit: number; after?: ReadKey; ascending?: boolean },
): Promise<{ rows: KeyedRow[]; last: ReadKey | null }> {
  const rows = await runRead<KeyedRow>(database, pageQuery(formId, filters, options));
  const last = rows[rows.length - 1];
  return { rows, last: last ? { micros: String(last.key_micros), seq: String(last.key_seq) } : null };
}

/** Newest first, by time received (ties in insertion order): stable under concurrent inserts. */
export async function listSubmissions(
  database: Database,
  formId: string,
  filters: SubmissionFilters,
  limit: number,
  cursor?: string,
) {
  const { rows } = await pageOfSubmissions(database, formId, filters, {
    limit: limit + 1,
    after: cursor ? decodeCursor(cursor) : undefined,
  });
  const page = rows.slice(0, limit);
  const lastOnPage = page[page.length - 1];
  return {
    items: page.map(toView),
    nextCursor:
      rows.length > limit && lastOnPage
        ? encodeCursor({ micros: String(lastOnPage.key_micros), seq: String(lastOnPage.key_seq) })
        : null,
  };
}

export async function getSubmission(database: Database, formId: string, id: string): Promise<SubmissionView> {
  const [row] = await queryRows<Row>(
    database,
    sql`SELECT id, form_version, answers, received_at FROM submission WHERE form_id = ${formId} AND id = ${id}`,
  );
  if (!row) throw AppError.notFound("Submission not found.");
  return toView(row);
}

/**
 * Erases a submission and leaves a tombstone of its id (no answers), in one statement, so a
 * device retrying the same id later gets its receipt but never brings the answers back.
 */
export async function deleteSubmission(database: Database, formId: string, id: string): Promise<void> {
  const rows = await queryRows<{ id: string }>(
    database,
    sql`WITH erased AS (
          DELETE FROM submission WHERE form_id = ${formId} AND id = ${id} RETURNING id, form_id, received_at
        )
        INSERT INTO submission_tombstone (id, form_id, received_at)
        SELECT id, form_id, received_at FROM erased
        ON CONFLICT (id) DO NOTHING
        RETURNING id`,
  );
  if (rows.length === 0) throw AppError.notFound("Submission not found.");
}
