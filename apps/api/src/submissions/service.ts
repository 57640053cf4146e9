import type { FormDefinition } from "@coleta/forms";
import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { form, formVersion } from "../db/schema";
import { AppError } from "../errors/app-error";
import { filterSql, type SubmissionFilters } from "./filters";

export interface SubmissionView {
  id: string;
  formVersion: number;
  answers: Record<string, unknown>;
  receivedAt: string;
}

interface Row {
  id: string;
  seq: string | number;
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

export const encodeCursor = (seq: string | number) => Buffer.from(String(seq)).toString("base64url");
export function decodeCursor(cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,24}$/.test(cursor) ? Buffer.from(cursor, "base64url").toString() : "";
  const seq = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(seq)) {
    throw AppError.badRequest("The cursor is not valid.", [
      { path: "cursor", message: "Not a cursor from this API." },
    ]);
  }
  return seq;
}

/** The definition reads and exports use: the latest published version, else the draft. */
export async function formForReading(
  database: Database,
  orgId: string,
  formId: string,
): Promise<FormDefinition> {
  const [row] = await database.db
    .select({ draft: form.draft, version: form.publishedVersion })
    .from(form)
    .where(and(eq(form.id, formId), eq(form.organizationId, orgId)));
  if (!row) throw AppError.notFound("Form not found.");
  if (row.version === null) return row.draft;
  const [version] = await database.db
    .select({ definition: formVersion.definition })
    .from(formVersion)
    .where(and(eq(formVersion.formId, formId), eq(formVersion.version, row.version)));
  return version?.definition ?? row.draft;
}

/** One page, newest first, by the insertion sequence (stable under concurrent inserts). */
export async function pageOfSubmissions(
  database: Database,
  formId: string,
  filters: SubmissionFilters,
  options: { limit: number; beforeSeq?: number; ascending?: boolean; afterSeq?: number },
): Promise<{ rows: Row[]; lastSeq: number | null }> {
  const params: unknown[] = [formId];
  const clauses = ["form_id = $1"];
  if (options.beforeSeq !== undefined) {
    params.push(options.beforeSeq);
    clauses.push(`seq < $${params.length}`);
  }
  if (options.afterSeq !== undefined) {
    params.push(options.afterSeq);
    clauses.push(`seq > $${params.length}`);
  }
  const where = filterSql(filters, params.length + 1);
  clauses.push(...where.clauses);
  params.push(...where.params, options.limit);
  const rows = await database.query<Row>(
    `SELECT id, seq, form_version, answers, received_at FROM submission
     WHERE ${clauses.join(" AND ")}
     ORDER BY seq ${options.ascending ? "ASC" : "DESC"} LIMIT $${params.length}`,
    params,
  );
  const last = rows[rows.length - 1];
  return { rows, lastSeq: last ? Number(last.seq) : null };
}

export async function listSubmissions(
  database: Database,
  formId: string,
  filters: SubmissionFilters,
  limit: number,
  cursor?: string,
) {
  const { rows, lastSeq } = await pageOfSubmissions(database, formId, filters, {
    limit: limit + 1,
    beforeSeq: cursor ? decodeCursor(cursor) : undefined,
  });
  const page = rows.slice(0, limit);
  const more = rows.length > limit;
  const lastOnPage = page[page.length - 1];
  return {
    items: page.map(toView),
    nextCursor: more && lastOnPage && lastSeq !== null ? encodeCursor(lastOnPage.seq) : null,
  };
}

export async function getSubmission(database: Database, formId: string, id: string): Promise<SubmissionView> {
  const [row] = await database.query<Row>(
    "SELECT id, seq, form_version, answers, received_at FROM submission WHERE form_id = $1 AND id = $2",
    [formId, id],
  );
  if (!row) throw AppError.notFound("Submission not found.");
  return toView(row);
}

/**
 * Erases a submission and leaves a tombstone of its id (no answers), in one statement, so a
 * device retrying the same id later gets its receipt but never brings the answers back.
 */
export async function deleteSubmission(database: Database, formId: string, id: string): Promise<void> {
  const rows = await database.query<{ id: string }>(
    `WITH erased AS (
       DELETE FROM submission WHERE form_id = $1 AND id = $2 RETURNING id, form_id, received_at
     )
     INSERT INTO submission_tombstone (id, form_id, received_at)
     SELECT id, form_id, received_at FROM erased
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [formId, id],
  );
  if (rows.length === 0) throw AppError.notFound("Submission not found.");
}
