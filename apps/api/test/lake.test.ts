import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { FormDefinition } from "@coleta/forms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportLake } from "../src/lake/export";
import { STATE_KEY } from "../src/lake/layout";
import { folderTarget } from "../src/lake/target";
import type { TestClient } from "./support/client";
import { duckdb, sqlText } from "./support/duckdb";
import { publishedForm } from "./support/fixtures";
import type { TestDatabase, TestStack } from "./support/stack";
import { type FormSuite, startFormSuite } from "./support/suite";
import { useTempDir } from "./support/temp-files";

const v1: FormDefinition = {
  schemaVersion: 1,
  title: "Lake survey",
  pages: [
    {
      id: "p1",
      fields: [
        { id: "name", type: "short_text", label: "Name" },
        { id: "age", type: "number", label: "Age", integer: true },
        { id: "where", type: "geopoint", label: "Where" },
      ],
    },
  ],
};
const v2: FormDefinition = {
  ...v1,
  pages: [
    { id: "p1", fields: [...(v1.pages[0]?.fields ?? []), { id: "score", type: "number", label: "Score" }] },
  ],
};

let suite: FormSuite, database: TestDatabase, stack: TestStack, owner: TestClient, orgId: string;
let formId: string, otherFormId: string;

const query = <T>(text: string, params?: unknown[]) => stack.services.database.query<T>(text, params);

/**
 * Inserts `count` rows for a form as `version`: received on `day` (UTC) one second apart, before
 * the lake's first run, or now, as the API stores them (`day` null).
 */
async function seed(form: string, day: string | null, count: number, version: number, extra = "'{}'::jsonb") {
  await query(
    `INSERT INTO submission (id, form_id, form_version, answers, received_at)
     SELECT gen_random_uuid(), $1, $4,
            jsonb_build_object('name', 'P' || g, 'age', g, 'where', jsonb_build_object('lat', g / 100.0, 'lon', -46.6)) || ${extra},
            COALESCE($2::timestamptz + g * interval '1 second' + interval '7 microseconds', now())
     FROM generate_series(1, $3::int) AS g`,
    [form, day && `${day}T00:00:00Z`, count, version],
  );
}

/** The lake as DuckDB reads it (hive partitions, files unioned by column name) next to the database. */
async function compare() {
  const duck = await duckdb();
  try {
    const glob = sqlText(join(lake.dir, "**", "*.parquet"));
    const rows = await duck.rows<Record<string, unknown>>(
      `SET TimeZone = 'UTC';
       SELECT form::VARCHAR AS form, date::VARCHAR AS date, submission_id, strftime(received_at, '%Y-%m-%dT%H:%M:%S.%f') AS received_at,
              form_version, name, age, where_lat, ST_AsText("where") AS point,
              ${(await hasColumn(duck, glob, "score")) ? "score" : "NULL AS score"}
       FROM read_parquet(${glob}, hive_partitioning = true, union_by_name = true)
       ORDER BY submission_id`,
    );
    const expected = await query<Record<string, unknown>>(
      `SELECT form_id::text AS form, to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, id::text AS submission_id,
              to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS received_at, form_version,
              answers->>'name' AS name, (answers->>'age')::text AS age, (answers->'where'->>'lat')::float8 AS where_lat,
              'POINT (-46.6 ' || (answers->'where'->>'lat')::float8 || ')' AS point,
              (answers->>'score')::float8 AS score
       FROM submission ORDER BY id::text COLLATE "C"`,
    );
    expect(rows.length).toBe(expected.length);
    expect(rows).toEqual(expected.map((r) => ({ ...r, age: r.age === null ? null : String(r.age) })));
    return rows;
  } finally {
    duck.close();
  }
}

async function hasColumn(duck: Awaited<ReturnType<typeof duckdb>>, glob: string, name: string) {
  const columns = await duck.rows<{ column_name: string }>(
    `DESCRIBE SELECT * FROM read_parquet(${glob}, hive_partitioning = true, union_by_name = true)`,
  );
  return columns.some((c) => c.column_name === name);
}

const parquetFiles = () =>
  readdirSync(lake.dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".parquet"))
    .sort();

const lake = useTempDir("coleta-lake-");

beforeAll(async () => {
  suite = await startFormSuite(v1);
  ({ database, stack, owner, orgId, formId } = suite);
  ({ formId: otherFormId } = await publishedForm(owner, orgId, v1));
}, 60_000);
afterAll(() => suite?.stop());

describe("lake export", () => {
  it("writes Hive-partitioned Parquet that matches the database, and a rerun adds nothing", async () => {
    await seed(formId, "2026-05-01", 300, 1);
    await seed(formId, null, 200, 1);
    await seed(otherFormId, "2026-05-02", 50, 1);
    const [today] = await query<{ date: string }>(
      "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date",
    );
    const first = await exportLake(stack.services.database, folderTarget(lake.dir), {
      settleSeconds: 0,
      pageRows: 128,
    });
    expect(first).toMatchObject({ rows: 550, filesWritten: 3, filesDeleted: 0 });
    expect(parquetFiles().map((f) => f.replace(/part-\d+-\d+/, "part"))).toEqual(
      [
        `form=${formId}/date=2026-05-01/part.parquet`,
        `form=${formId}/date=${today?.date}/part.parquet`,
        `form=${otherFormId}/date=2026-05-02/part.parquet`,
      ].sort(),
    );
    await compare();

    const files = parquetFiles();
    const again = await exportLake(stack.services.database, folderTarget(lake.dir), { settleSeconds: 0 });
    expect(again).toMatchObject({ rows: 0, filesWritten: 0, filesDeleted: 0, partitionsRewritten: 0 });
    expect(parquetFiles()).toEqual(files);
  });

  it("adds only new rows, carries erasures into the lake, and adds a new version's columns", async () => {
    // New rows (received now, as the API stores them) on a day already in the lake.
    await seed(formId, null, 10, 1, `jsonb_build_object('name', 'late')`);
    // Erase three rows of 2026-05-01 the way the API does (tombstones).
    const victims = await query<{ id: string }>(
      `SELECT id FROM submission WHERE form_id = $1 AND received_at < '2026-05-02' ORDER BY received_at LIMIT 3`,
      [formId],
    );
    for (const { id } of victims) {
      const reply = await owner.delete(`/orgs/${orgId}/forms/${formId}/submissions/${id}`);
      expect(reply.status).toBe(204);
    }
    // Version 2 adds a field.
    expect((await owner.put(`/orgs/${orgId}/forms/${formId}`, { draft: v2 })).status).toBe(200);
    expect((await owner.post(`/orgs/${orgId}/forms/${formId}/publish`)).status).toBe(200);
    await seed(formId, null, 20, 2, `jsonb_build_object('score', 9.5)`);

    const report = await exportLake(stack.services.database, folderTarget(lake.dir), { settleSeconds: 0 });
    // 2026-05-01 rewritten whole (297 rows; the file of the same range is replaced in place), and
    // one new file of today's 30 new rows next to today's first.
    expect(report).toMatchObject({
      rows: 297 + 30,
      filesWritten: 2,
      filesDeleted: 0,
      partitionsRewritten: 1,
    });
    const rows = await compare();
    const ids = new Set(rows.map((r) => r.submission_id));
    for (const { id } of victims) expect(ids.has(id)).toBe(false);
    expect(rows.filter((r) => r.score === 9.5)).toHaveLength(20);
    const [today] = await query<{ date: string }>(
      "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date",
    );
    expect(parquetFiles().filter((f) => f.includes(`form=${formId}/date=${today?.date}/`))).toHaveLength(2);
  });

  it("removes what a failed run left and the folders of deleted forms", async () => {
    const orphanDir = join(lake.dir, `form=${formId}`, "date=2026-05-01");
    await mkdir(orphanDir, { recursive: true });
    // A file past the watermark, as a run that died before committing would leave.
    const orphan = join(orphanDir, `part-0-${(BigInt(Date.now()) + 86_400_000n) * 1000n}.parquet`);
    writeFileSync(orphan, "not parquet");
    expect((await owner.delete(`/orgs/${orgId}/forms/${otherFormId}`)).status).toBe(204);
    const report = await exportLake(stack.services.database, folderTarget(lake.dir), { settleSeconds: 0 });
    expect(report).toMatchObject({ rows: 0, filesWritten: 0, filesDeleted: 2, formsRemoved: 1 });
    expect(parquetFiles().some((f) => f.includes(otherFormId))).toBe(false);
    await compare();
  });

  // The embedded database admits one process at a time (the API holds it here): Postgres only.
  const postgres = Boolean(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL);
  it.runIf(postgres)(
    "runs as `npm run lake:export -- --out <folder>` against the API's database",
    async () => {
      const out = mkdtempSync(join(tmpdir(), "coleta-lake-cli-"));
      try {
        await seed(formId, null, 5, 2);
        const { stdout } = await promisify(execFile)(
          "npx",
          ["tsx", "src/lake/cli.ts", "--out", out, "--settle-seconds", "0"],
          {
            cwd: join(import.meta.dirname, ".."),
            env: { ...process.env, ...database.env, LOG_LEVEL: "silent" },
          },
        );
        const report = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
        const [count] = await query<{ n: string }>("SELECT count(*) AS n FROM submission");
        expect(report).toMatchObject({ rows: Number(count?.n), filesDeleted: 0 });
        expect(readdirSync(join(out, "_coleta"))).toEqual([STATE_KEY.split("/")[1]]);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
