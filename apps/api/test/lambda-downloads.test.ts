import type { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLambdaHandler } from "../src/lambda/handler";
import { DOWNLOAD_PREFIX, type DownloadStore, s3DownloadStore } from "../src/lambda/large-downloads";
import { LambdaClient, lambdaTestEnv } from "./lambda-events";
import { surveyDefinition } from "./support/fixtures";
import { type S3Server, startS3Server } from "./support/s3";
import { TEST_SECRET, type TestDatabase, testDatabase } from "./support/stack";

// Large exports on Lambda: API Gateway takes at most 6 MB per response, so a download larger than
// the inline limit goes to S3 by multipart upload and the client is sent to a presigned URL. S3 is
// played by s3rver (an S3-compatible server in Node): the real SDK calls, signatures and URLs.

const usesPostgres = Boolean(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL);
const BUCKET = "coleta-test-exports";
const ROWS = 400;

let database: TestDatabase;
let s3server: S3Server;
let s3: S3Client;
let owner: LambdaClient;
let inline: LambdaClient;
let withoutBucket: LambdaClient;
let exportPath: string;
const partSizes: number[] = [];

/** The real S3 store, noting the size of each part it sends. */
function countingStore(store: DownloadStore): DownloadStore {
  return {
    presign: store.presign,
    async start(key, type, disposition) {
      const upload = await store.start(key, type, disposition);
      return {
        ...upload,
        part: (bytes) => {
          partSizes.push(bytes.byteLength);
          return upload.part(bytes);
        },
      };
    },
  };
}

describe.skipIf(!usesPostgres)("large downloads from the Lambda function", () => {
  beforeAll(async () => {
    s3server = await startS3Server(BUCKET);
    s3 = s3server.client();
    database = await testDatabase();
    const env = { ...lambdaTestEnv(database.env), AUTH_SECRET: TEST_SECRET };
    // Small limits, so a few hundred rows take the S3 path in several parts.
    const handler = createLambdaHandler(env, {
      downloadStore: countingStore(s3DownloadStore(BUCKET, s3)),
      inlineMaxBytes: 4096,
      partBytes: 8192,
    });
    owner = new LambdaClient(handler);
    // The same database through a function that answers everything inline (the reference bytes),
    // and one with no bucket configured.
    inline = new LambdaClient(
      createLambdaHandler(env, { downloadStore: null, inlineMaxBytes: 10 * 1024 * 1024 }),
    );
    withoutBucket = new LambdaClient(createLambdaHandler(env, { downloadStore: null, inlineMaxBytes: 4096 }));

    const email = "exports@example.com";
    await owner.post("/auth/sign-up/email", { email, name: "Owner", password: "correct-horse-battery" });
    const orgId = (await owner.get("/me")).body.organizations[0].id;
    const created = await owner.post(`/orgs/${orgId}/forms`, {
      title: "Survey",
      definition: surveyDefinition,
    });
    await owner.post(`/orgs/${orgId}/forms/${created.body.id}/publish`);
    for (const client of [inline, withoutBucket]) {
      await client.post("/auth/sign-in/email", { email, password: "correct-horse-battery" });
    }
    const sql = new (await import("pg")).default.Client({ connectionString: database.env.DATABASE_URL });
    await sql.connect();
    await sql.query(
      `INSERT INTO submission (id, form_id, form_version, answers)
       SELECT gen_random_uuid(), $1, 1, jsonb_build_object('name', 'Respondent ' || i, 'age', i % 100)
       FROM generate_series(1, $2) AS i`,
      [created.body.id, ROWS],
    );
    await sql.end();
    exportPath = `/orgs/${orgId}/forms/${created.body.id}/submissions/export?format=csv`;
  });
  afterAll(async () => {
    await s3server?.stop();
    await database?.drop();
  });

  it("answers a small download inline, with its length", async () => {
    const small = await owner.get(`${exportPath}&from=2999-01-01`);
    expect(small.status).toBe(200);
    expect(small.headers["content-type"]).toContain("text/csv");
    expect(small.headers["transfer-encoding"]).toBeUndefined();
    expect(Number(small.headers["content-length"])).toBe(Buffer.byteLength(small.text));
    expect(small.text.split("\r\n")[0]).toMatch(/^submission_id,received_at,form_version,name,/);
  });

  it("sends a large download to S3 and the client to a presigned URL with the same bytes", async () => {
    const reference = await inline.get(exportPath);
    expect(reference.status).toBe(200);
    expect(reference.text.trimEnd().split("\r\n")).toHaveLength(ROWS + 1);
    expect(Buffer.byteLength(reference.text)).toBeGreaterThan(3 * 8192);

    const reply = await owner.get(exportPath);
    expect(reply.status).toBe(303);
    const location = reply.headers.location as string;
    expect(reply.body.download.url).toBe(location);
    expect(new URL(location).pathname).toContain(`/${BUCKET}/${DOWNLOAD_PREFIX}`);
    expect(new URL(location).searchParams.get("X-Amz-Expires")).toBe("900");
    const downloaded = await fetch(location);
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers.get("content-disposition")).toMatch(/^attachment; filename="submissions-/);
    expect(await downloaded.text()).toBe(reference.text);
    // Uploaded in parts of partBytes (the last one smaller), so memory stays flat however large.
    expect(partSizes.length).toBeGreaterThanOrEqual(3);
    expect(partSizes.slice(0, -1).every((size) => size === 8192)).toBe(true);
    expect(partSizes.reduce((a, b) => a + b, 0)).toBe(Buffer.byteLength(reference.text));
  });

  it("refuses a large download with 503 when no bucket is configured, rather than cut it short", async () => {
    const reply = await withoutBucket.get(exportPath);
    expect(reply.status).toBe(503);
    expect(reply.body).toMatchObject({ status: 503, code: "export_failed" });
  });
});
