import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UploadService } from "../src/uploads";
import { createUploadService } from "../src/uploads";
import type { TestClient } from "./support/client";
import { S3_CREDENTIALS, type S3Server, startS3Server } from "./support/s3";
import type { TestStack } from "./support/stack";
import { type FormSuite, startFormSuite } from "./support/suite";
import { filesDefinition, png, uploadFile } from "./support/uploads";

// The S3 path against a real S3-protocol server (s3rver, started here on a free port): presigned
// POST, HeadObject re-check, streamed GetObject, DeleteObject on erasure and sweep.

const BUCKET = "coleta-uploads-test";
let s3: S3Server;
let suite: FormSuite, stack: TestStack, owner: TestClient, orgId: string, formId: string, slug: string;
let respondent: TestClient;
let service: UploadService;

beforeAll(async () => {
  s3 = await startS3Server(BUCKET);
  // The SDK's default credential chain reads these, as it reads the task role in AWS.
  process.env.AWS_ACCESS_KEY_ID = S3_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3_CREDENTIALS.secretAccessKey;
  suite = await startFormSuite(filesDefinition, {
    env: {
      UPLOAD_STORAGE: "s3",
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: "true",
      UPLOAD_SWEEP_INTERVAL_MS: "0",
    },
  });
  ({ stack, owner, orgId, formId, slug } = suite);
  service = createUploadService(stack.services);
  respondent = suite.client();
}, 120_000);
afterAll(async () => {
  await suite?.stop();
  await s3?.stop();
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

const submit = (answers: Record<string, unknown>, id?: string) => respondent.submit(slug, answers, id);
const download = (submissionId: string, fieldId: string) =>
  owner.raw(`/orgs/${orgId}/forms/${formId}/submissions/${submissionId}/files/${fieldId}`);
const keyOf = async (uploadId: string) =>
  (await suite.query<{ storage_key: string }>("SELECT storage_key FROM upload WHERE id = $1", [uploadId]))[0]
    ?.storage_key as string;

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
