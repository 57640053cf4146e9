import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error s3rver ships no types (docs/decisions/0005-s3-test-server.md).
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UploadService } from "../src/uploads";
import { createUploadService } from "../src/uploads";
import { TestClient } from "./support/client";
import { firstOrgId, publishedForm } from "./support/fixtures";
import { startApi, type TestDatabase, type TestStack, testDatabase } from "./support/stack";
import { filesDefinition, png, uploadFile } from "./support/uploads";

// The S3 path against a real S3-protocol server (s3rver, started here on a free port): presigned
// POST, HeadObject re-check, streamed GetObject, DeleteObject on erasure and sweep.

const BUCKET = "coleta-uploads-test";
let s3: { run(): Promise<AddressInfo>; close(): Promise<void> };
let s3Dir: string;
let database: TestDatabase;
let stack: TestStack;
let owner: TestClient;
let respondent: TestClient;
let orgId: string;
let formId: string;
let slug: string;
let service: UploadService;

beforeAll(async () => {
  s3Dir = mkdtempSync(join(tmpdir(), "coleta-s3rver-"));
  s3 = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: s3Dir,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await s3.run();
  // The SDK's default credential chain reads these, as it reads the task role in AWS.
  process.env.AWS_ACCESS_KEY_ID = "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
  database = await testDatabase();
  stack = await startApi(database, {
    UPLOAD_STORAGE: "s3",
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_FORCE_PATH_STYLE: "true",
    UPLOAD_SWEEP_INTERVAL_MS: "0",
  });
  service = createUploadService(stack.services);
  owner = new TestClient(stack.url);
  respondent = new TestClient(stack.url);
  await owner.signUp();
  orgId = await firstOrgId(owner);
  ({ formId, slug } = await publishedForm(owner, orgId, filesDefinition));
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await database?.drop();
  await s3?.close();
  rmSync(s3Dir, { recursive: true, force: true });
});

const reserve = (size: number, options: { type?: string; name?: string; id?: string } = {}) =>
  uploadFile(stack.url, slug, null, { ...options, headers: { "x-file-size": String(size) } });

/** What a browser does with the presigned POST: the fields, then the file last. */
async function postToBucket(
  upload: { url: string; fields: Record<string, string> },
  bytes: Uint8Array,
  type: string,
) {
  const form = new FormData();
  for (const [key, value] of Object.entries(upload.fields)) form.append(key, value);
  form.append("file", new Blob([bytes], { type }), "file");
  return fetch(upload.url, { method: "POST", body: form });
}

const submit = (answers: Record<string, unknown>, id: string = randomUUID()) =>
  respondent.post(`/public/forms/${slug}/submissions`, { id, answers });
const download = (submissionId: string, fieldId: string) =>
  fetch(`${stack.url}/backend/orgs/${orgId}/forms/${formId}/submissions/${submissionId}/files/${fieldId}`, {
    headers: { cookie: owner.cookieHeader },
  });
const keyOf = async (uploadId: string) =>
  (
    await stack.services.database.query<{ storage_key: string }>(
      "SELECT storage_key FROM upload WHERE id = $1",
      [uploadId],
    )
  )[0]?.storage_key as string;

describe("uploads in S3", () => {
  it("hands out a presigned POST pinned to the exact size and type, then serves the object", async () => {
    const bytes = png(2048, 3);
    const reserved = await reserve(bytes.length, { name: "frente.png" });
    expect(reserved.status).toBe(201);
    expect(reserved.body).toMatchObject({ name: "frente.png", size: bytes.length, type: "image/png" });
    const { url, fields } = reserved.body.upload;
    expect(url).toContain(BUCKET);
    const policy = JSON.parse(Buffer.from(fields.Policy, "base64").toString("utf8"));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ["content-length-range", bytes.length, bytes.length],
        ["eq", "$Content-Type", "image/png"],
      ]),
    );
    // Before the object exists the upload cannot be used.
    expect((await submit({ photos: [{ uploadId: reserved.body.id }] })).body.errors[0].code).toBe(
      "unknown_upload",
    );

    const put = await postToBucket(reserved.body.upload, bytes, "image/png");
    expect(put.status).toBeLessThan(300);
    // A retry of the reservation (same id, same file) answers 200 without a new object.
    const retry = await reserve(bytes.length, { name: "frente.png", id: reserved.body.id });
    expect(retry.status).toBe(200);

    const id = randomUUID();
    expect((await submit({ photos: [{ uploadId: reserved.body.id }] }, id)).status).toBe(201);
    const file = await download(id, "photos");
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
  });

  it("re-checks the object before accepting it: a different size than presigned is refused and deleted", async () => {
    const reserved = await reserve(100);
    // s3rver does not enforce POST policies, so this also shows the API's own check doing S3's job.
    expect((await postToBucket(reserved.body.upload, png(5000), "image/png")).status).toBeLessThan(300);
    const key = await keyOf(reserved.body.id);
    expect(await service.storage.head(key)).toMatchObject({ size: png(5000).length });
    const reply = await submit({ photos: [{ uploadId: reserved.body.id }] });
    expect(reply.status).toBe(422);
    expect(reply.body.errors[0]).toMatchObject({ path: "photos", code: "unknown_upload" });
    expect(await service.storage.head(key)).toBeNull();
  });

  it("refuses a reservation larger than the form allows before any byte is sent", async () => {
    const reply = await reserve(26 * 1024 * 1024, { type: "application/pdf", name: "big.pdf" });
    expect(reply.status).toBe(413);
    expect((await uploadFile(stack.url, slug, null, { name: "x.png" })).status).toBe(411);
  });

  it("also takes the file as the body (integrations), streaming it into the bucket", async () => {
    const bytes = png(4096, 9);
    const sent = await uploadFile(stack.url, slug, bytes, { name: "direto.png" });
    expect(sent.status).toBe(201);
    expect(sent.body.upload).toBeUndefined();
    const id = randomUUID();
    expect((await submit({ photos: [{ uploadId: sent.body.id }] }, id)).status).toBe(201);
    expect(new Uint8Array(await (await download(id, "photos")).arrayBuffer())).toEqual(bytes);
  });

  it("deletes the object when the submission is erased, and sweeps expired ones", async () => {
    const sent = await uploadFile(stack.url, slug, png(7), { name: "a.png" });
    const id = randomUUID();
    await submit({ photos: [{ uploadId: sent.body.id }] }, id);
    const key = await keyOf(sent.body.id);
    expect(await service.storage.head(key)).not.toBeNull();
    expect((await owner.delete(`/orgs/${orgId}/forms/${formId}/submissions/${id}`)).status).toBe(204);
    expect(await service.storage.head(key)).toBeNull();

    const stray = await uploadFile(stack.url, slug, png(8), { name: "b.png" });
    const strayKey = await keyOf(stray.body.id);
    await stack.services.database.query(
      "UPDATE upload SET expires_at = now() - interval '1 minute' WHERE id = $1",
      [stray.body.id],
    );
    expect(await service.sweep()).toBeGreaterThanOrEqual(1);
    expect(await service.storage.head(strayKey)).toBeNull();
  });
});
