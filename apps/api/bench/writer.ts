/**
 * `tsx bench/writer.ts`: what the database side of the submission path can take, without HTTP:
 * the group-commit writer (src/submissions/writer.ts) alone, fed as fast as it accepts, on a
 * fresh migrated database with one published form (the bench form: text, number, choice, yes/no,
 * geopoint). Prints rows/s and PostgreSQL CPU per row for each batch size and writer concurrency,
 * so the statement's cost (triggers, indexes, commits) can be told apart from the API's.
 *
 * Environment: BENCH_DATABASE_URL (default DATABASE_URL or the local server), BENCH_ROWS (20000
 * per case), BENCH_CASES ("1x1,64x1,64x4,200x1,200x4": batch x concurrent writers; a case of
 * batch 1 runs a tenth of the rows), BENCH_NO_TRIGGERS=1 (diagnosis: the same without the
 * counting triggers on `submission`, to see what they cost).
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/client";
import { runMigrations } from "../src/db/migrate";
import { storedCellsOf } from "../src/submissions/stored-cells";
import { SubmissionWriter } from "../src/submissions/writer";
import { surveyAnswers, surveyDefinition } from "../test/support/fixtures";
import { createDatabase } from "../test/support/postgres";

const server =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const rowsPerCase = Number(process.env.BENCH_ROWS ?? 20_000);
const cases = (process.env.BENCH_CASES ?? "1x1,64x1,64x4,200x1,200x4").split(",").map((c) => {
  const [batch, writers] = c.split("x").map(Number);
  return { batch: batch ?? 64, writers: writers ?? 1 };
});

function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const created = await createDatabase(server);
const database = await openDatabase(
  loadConfig({
    DATABASE_URL: created.url,
    AUTH_SECRET: "x".repeat(32),
    DATA_DIR: "/tmp",
    DATABASE_POOL_SIZE: "10",
  }).database,
);
try {
  await runMigrations(database);
  // One organization and one published form, straight in SQL (no users needed to write rows).
  const [org] = await database.query<{ id: string }>(
    "INSERT INTO organization (name, slug) VALUES ('Bench', 'bench') RETURNING id",
  );
  const [form] = await database.query<{ id: string }>(
    `INSERT INTO form (organization_id, title, slug, status, draft, published_version)
     VALUES ($1, 'Bench', 'bench-form', 'published', $2, 1) RETURNING id`,
    [org?.id, JSON.stringify(surveyDefinition)],
  );
  const formId = form?.id as string;
  await database.query("INSERT INTO form_version (form_id, version, definition) VALUES ($1, 1, $2)", [
    formId,
    JSON.stringify(surveyDefinition),
  ]);
  if (process.env.BENCH_NO_TRIGGERS === "1")
    await database.query("ALTER TABLE submission DISABLE TRIGGER USER");
  const answers = surveyAnswers;
  // The cells the submission route stores with the answers (stored-cells.ts).
  const csv = storedCellsOf(surveyDefinition, answers);
  const admin = new pg.Client({ connectionString: created.url });
  await admin.connect();
  const database_ = new URL(created.url).pathname.slice(1);
  const backendsCpu = async () => {
    const { rows: pids } = await admin.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [database_],
    );
    return new Map(pids.map((r) => [r.pid, cpuSeconds(r.pid)]));
  };
  console.log("batch x writers   rows/s   PostgreSQL CPU ms/row");
  let total = 0;
  for (const { batch, writers } of cases) {
    const rows = batch === 1 ? Math.ceil(rowsPerCase / 10) : rowsPerCase;
    total += rows;
    const writer = new SubmissionWriter(database, batch, writers);
    const before = await backendsCpu();
    const started = performance.now();
    // Fed in waves of batch x writers, like requests arriving while the previous batches commit.
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < rows; i++) {
      pending.push(
        writer.write({
          id: randomUUID(),
          formId,
          formVersion: 1,
          answers,
          point: { lat: -23.55, lon: -46.63 },
          csv,
        }),
      );
      if (pending.length >= batch * writers * 2) await Promise.all(pending.splice(0, batch * writers));
    }
    await Promise.all(pending);
    const seconds = (performance.now() - started) / 1000;
    let cpu = 0;
    for (const [pid, after] of await backendsCpu()) cpu += after - (before.get(pid) ?? 0);
    console.log(
      `${String(batch).padStart(5)} x ${writers}   ${(rows / seconds).toFixed(0).padStart(8)}   ${((1000 * cpu) / rows).toFixed(3)}`,
    );
  }
  const [check] = await database.query<{ ok: boolean }>(
    "SELECT (SELECT count(*) FROM submission) = $1::bigint AS ok",
    [total],
  );
  console.log(`all rows stored: ${check?.ok}`);
  await admin.end();
} finally {
  await database.close();
  await created.drop();
}
