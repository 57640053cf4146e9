import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportLake } from "../src/lake/export";
import { STATE_KEY } from "../src/lake/layout";
import { type LakeTarget, s3Target } from "../src/lake/target";
import { type S3Server, startS3Server } from "./support/s3";
import { type FormSuite, startFormSuite } from "./support/suite";

// The lake's S3 target (what the scheduled task in AWS writes to) against a real S3-protocol
// server, with the lake below a prefix as in the exports bucket.
const BUCKET = "coleta-lake-test";
let s3: S3Server;
let target: LakeTarget;
let suite: FormSuite;

beforeAll(async () => {
  s3 = await startS3Server(BUCKET);
  // Checksums only where S3 requires them, as the lake's command-line entry (src/lake/cli.ts) does.
  const client = s3.client({
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  target = s3Target(client, BUCKET, "lake/");
  suite = await startFormSuite();
}, 120_000);
afterAll(async () => {
  await suite?.stop();
  await s3?.stop();
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
    const { formId } = suite;
    await suite.query(
      `INSERT INTO submission (id, form_id, form_version, answers)
       SELECT gen_random_uuid(), $1, 1, jsonb_build_object('name', 'P' || g) FROM generate_series(1, 40) AS g`,
      [formId],
    );
    const database = suite.stack.services.database;
    const first = await exportLake(database, target, { settleSeconds: 0 });
    expect(first).toMatchObject({ target: `s3://${BUCKET}/lake/`, rows: 40, filesWritten: 1 });
    const keys = await target.list();
    expect(keys).toHaveLength(2);
    expect(keys).toContain(STATE_KEY);
    expect(keys.find((key) => key !== STATE_KEY)).toMatch(
      new RegExp(`^form=${formId}/date=\\d{4}-\\d{2}-\\d{2}/part-\\d+-\\d+\\.parquet$`),
    );
    const again = await exportLake(database, target, { settleSeconds: 0 });
    expect(again).toMatchObject({ rows: 0, filesWritten: 0, filesDeleted: 0 });
    expect((await target.list()).sort()).toEqual(keys.sort());
  });
});
