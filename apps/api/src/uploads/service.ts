import { createHash, randomBytes, randomUUID } from "node:crypto";
import { type Readable, Transform, type TransformCallback } from "node:stream";
import {
  allFields,
  type FileField,
  type FileMeta,
  type FormDefinition,
  fileMatchesAccept,
  UPLOAD_ID_PATTERN,
  type UploadLookup,
} from "@coleta/forms";
import { list, queryRows, type SQL, sql } from "../db/sql";
import type { Database } from "../db/types";
import { AppError } from "../errors/app-error";
import type { DirectUpload, UploadStorage } from "./storage";

export interface UploadSettings {
  /** The largest file any field may accept (UPLOAD_MAX_BYTES). */
  maxBytes: number;
  /** How long an upload no submission refers to is kept (UPLOAD_TTL_HOURS). */
  ttlHours: number;
}

export interface UploadRow {
  id: string;
  form_id: string;
  submission_id: string | null;
  name: string;
  content_type: string;
  size: string | number;
  sha256: string | null;
  status: "pending" | "stored";
  storage_key: string;
  expires_at: Date;
}

/** An upload row's id and where its bytes are, for deleting both. */
type StoredObject = Pick<UploadRow, "id" | "storage_key">;

export interface UploadView {
  id: string;
  name: string;
  size: number;
  type: string;
  expiresAt: string;
  /** Present in S3 mode when the file still has to be sent straight to the bucket. */
  upload?: DirectUpload;
}

export interface IncomingUpload {
  uploadId: string | null;
  name: string;
  contentType: string;
  /** Content-Length (or X-File-Size for a direct upload), when the client gave one. */
  declaredSize: number | null;
}

/** What a form accepts at upload time: the loosest of its file fields (each field is checked at submission). */
export function formUploadRules(definition: FormDefinition, maxBytes: number) {
  const fields = allFields(definition).filter((f): f is FileField => f.type === "file");
  const limit = Math.min(maxBytes, Math.max(0, ...fields.map((f) => f.maxSizeBytes ?? maxBytes)));
  return {
    fields,
    maxBytes: limit,
    accepts: (name: string, type: string) =>
      fields.some((f) => !f.accept || f.accept.length === 0 || fileMatchesAccept(name, type, f.accept)),
  };
}

class TooLarge extends Error {}

/** Counts and hashes bytes on their way to storage, failing as soon as there are more than `max`. */
class Meter extends Transform {
  readonly hash = createHash("sha256");
  bytes = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.bytes += chunk.length;
    if (this.bytes > this.max) return done(new TooLarge());
    this.hash.update(chunk);
    done(null, chunk);
  }
}

export const tooLarge = (max: number) =>
  new AppError(413, "payload_too_large", `The file is larger than this form accepts (${max} bytes).`);

const toView = (row: UploadRow, upload?: DirectUpload): UploadView => ({
  id: row.id,
  name: row.name,
  size: Number(row.size),
  type: row.content_type,
  expiresAt: row.expires_at.toISOString(),
  ...(upload ? { upload } : {}),
});

/** Upload ids in a submission's file answers (well-formed ones only; the validator reports the rest). */
export function referencedUploadIds(definition: FormDefinition, answers: Record<string, unknown>): string[] {
  const ids: string[] = [];
  for (const field of allFields(definition)) {
    if (field.type !== "file") continue;
    const value = Object.hasOwn(answers, field.id) ? answers[field.id] : undefined;
    if (!Array.isArray(value)) continue;
    for (const item of value) {
      const id = (item as { uploadId?: unknown } | null)?.uploadId;
      if (typeof id === "string" && UPLOAD_ID_PATTERN.test(id)) ids.push(id.toLowerCase());
    }
  }
  return [...new Set(ids)];
}

/**
 * Uploads in the database and their bytes in storage: receiving them, checking the ones a
 * submission refers to, claiming them for it, serving them to owners and deleting them.
 */
export class UploadService {
  constructor(
    private readonly database: Database,
    readonly storage: UploadStorage,
    readonly settings: UploadSettings,
  ) {}

  private async find(id: string): Promise<UploadRow | null> {
    const [row] = await queryRows<UploadRow>(this.database, sql`SELECT * FROM upload WHERE id = ${id}`);
    return row ?? null;
  }

  /** When an upload no submission claims is deleted: UPLOAD_TTL_HOURS from now. */
  private expiresAt(): SQL {
    return sql`now() + make_interval(hours => ${this.settings.ttlHours})`;
  }

  private newKey(formId: string, id: string): string {
    return `${formId}/${id}-${randomBytes(8).toString("hex")}`;
  }

  /** A retry of the same id: the same answer if it is the same file for the same form, else 409. */
  private sameOrConflict(existing: UploadRow, formId: string, sha256: string | null): UploadRow {
    const same =
      existing.form_id === formId &&
      existing.status === "stored" &&
      sha256 !== null &&
      existing.sha256 === sha256;
    if (!same) {
      throw AppError.conflict("upload_id_conflict", "This upload id was already used for a different file.");
    }
    return existing;
  }

  /**
   * Stores a file the client sent in the request body. Idempotent on the upload id: the same bytes
   * again give the first answer (`created: false`), different bytes a 409.
   */
  async receive(
    formId: string,
    maxBytes: number,
    incoming: IncomingUpload,
    body: Readable,
  ): Promise<{ view: UploadView; created: boolean }> {
    if (incoming.declaredSize !== null && incoming.declaredSize > maxBytes) throw tooLarge(maxBytes);
    const id = incoming.uploadId ?? randomUUID();
    const earlier = incoming.uploadId ? await this.find(id) : null;
    if (earlier && (earlier.form_id !== formId || earlier.status !== "stored")) {
      this.sameOrConflict(earlier, formId, null);
    }
    if (this.storage.kind === "s3" && incoming.declaredSize === null) {
      throw new AppError(
        411,
        "length_required",
        "Send Content-Length with the file (or use X-File-Size for a direct upload).",
      );
    }
    const key = this.newKey(formId, id);
    const meter = new Meter(maxBytes);
    // A failing request (client gone mid-upload) must fail the write too, not leave it waiting.
    body.once("error", (error) => meter.destroy(error));
    body.pipe(meter);
    try {
      await this.storage.put(key, meter, incoming.contentType, incoming.declaredSize ?? undefined);
    } catch (error) {
      await this.storage.remove(key).catch(() => {});
      if (error instanceof TooLarge || meter.bytes > maxBytes) throw tooLarge(maxBytes);
      throw error;
    }
    const sha256 = meter.hash.digest("hex");
    if (incoming.declaredSize !== null && meter.bytes !== incoming.declaredSize) {
      await this.storage.remove(key);
      throw AppError.badRequest("The body ended before its declared length.");
    }
    const [row] = await queryRows<UploadRow>(
      this.database,
      sql`INSERT INTO upload (id, form_id, name, content_type, size, sha256, status, storage_key, expires_at)
          VALUES (${id}, ${formId}, ${incoming.name}, ${incoming.contentType}, ${meter.bytes}, ${sha256}, 'stored',
                  ${key}, ${this.expiresAt()})
          ON CONFLICT (id) DO NOTHING RETURNING *`,
    );
    if (row) return { view: toView(row), created: true };
    await this.storage.remove(key);
    const existing = await this.find(id);
    if (!existing) throw new Error(`upload ${id} vanished during a retry`);
    return { view: toView(this.sameOrConflict(existing, formId, sha256)), created: false };
  }

  /**
   * S3 mode without a body: records the upload as pending and hands out a presigned POST that only
   * takes exactly `size` bytes of this type. A retry of the same id and file gets a fresh one.
   */
  async reserveDirect(formId: string, incoming: IncomingUpload & { declaredSize: number }) {
    const presign = this.storage.presign?.bind(this.storage);
    if (!presign) throw new Error("direct uploads need S3 storage");
    const id = incoming.uploadId ?? randomUUID();
    const key = this.newKey(formId, id);
    const [row] = await queryRows<UploadRow>(
      this.database,
      sql`INSERT INTO upload (id, form_id, name, content_type, size, status, storage_key, expires_at)
          VALUES (${id}, ${formId}, ${incoming.name}, ${incoming.contentType}, ${incoming.declaredSize}, 'pending',
                  ${key}, ${this.expiresAt()})
          ON CONFLICT (id) DO NOTHING RETURNING *`,
    );
    if (row) {
      return { view: toView(row, await presign(key, row.content_type, Number(row.size))), created: true };
    }
    const existing = await this.find(id);
    const same =
      existing &&
      existing.form_id === formId &&
      existing.name === incoming.name &&
      existing.content_type === incoming.contentType &&
      Number(existing.size) === incoming.declaredSize;
    if (!existing || !same) {
      throw AppError.conflict("upload_id_conflict", "This upload id was already used for a different file.");
    }
    const upload =
      existing.status === "pending"
        ? await presign(existing.storage_key, existing.content_type, Number(existing.size))
        : undefined;
    return { view: toView(existing, upload), created: false };
  }

  /**
   * What the validator needs to know about the uploads a submission refers to. Direct uploads still
   * pending are checked in storage now: the object must exist with exactly the size and type that
   * were presigned, or it is deleted and the upload counts as missing.
   */
  async lookup(formId: string, submissionId: string, ids: string[]): Promise<UploadLookup> {
    const known = new Map<string, FileMeta | "in_use">();
    if (ids.length === 0) return (id) => known.get(id);
    const rows = await queryRows<UploadRow>(
      this.database,
      sql`SELECT * FROM upload WHERE id = ANY(${list(ids)}::uuid[]) AND form_id = ${formId} AND expires_at > now()`,
    );
    for (const row of rows) {
      if (row.submission_id !== null && row.submission_id !== submissionId) {
        known.set(row.id, "in_use");
        continue;
      }
      if (row.status === "pending" && !(await this.confirmDirect(row))) continue;
      known.set(row.id, { name: row.name, size: Number(row.size), type: row.content_type });
    }
    return (id) => known.get(id.toLowerCase());
  }

  private async confirmDirect(row: UploadRow): Promise<boolean> {
    const object = await this.storage.head(row.storage_key);
    if (!object) return false;
    if (object.size !== Number(row.size) || (object.contentType ?? "") !== row.content_type) {
      await this.storage.remove(row.storage_key);
      return false;
    }
    await queryRows(
      this.database,
      sql`UPDATE upload SET status = 'stored' WHERE id = ${row.id} AND status = 'pending'`,
    );
    return true;
  }

  /**
   * Claims the uploads for a submission before it is written, so two submissions can never share
   * one. False when one was taken (or expired) since the lookup.
   */
  async claim(formId: string, submissionId: string, ids: string[]): Promise<boolean> {
    if (ids.length === 0) return true;
    const rows = await queryRows(
      this.database,
      sql`UPDATE upload SET submission_id = ${submissionId}, claimed_at = now()
          WHERE id = ANY(${list(ids)}::uuid[]) AND form_id = ${formId} AND status = 'stored' AND expires_at > now()
            AND (submission_id IS NULL OR submission_id = ${submissionId})
          RETURNING id`,
    );
    return rows.length === ids.length;
  }

  /**
   * After the write: a new submission keeps its uploads for good (until it is erased); a retry of
   * an id stored earlier releases what it claimed, since the stored answers are the original ones.
   */
  async settle(submissionId: string, created: boolean): Promise<void> {
    const change = created ? sql`expires_at = 'infinity'` : sql`submission_id = NULL, claimed_at = NULL`;
    await queryRows(
      this.database,
      sql`UPDATE upload SET ${change} WHERE submission_id = ${submissionId} AND expires_at <> 'infinity'`,
    );
  }

  /** The upload behind a submission's file answer (field, index), if the submission still holds it. */
  async fileOf(formId: string, submissionId: string, fieldId: string, index: number): Promise<UploadRow> {
    const [answer] = await queryRows<{ item: { uploadId?: unknown } | null }>(
      this.database,
      sql`SELECT answers -> ${fieldId} -> ${index}::int AS item FROM submission
          WHERE form_id = ${formId} AND id = ${submissionId}`,
    );
    const uploadId = answer?.item?.uploadId;
    if (typeof uploadId !== "string" || !UPLOAD_ID_PATTERN.test(uploadId)) {
      throw AppError.notFound("This submission has no such file.");
    }
    const [row] = await queryRows<UploadRow>(
      this.database,
      sql`SELECT * FROM upload WHERE id = ${uploadId.toLowerCase()} AND form_id = ${formId}
            AND submission_id = ${submissionId}`,
    );
    if (!row) throw AppError.notFound("This file is no longer stored.");
    return row;
  }

  /** Deletes the bytes and rows of an erased submission's uploads now (the sweep would, later). */
  async eraseSubmission(submissionId: string): Promise<void> {
    const rows = await queryRows<StoredObject>(
      this.database,
      sql`SELECT id, storage_key FROM upload WHERE submission_id = ${submissionId} AND expires_at <= now()`,
    );
    await this.removeRows(rows);
  }

  /**
   * Deletes expired uploads: never claimed within UPLOAD_TTL_HOURS, or left behind by an erased
   * submission or a deleted form. Bytes first, then rows, so a crash leaves a row to retry, never
   * an object nobody knows about. Returns how many it deleted.
   */
  async sweep(batch = 500): Promise<number> {
    // A submission written whose settle step was lost (crash) keeps its files.
    await queryRows(
      this.database,
      sql`UPDATE upload u SET expires_at = 'infinity'
          WHERE u.expires_at < now() AND u.submission_id IS NOT NULL
            AND EXISTS (SELECT 1 FROM submission s WHERE s.id = u.submission_id AND s.form_id = u.form_id)`,
    );
    let total = 0;
    for (;;) {
      const rows = await queryRows<StoredObject>(
        this.database,
        sql`SELECT id, storage_key FROM upload WHERE expires_at < now() ORDER BY expires_at LIMIT ${batch}`,
      );
      if (rows.length === 0) return total;
      await this.removeRows(rows);
      total += rows.length;
      if (rows.length < batch) return total;
    }
  }

  private async removeRows(rows: StoredObject[]): Promise<void> {
    if (rows.length === 0) return;
    for (const row of rows) await this.storage.remove(row.storage_key);
    await queryRows(
      this.database,
      sql`DELETE FROM upload WHERE id = ANY(${list(rows.map((r) => r.id))}::uuid[]) AND expires_at <= now()`,
    );
  }
}
