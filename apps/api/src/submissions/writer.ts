import type { Database } from "../db/client";
import { list, queryRows, render, sql } from "../db/sql";
import { AppError } from "../errors/app-error";
import { isConnectionError, isDataError, sqlState } from "../errors/database-errors";

export interface NewSubmission {
  id: string;
  formId: string;
  formVersion: number;
  answers: Record<string, unknown>;
  point: { lat: number; lon: number } | null;
  /** The answers' CSV cells and their stamp (stored-cells.ts), when they can be stored. */
  csv?: { cells: string; stamp: string } | null;
}

export interface StoredSubmission {
  id: string;
  formId: string;
  receivedAt: Date;
  /** False when the id already existed: the caller is retrying an acknowledged submission. */
  created: boolean;
  /** True when the submission was stored and later erased: the id stays erased. */
  erased: boolean;
}

const FOLD_INTERVAL_MS = 1_000;
/**
 * Rows waiting that justify a concurrent write of their own (see pump). Each statement has a fixed
 * cost (its triggers, its commit): 32 rather than 16 made batches twice as large under load and
 * cut the database's CPU per submission by about a quarter (docs/performance.md).
 */
const GATHER_ROWS = 32;

interface Pending {
  item: NewSubmission;
  resolve(result: StoredSubmission): void;
  reject(error: unknown): void;
}

// One statement for the whole batch: arrays in, one row per element out. ON CONFLICT makes a retried
// id a no-op, also when two retries race, so the unique primary key is the single source of truth;
// an erased id (tombstone) is never stored again. Rendered per batch (not per row): the same shape
// always renders to the same text, which the named prepared statement below requires.
const insertBatch = (items: NewSubmission[]) => sql`
INSERT INTO submission (id, form_id, form_version, answers, csv_cells, csv_stamp, location)
SELECT b.id, b.form_id, b.form_version, b.answers, b.csv_cells, b.csv_stamp,
       CASE WHEN b.lat IS NULL THEN NULL
            ELSE ST_SetSRID(ST_MakePoint(b.lon, b.lat), 4326)::geography END
FROM unnest(${list(items.map((i) => i.id))}::uuid[], ${list(items.map((i) => i.formId))}::uuid[],
            ${list(items.map((i) => i.formVersion))}::int[],
            ${list(items.map((i) => JSON.stringify(i.answers)))}::jsonb[],
            ${list(items.map((i) => i.csv?.cells ?? null))}::text[],
            ${list(items.map((i) => i.csv?.stamp ?? null))}::text[],
            ${list(items.map((i) => i.point?.lat ?? null))}::float8[],
            ${list(items.map((i) => i.point?.lon ?? null))}::float8[])
     AS b(id, form_id, form_version, answers, csv_cells, csv_stamp, lat, lon)
WHERE NOT EXISTS (SELECT 1 FROM submission_tombstone t WHERE t.id = b.id)
ON CONFLICT (id) DO NOTHING
RETURNING id, received_at`;

// Prepared once per connection (PostgreSQL parses and plans it once): a batch every few
// milliseconds under load, where parsing and planning again cost about a tenth of its time.
const INSERT_BATCH_NAME = "submission_insert_batch";

// The ids go in twice (one parameter each): the statement is run for retried ids only.
const findExisting = (ids: string[]) => sql`
SELECT id, form_id, received_at, false AS erased FROM submission WHERE id = ANY(${list(ids)}::uuid[])
UNION ALL
SELECT id, form_id, received_at, true AS erased FROM submission_tombstone WHERE id = ANY(${list(ids)}::uuid[])`;

interface ExistingRow {
  id: string;
  form_id: string;
  received_at: Date;
  erased: boolean;
}

/**
 * Submissions already stored (or stored and erased) under these ids. A retry of a stored id gets
 * the original receipt whatever happened to the form since, so routes ask this before refusing.
 */
export async function findStored(database: Database, ids: string[]): Promise<Map<string, StoredSubmission>> {
  const rows = await queryRows<ExistingRow>(database, findExisting(ids));
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, formId: r.form_id, receivedAt: new Date(r.received_at), created: false, erased: r.erased },
    ]),
  );
}

const unstorable = () =>
  AppError.validation(
    [{ path: "answers", code: "invalid_value", message: "An answer holds a value that cannot be stored." }],
    "Some answers cannot be stored.",
  );

/**
 * Group commit for submissions. Under load, requests that arrive while a write is in flight are
 * gathered into the next multi-row INSERT, so the database sees a few large commits instead of
 * thousands of small ones; with no load a submission is written at once. A promise resolves only
 * after its row's statement has committed, so an acknowledgement always means a stored row.
 */
export class SubmissionWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  /** When this writer last folded each form's deltas (ms since epoch). */
  private lastFold = new Map<string, number>();
  private folding = new Set<Promise<unknown>>();

  constructor(
    private readonly database: Database,
    private readonly maxBatch: number,
    // A few writers at once keep the database busy while the next batch gathers; more would only
    // split the same load into smaller commits.
    private readonly maxConcurrent = Math.min(4, database.maxConcurrency),
  ) {}

  write(item: NewSubmission): Promise<StoredSubmission> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Resolves once everything queued so far has been written (used at shutdown). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0 || this.folding.size > 0) {
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /**
   * The insert triggers append each statement's additions to a form's count, tallies and map cells
   * as delta rows (migrations 0003_data_at_scale, 0006_submission_triggers_one_pass), so concurrent
   * batches never wait for each other; readers add the deltas since the last fold. Folding a form
   * about once a second per writer keeps those few. After the acknowledgements, never in their
   * way; a failed fold leaves the deltas for the next.
   */
  private foldSoon(formIds: Iterable<string>): void {
    const now = Date.now();
    for (const formId of formIds) {
      if (now - (this.lastFold.get(formId) ?? 0) < FOLD_INTERVAL_MS) continue;
      if (this.lastFold.size > 10_000) this.lastFold.clear();
      this.lastFold.set(formId, now);
      const fold = queryRows(this.database, sql`SELECT submission_rollup_fold(${formId})`).catch(() => {});
      this.folding.add(fold);
      void fold.finally(() => this.folding.delete(fold));
    }
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxConcurrent) {
      // With a write already in flight, a few waiting rows wait for it to finish and go in the
      // next batch; only a queue worth a statement of its own starts another write at once. Each
      // statement has a fixed cost (its triggers, its commit), so many small ones under load cost
      // more than they save; the wait is bounded by one statement.
      if (this.inFlight > 0 && this.queue.length < Math.min(GATHER_ROWS, this.maxBatch)) break;
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /**
   * Writes a batch. When the statement fails because of a value (not because the database is
   * unreachable), the batch is split and retried in halves, so one bad row fails only itself and
   * every innocent row in the same batch is still stored.
   */
  private async flush(batch: Pending[], attempt = 0): Promise<void> {
    try {
      await this.insert(batch);
    } catch (error) {
      // A serialization failure or deadlock is about timing, not values: the same batch again.
      // (The insert trigger raises one when an id of the batch was erased while it was written;
      // the retry then sees the tombstone and answers with the erased receipt.)
      const state = sqlState(error);
      if ((state === "40001" || state === "40P01") && attempt < 3) {
        await this.flush(batch, attempt + 1);
        return;
      }
      if (batch.length > 1 && state !== null && !isConnectionError(error)) {
        const middle = Math.ceil(batch.length / 2);
        await this.flush(batch.slice(0, middle));
        await this.flush(batch.slice(middle));
        return;
      }
      const reason = batch.length === 1 && isDataError(error) ? unstorable() : error;
      for (const pending of batch) pending.reject(reason);
    }
  }

  private async insert(batch: Pending[]): Promise<void> {
    const items = batch.map((p) => p.item);
    const { text, params } = render(insertBatch(items));
    const inserted = await this.database.query<{ id: string; received_at: Date }>(
      text,
      params,
      INSERT_BATCH_NAME,
    );
    const fresh = new Map(inserted.map((r) => [r.id, new Date(r.received_at)]));
    const missing = items.filter((i) => !fresh.has(i.id)).map((i) => i.id);
    const existing = missing.length > 0 ? await findStored(this.database, missing) : new Map();
    for (const pending of batch) {
      const { id, formId } = pending.item;
      const receivedAt = fresh.get(id);
      if (receivedAt) {
        // A duplicate id inside the same batch: the first one created the row, the rest are retries.
        fresh.delete(id);
        existing.set(id, { id, formId, receivedAt, created: false, erased: false });
        pending.resolve({ id, formId, receivedAt, created: true, erased: false });
        continue;
      }
      const found = existing.get(id);
      if (found) pending.resolve(found);
      else pending.reject(new Error(`submission ${id} was neither inserted nor found`));
    }
    if (inserted.length > 0) this.foldSoon(new Set(items.map((i) => i.formId)));
  }
}
