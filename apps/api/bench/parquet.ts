/**
 * `npm run bench:parquet`: export rate of Parquet next to CSV (and NDJSON) for the same rows.
 *
 * Starts the API in this process on a fresh PostgreSQL database, publishes the Parquet test's form
 * with typed fields (text, numbers, integer, rating, date, time, yes/no, multiple choice, geopoint),
 * seeds BENCH_ROWS of the test's rows (100 000; one in ten sparse, one in ten wrong-typed) in one
 * statement, then streams each export BENCH_ROUNDS times (2), alternating formats,
 * through the same code the export endpoint runs, and prints rows/s, output size, and the CPU
 * seconds this process used per 100k rows (on a shared machine wall-clock rates move a lot between
 * runs; CPU per row much less). PostgreSQL's own time is not included in the CPU figure.
 *
 * Environment: BENCH_DATABASE_URL (default: DATABASE_URL or the local server), BENCH_ROWS, BENCH_ROUNDS.
 */
import { startColeta } from "../src/start";
import { openExport } from "../src/submissions/export";
import { openParquetExport } from "../src/submissions/parquet-export";
import { TestClient } from "../test/support/client";
import { firstOrgId, publishedForm } from "../test/support/fixtures";
import { createDatabase } from "../test/support/postgres";
import { typedDefinition as definition, seedTypedSubmissions } from "../test/support/typed";

const server =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const created = await createDatabase(server);
const running = await startColeta({
  NODE_ENV: "test",
  HOST: "127.0.0.1",
  PORT: "0",
  LOG_LEVEL: "warn",
  AUTH_SECRET: "bench-secret-for-coleta-at-least-32-chars",
  DATABASE_URL: created.url,
  WEB_DIST_DIR: "/nonexistent-web-dist",
});
try {
  const owner = new TestClient(running.url);
  await owner.signUp();
  const orgId = await firstOrgId(owner);
  const { formId } = await publishedForm(owner, orgId, definition);
  const database = running.services.database;
  await seedTypedSubmissions((text, params) => database.query(text, params), formId, ROWS);
  await database.query("VACUUM ANALYZE submission");

  const results: Record<string, { seconds: number; cpu: number; bytes: number }[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const format of ["csv", "ndjson", "parquet"] as const) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const stream =
        format === "parquet"
          ? await openParquetExport({ database, formId, definition, filters: { equals: {} } })
          : await openExport({ database, formId, definition, filters: { equals: {} } }, format);
      let bytes = 0;
      for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
      const cpu = process.cpuUsage(cpuBefore);
      results[format] ??= [];
      results[format].push({
        seconds: (performance.now() - started) / 1000,
        cpu: (cpu.user + cpu.system) / 1e6,
        bytes,
      });
    }
  }
  console.log(`${ROWS.toLocaleString("en")} rows, ${ROUNDS} rounds (best round shown)`);
  console.log("format   rows/s    MB     API CPU s per 100k rows");
  for (const [format, runs] of Object.entries(results)) {
    const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const cpu = Math.min(...runs.map((r) => r.cpu));
    console.log(
      `${format.padEnd(8)} ${String(Math.round(ROWS / best.seconds)).padStart(7)}  ${(best.bytes / 1e6).toFixed(1).padStart(5)}  ${((cpu * 100_000) / ROWS).toFixed(2).padStart(8)}`,
    );
  }
} finally {
  await running.close();
  await created.drop();
}
