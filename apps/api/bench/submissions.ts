/**
 * `npm run bench:submissions`: throughput and latency of the submission path on real PostgreSQL.
 *
 * Builds the API, starts it as its own process on a fresh database, creates and publishes a form,
 * fires valid submissions with wrk (a C load generator, so it takes little of the CPU the API
 * needs; `apt-get install wrk`) for a fixed time, then checks that every id answered 2xx is a row
 * in the database. Prints accepted/s, p50/p99 latency, non-2xx and lost counts.
 *
 * Environment: BENCH_DATABASE_URL (default: DATABASE_URL or the local server), BENCH_DURATION
 * seconds (20), BENCH_CONNECTIONS (64), BENCH_THREADS (1), BENCH_LOG_LEVEL (warn), BENCH_NODE_ARGS,
 * BENCH_API_WORKERS (API processes, default 1).
 */
import { type ChildProcess, execFileSync, execSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { TestClient } from "../test/support/client";
import { surveyDefinition } from "../test/support/fixtures";
import { createDatabase } from "../test/support/postgres";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
const server =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const duration = Number(process.env.BENCH_DURATION ?? 20);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const threads = Number(process.env.BENCH_THREADS ?? 1);
if (!existsSync("/usr/bin/wrk")) {
  console.error("wrk is not installed: apt-get install -y wrk");
  process.exit(1);
}
const port = 3900 + Math.floor(Math.random() * 90);

async function waitForReady(url: string, child: ChildProcess) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/backend/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("API did not become ready");
}

const database = await createDatabase(server);
console.log("building the API…");
execSync("node scripts/build.mjs", { cwd: apiDir, stdio: "inherit" });
// BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the API during the run.
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
const child = spawn(process.execPath, [...nodeArgs, "dist/server.js"], {
  cwd: apiDir,
  stdio: ["ignore", "ignore", "inherit"],
  env: {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    AUTH_SECRET: randomUUID() + randomUUID(),
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: database.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), "coleta-bench-")),
    WEB_DIST_DIR: "/nonexistent",
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    API_WORKERS: process.env.BENCH_API_WORKERS ?? "1",
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "10000000",
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_FORM: "10000000",
  },
});
const url = `http://127.0.0.1:${port}`;
try {
  await waitForReady(url, child);
  const owner = new TestClient(url);
  await owner.signUp();
  const me = await owner.get("/me");
  const orgId = me.body.organizations[0].id;
  const created = await owner.post(`/orgs/${orgId}/forms`, { title: "Bench", definition: surveyDefinition });
  await owner.post(`/orgs/${orgId}/forms/${created.body.id}/publish`);
  const path = `/backend/public/forms/${created.body.slug}/submissions`;
  const answers = {
    name: "Maria",
    age: 42,
    fruit: "pear",
    has_pet: true,
    pet_name: "Bidu",
    where: { lat: -23.55, lon: -46.63, accuracy: 8 },
  };

  const outDir = mkdtempSync(join(tmpdir(), "coleta-bench-ids-"));
  console.log(`load: wrk, ${threads} thread(s), ${connections} connections, ${duration}s…`);
  const output = execFileSync(
    "/usr/bin/wrk",
    [
      `-t${threads}`,
      `-c${connections}`,
      `-d${duration}s`,
      "--timeout",
      "10s",
      "-s",
      join(apiDir, "bench/submit.lua"),
      url,
      "--",
      path,
      JSON.stringify(answers),
      join(outDir, "t"),
    ],
    { encoding: "utf8", maxBuffer: 16 * 2 ** 20 },
  );
  const lat = /LAT p50=([\d.]+) p99=([\d.]+) max=([\d.]+)/.exec(output);
  const sum = /SUM requests=(\d+) non2xx=(\d+) errors=(\d+) timeouts=(\d+)/.exec(output);
  const acknowledged = readdirSync(outDir).flatMap((f) =>
    readFileSync(join(outDir, f), "utf8").split("\n").filter(Boolean),
  );
  const non2xx = Number(sum?.[2] ?? 0);
  const result = {
    latency: { p50: Number(lat?.[1]), p99: Number(lat?.[2]), max: Number(lat?.[3]) },
    errors: Number(sum?.[3] ?? 0),
    timeouts: Number(sum?.[4] ?? 0),
  };

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const found = await client.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM submission WHERE id = ANY($1::uuid[])",
    [acknowledged],
  );
  const total = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM submission");
  await client.end();
  const lost = acknowledged.length - (found.rows[0]?.n ?? 0);

  const perSecond = acknowledged.length / duration;
  console.log("");
  console.log(`accepted submissions : ${acknowledged.length} in ${duration}s → ${perSecond.toFixed(0)}/s`);
  console.log(
    `latency              : p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
  );
  console.log(`non-2xx responses    : ${non2xx} (errors ${result.errors}, timeouts ${result.timeouts})`);
  console.log(`rows in database     : ${total.rows[0]?.n}; acknowledged but missing: ${lost}`);
  console.log(
    `target               : ≥ 5000/s, p99 < 100 ms, 0 lost → ${perSecond >= 5000 && result.latency.p99 < 100 && lost === 0 ? "met" : "NOT met"}`,
  );
  if (lost > 0) process.exitCode = 1;
} finally {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  await database.drop();
}
