import type { FormDefinition } from "@coleta/forms";
import type { Database } from "../db/client";
import { list, queryRows, type SQL, sql } from "../db/sql";
import { ParquetSubmissionWriter } from "../submissions/parquet";
import { mergedDefinition } from "../submissions/parquet-columns";
import { KEY_COLUMNS } from "../submissions/service";
import { dayRange, type PartFile, parsePartKey, partitionPrefix, partKey } from "./layout";
import { readState, writeState } from "./state";
import type { LakeTarget } from "./target";

export interface LakeExportOptions {
  /**
   * Only rows received (and erasures recorded) at least this long ago are exported. A submission's
   * received_at is its INSERT statement's start, and the row becomes visible at commit, a moment
   * later: rows younger than this margin might still be uncommitted, so the watermark never passes
   * them. Submission inserts and erasures are single statements (milliseconds), so one minute is
   * ample; tests use 0.
   */
  settleSeconds?: number;
  /** Rows per database read. */
  pageRows?: number;
}

export interface LakeExportReport {
  target: string;
  /** The new watermark (ISO time): everything received and erased before it is in the lake. */
  until: string;
  rows: number;
  filesWritten: number;
  filesDeleted: number;
  partitionsRewritten: number;
  formsRemoved: number;
}

/** Postgres advisory lock of the lake export (next to the migration and role locks, 4_242_00x). */
export const LAKE_EXPORT_LOCK_KEY = 4_242_004;

/** The instant `micros` microseconds after the epoch (a bigint kept exact as text). */
const at = (micros: bigint | string): SQL =>
  sql`('epoch'::timestamptz + ${String(micros)}::bigint * interval '1 microsecond')`;
const DATE_UTC = sql.raw(`to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`);
const partition = (formId: string, date: string) => `${formId}/${date}`;
const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * One incremental run of the lake export; running it again at once adds nothing, and a run that
 * fails midway is repaired by the next (see docs/analytics.md):
 *
 * 1. H = now − settle. Files past the committed watermark W (left by a failed run) are deleted.
 * 2. Erasures recorded in [E, H) of rows received before W name the (form, day) partitions that
 *    hold erased rows: each is rewritten whole from the database (the source of truth), and its
 *    older files are deleted. Forms that no longer exist lose their folder.
 * 3. Every other (form, day) with rows received in [W, H) gets one new file of exactly those rows.
 * 4. The state {W = E = H} is written last: until then the run has not happened.
 *
 * Columns follow the form's versions at the time a file is written: every field any version had,
 * typed by its latest version, so a new version adds columns to new files; readers union files by
 * column name.
 */
export async function exportLake(
  database: Database,
  target: LakeTarget,
  options: LakeExportOptions = {},
): Promise<LakeExportReport> {
  // Runs never overlap (a slow run and the next scheduled one): the second waits, then starts from
  // the state the first committed.
  return database.withAdvisoryLock(LAKE_EXPORT_LOCK_KEY, () => runExport(database, target, options));
}

async function runExport(
  database: Database,
  target: LakeTarget,
  options: LakeExportOptions,
): Promise<LakeExportReport> {
  const settleMicros = BigInt(Math.round((options.settleSeconds ?? 60) * 1_000_000));
  const pageRows = options.pageRows ?? 5000;
  const { exportedUntil: since, erasuresUntil } = await readState(target);
  const [clock] = await database.query<{ now: string }>(
    "SELECT (extract(epoch FROM now()) * 1000000)::bigint AS now",
  );
  const until = max(BigInt(clock?.now ?? "0") - settleMicros, since);
  const report: LakeExportReport = {
    target: target.describe,
    until: new Date(Number(until / 1000n)).toISOString(),
    rows: 0,
    filesWritten: 0,
    filesDeleted: 0,
    partitionsRewritten: 0,
    formsRemoved: 0,
  };

  const files: PartFile[] = [];
  for (const key of await target.list()) {
    const file = parsePartKey(key);
    if (file) files.push(file);
  }
  const remove = async (keys: string[]) => {
    if (keys.length === 0) return;
    await target.delete(keys);
    report.filesDeleted += keys.length;
  };

  // 1. What a failed run left behind.
  const orphans = files.filter((f) => f.to > since);
  await remove(orphans.map((f) => f.key));
  const kept = files.filter((f) => f.to <= since);

  // Forms deleted since (their submissions and tombstones went with them).
  const lakeForms = [...new Set(kept.map((f) => f.formId))];
  const existing = new Set(
    (
      await queryRows<{ id: string }>(
        database,
        sql`SELECT id FROM form WHERE id = ANY(${list(lakeForms)}::uuid[])`,
      )
    ).map((r) => r.id),
  );
  const gone = lakeForms.filter((id) => !existing.has(id));
  await remove(kept.filter((f) => gone.includes(f.formId)).map((f) => f.key));
  report.formsRemoved = gone.length;

  // 2. Partitions holding erased rows.
  const erased = await queryRows<{ form_id: string; date: string }>(
    database,
    sql`SELECT DISTINCT form_id, ${DATE_UTC} AS date FROM submission_tombstone
     WHERE erased_at >= ${at(erasuresUntil)} AND erased_at < ${at(until)} AND received_at < ${at(since)}`,
  );
  // 3. Partitions with new rows: one index range per form.
  const fresh =
    until > since
      ? await queryRows<{ form_id: string; date: string }>(
          database,
          sql`SELECT f.id AS form_id, d.date FROM form f
           CROSS JOIN LATERAL (SELECT DISTINCT ${DATE_UTC} AS date FROM submission s
                               WHERE s.form_id = f.id AND received_at >= ${at(since)} AND received_at < ${at(until)}) d`,
        )
      : [];

  const definitions = new Map<string, FormDefinition>();
  const definitionOf = async (formId: string) => {
    let definition = definitions.get(formId);
    if (!definition) {
      definition = await formDefinition(database, formId);
      definitions.set(formId, definition);
    }
    return definition;
  };
  const write = async (formId: string, date: string, from: bigint, to: bigint) => {
    const chunks: Uint8Array[] = [];
    const writer = new ParquetSubmissionWriter(await definitionOf(formId), (bytes) => chunks.push(bytes), {
      answersJson: true,
    });
    const rows = await copyRows(database, formId, from, to, pageRows, writer);
    writer.finish();
    if (rows === 0) return null;
    const key = partKey(formId, date, from, to);
    await target.put(key, chunks);
    report.rows += rows;
    report.filesWritten++;
    return key;
  };

  const rewritten = new Set<string>();
  for (const { form_id: formId, date } of erased) {
    if (gone.includes(formId)) continue;
    rewritten.add(partition(formId, date));
    const { start, end } = dayRange(date);
    const key = await write(formId, date, start, min(until, end));
    const prefix = partitionPrefix(formId, date);
    await remove(kept.filter((f) => f.key.startsWith(prefix) && f.key !== key).map((f) => f.key));
    report.partitionsRewritten++;
  }
  for (const { form_id: formId, date } of fresh) {
    if (rewritten.has(partition(formId, date))) continue;
    const { start, end } = dayRange(date);
    await write(formId, date, max(since, start), min(until, end));
  }

  // 4. Commit.
  await writeState(target, until);
  return report;
}

/** Every field any published version had (the draft if none was published). */
async function formDefinition(database: Database, formId: string): Promise<FormDefinition> {
  const versions = await queryRows<{ definition: FormDefinition }>(
    database,
    sql`SELECT definition FROM form_version WHERE form_id = ${formId} ORDER BY version DESC`,
  );
  if (versions.length > 0) return mergedDefinition(versions.map((v) => v.definition));
  const [draft] = await queryRows<{ draft: FormDefinition }>(
    database,
    sql`SELECT draft FROM form WHERE id = ${formId}`,
  );
  return draft?.draft ?? mergedDefinition([]);
}

interface LakeRow {
  id: string;
  form_version: number;
  answers: unknown;
  key_micros: string;
  key_seq: string;
}

/** Streams a form's rows received in [from, to) into the writer, page by page; returns the count. */
async function copyRows(
  database: Database,
  formId: string,
  from: bigint,
  to: bigint,
  pageRows: number,
  writer: ParquetSubmissionWriter,
): Promise<number> {
  let after: { micros: string; seq: string } | null = null;
  let total = 0;
  for (;;) {
    const position = after
      ? sql`AND (received_at, seq) > (${at(after.micros)}, ${after.seq}::bigint)`
      : sql``;
    const rows: LakeRow[] = await queryRows<LakeRow>(
      database,
      sql`SELECT id, form_version, answers, ${sql.raw(KEY_COLUMNS)} FROM submission
       WHERE form_id = ${formId} AND received_at >= ${at(from)} AND received_at < ${at(to)} ${position}
       ORDER BY received_at, seq LIMIT ${pageRows}`,
    );
    for (const row of rows) {
      writer.add({
        id: row.id,
        receivedAtMicros: BigInt(row.key_micros),
        formVersion: row.form_version,
        answers: typeof row.answers === "string" ? JSON.parse(row.answers) : row.answers,
      });
    }
    total += rows.length;
    const last = rows[rows.length - 1];
    if (rows.length < pageRows || !last) return total;
    after = { micros: String(last.key_micros), seq: String(last.key_seq) };
  }
}
