import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
// @ts-expect-error s3rver ships no types (docs/decisions/0005-s3-test-server.md).
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportLake } from "../src/lake/export";
import { STATE_KEY } from "../src/lake/layout";
import { type LakeTarget, s3Target } from "../src/lake/target";
import { TestClient } from "./support/client";
import { firstOrgId, publishedForm } from "./support/fixtures";
import { startApi, type TestDatabase, type TestStack, testDatabase } from "./support/stack";

// The lake's S3 target (what the scheduled task in AWS writes to) against a real S3-protocol
// server, with the lake below a prefix as in the exports bucket.
const BUCKET = "coleta-lake-test";
let s3: { run(): Promise<{ port: number }>; close(): Promise<void> };
let s3Dir: string;
let target: LakeTarget;
let database: TestDatabase;
let stack: TestStack;

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
  const client = new S3Client({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  target = s3Target(client, BUCKET, "lake/");
  database = await testDatabase();
  stack = await startApi(database);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await database?.drop();
  await s3?.close();
  if (s3Dir) rmSync(s3Dir, { recursive: true, force: true });
});

describe("lake on S3", () => {
  it("puts, lists below its prefix, reads and deletes objects", async () => {
    expect(await target.get("missing.json")).toBeNull();
    await target.put("a/b.txt", [new TextEncoder().encode("hello "), new TextEncoder().encode("lake")]);
    expect(await target.get("a/b.txt")).toBe("hello lake");
    expect(await target.list()).toEqual(["a/b.txt"]);
    await target.delete(["a/b.txt"]);
    expect(await target.list()).toEqual([]);
  });

  it("exports incrementally to the bucket, and a rerun adds nothing", async () => {
    const owner = new TestClient(stack.url);
    await owner.signUp();
    const orgId = await firstOrgId(owner);
    const { formId } = await publishedForm(owner, orgId);
    await stack.services.database.query(
      `INSERT INTO submission (id, form_id, form_version, answers)
       SELECT gen_random_uuid(), $1, 1, jsonb_build_object('name', 'P' || g) FROM generate_series(1, 40) AS g`,
      [formId],
    );
    const first = await exportLake(stack.services.database, target, { settleSeconds: 0 });
    expect(first).toMatchObject({ target: `s3://${BUCKET}/lake/`, rows: 40, filesWritten: 1 });
    const keys = await target.list();
    expect(keys).toHaveLength(2);
    expect(keys).toContain(STATE_KEY);
    expect(keys.find((key) => key !== STATE_KEY)).toMatch(
      new RegExp(`^form=${formId}/date=\\d{4}-\\d{2}-\\d{2}/part-\\d+-\\d+\\.parquet$`),
    );
    const again = await exportLake(stack.services.database, target, { settleSeconds: 0 });
    expect(again).toMatchObject({ rows: 0, filesWritten: 0, filesDeleted: 0 });
    expect((await target.list()).sort()).toEqual(keys.sort());
  });
});
