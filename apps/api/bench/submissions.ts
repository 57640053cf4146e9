/**
 * `npm run bench:submissions`: throughput and latency of the submission path on real PostgreSQL,
 * next to a naive Express + pg endpoint measured in the same run.
 *
 * Builds the API, starts it as its own process on a fresh database, creates and publishes a form,
 * warms it up, then fires valid submissions with wrk (a C load generator, so it takes little of the
 * CPU the API needs; `apt-get install wrk`) for a fixed time, and checks that every id answered 2xx
 * is a row in the database and that the form's count and map cells equal a recount of the rows.
 * Then the same load against bench/peer-express.mjs (one INSERT per request) on its own fresh
 * database. Prints accepted/s, p50/p99 latency, non-2xx and lost counts,
 * and the CPU each part used per accepted submission (API processes, PostgreSQL backends, wrk):
 * on a machine shared with other work, wall-clock rates move a lot between runs, CPU per
 * submission much less, and 2 cores divided by it is the rate this machine could reach alone.
 *
 * Environment: BENCH_DATABASE_URL (default: DATABASE_URL or the local server), BENCH_DURATION
 * seconds (20), BENCH_WARMUP seconds (3), BENCH_CONNECTIONS (64), BENCH_THREADS (1),
 * BENCH_LOG_LEVEL (warn), BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"; read the
 * profile with `tsx bench/profile-top.ts /tmp/prof --last 20`), BENCH_API_WORKERS (API processes,
 * default 1), BENCH_REDIS_URL (rate limits in Redis, as with several replicas; default: in
 * process), BENCH_PEER (1; 0 skips the Express peer), BENCH_FORMS (1; forms the load is spread
 * over, round robin).
 */
import { type ChildProcess, execSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { TestClient } from "../test/support/client";
import { surveyAnswers, surveyDefinition } from "../test/support/fixtures";
import { MAP_CELLS_DIFFERING } from "../test/support/map-cells";
import { createDatabase } from "../test/support/postgres";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
const server =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const duration = Number(process.env.BENCH_DURATION ?? 20);
const warmup = Number(process.env.BENCH_WARMUP ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const threads = Number(process.env.BENCH_THREADS ?? 1);
const formCount = Number(process.env.BENCH_FORMS ?? 1);
const runPeer = process.env.BENCH_PEER !== "0";
const TARGET = { perSecond: 6000, p99: 50 };
if (!existsSync("/usr/bin/wrk")) {
  console.error("wrk is not installed: apt-get install -y wrk");
  process.exit(1);
}
const TICKS = 100; // USER_HZ: /proc times are in 1/100 s on Linux

/** CPU seconds (user + system) a process has used so far, or 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}
/** CPU seconds of the children this process has waited for (wrk, once it has exited). */
function reapedChildrenSeconds(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / TICKS;
}
/** A process and its descendants (the cluster primary's workers). */
function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i] as number) ?? []));
  return out;
}

async function waitFor(url: string, child: ChildProcess) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer`);
}

function runWrk(url: string, paths: string[], seconds: number, outPrefix: string): Promise<string> {
  const answers = surveyAnswers;
  return new Promise((resolve, reject) => {
    const wrk = spawn(
      "/usr/bin/wrk",
      [
        `-t${threads}`,
        `-c${connections}`,
        `-d${seconds}s`,
        "--timeout",
        "10s",
        "-s",
        join(apiDir, "bench/submit.lua"),
        url,
        "--",
        paths.join(","),
        JSON.stringify(answers),
        outPrefix,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    wrk.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    wrk.once("error", reject);
    wrk.once("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`wrk exited with ${code}`))));
  });
}

interface Measured {
  name: string;
  accepted: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  lost: number;
  rows: number;
  cpuMs: { server: number; postgres: number; wrk: number };
  /** Committed transactions in the database per accepted submission (batching shows as < 1). */
  commitsPerSubmission: number;
}

/**
 * Warm-up, then the measured run against `url`; every acknowledged id (warm-up included) must be
 * a row of `table`. `serverPid` is the process whose tree serves the requests.
 */
async function measure(
  name: string,
  url: string,
  paths: string[],
  databaseUrl: string,
  table: string,
  serverPid: number,
): Promise<Measured> {
  const outDir = mkdtempSync(join(tmpdir(), "coleta-bench-ids-"));
  if (warmup > 0) await runWrk(url, paths, warmup, join(outDir, "warmup"));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const database = new URL(databaseUrl).pathname.slice(1);
  const backends = async () =>
    (
      await client.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        [database],
      )
    ).rows.map((r) => r.pid);
  const servers = processTree(serverPid);
  const pgBefore = new Map((await backends()).map((pid) => [pid, cpuSeconds(pid)]));
  const serverBefore = servers.reduce((s, pid) => s + cpuSeconds(pid), 0);
  const wrkBefore = reapedChildrenSeconds();
  // Backends report their counters at least once a second: close enough over a run of many seconds.
  const commits = async () =>
    Number(
      (
        await client.query<{ n: string }>(
          "SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1",
          [database],
        )
      ).rows[0]?.n ?? 0,
    );
  const commitsBefore = await commits();

  console.log(`${name}: wrk, ${threads} thread(s), ${connections} connections, ${duration}s…`);
  const output = await runWrk(url, paths, duration, join(outDir, "run"));

  const serverCpu = servers.reduce((s, pid) => s + cpuSeconds(pid), 0) - serverBefore;
  let pgCpu = 0;
  for (const pid of await backends()) pgCpu += cpuSeconds(pid) - (pgBefore.get(pid) ?? 0);
  const wrkCpu = reapedChildrenSeconds() - wrkBefore;
  const committed = (await commits()) - commitsBefore;

  const lat = /LAT p50=([\d.]+) p99=([\d.]+) max=([\d.]+)/.exec(output);
  const sum = /SUM requests=(\d+) non2xx=(\d+) errors=(\d+) timeouts=(\d+)/.exec(output);
  const ids = (prefix: string) =>
    readdirSync(outDir)
      .filter((f) => f.startsWith(prefix))
      .flatMap((f) => readFileSync(join(outDir, f), "utf8").split("\n").filter(Boolean));
  const measured = ids("run");
  const acknowledged = [...measured, ...ids("warmup")];
  const found = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE id = ANY($1::uuid[])`,
    [acknowledged],
  );
  const total = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  await client.end();
  const perMs = (seconds: number) => (measured.length > 0 ? (1000 * seconds) / measured.length : 0);
  return {
    name,
    accepted: measured.length,
    perSecond: measured.length / duration,
    p50: Number(lat?.[1]),
    p99: Number(lat?.[2]),
    max: Number(lat?.[3]),
    non2xx: Number(sum?.[2] ?? 0),
    errors: Number(sum?.[3] ?? 0),
    timeouts: Number(sum?.[4] ?? 0),
    lost: acknowledged.length - (found.rows[0]?.n ?? 0),
    rows: total.rows[0]?.n ?? 0,
    cpuMs: { server: perMs(serverCpu), postgres: perMs(pgCpu), wrk: perMs(wrkCpu) },
    commitsPerSubmission: measured.length > 0 ? committed / measured.length : 0,
  };
}

function report(m: Measured) {
  const cpu = m.cpuMs.server + m.cpuMs.postgres + m.cpuMs.wrk;
  const cores = cpus().length;
  console.log(`\n${m.name}`);
  console.log(`  accepted submissions : ${m.accepted} in ${duration}s → ${m.perSecond.toFixed(0)}/s`);
  console.log(`  latency              : p50 ${m.p50} ms, p99 ${m.p99} ms, max ${m.max} ms`);
  console.log(`  non-2xx responses    : ${m.non2xx} (errors ${m.errors}, timeouts ${m.timeouts})`);
  console.log(`  rows in database     : ${m.rows}; acknowledged but missing: ${m.lost}`);
  console.log(`  commits per accepted : ${m.commitsPerSubmission.toFixed(3)}`);
  console.log(
    `  CPU per submission   : server ${m.cpuMs.server.toFixed(3)} ms, PostgreSQL ${m.cpuMs.postgres.toFixed(3)} ms, wrk ${m.cpuMs.wrk.toFixed(3)} ms → ${cores} cores / ${cpu.toFixed(3)} ms ≈ ${((cores * 1000) / cpu).toFixed(0)}/s on an idle machine`,
  );
}

const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
console.log("building the API…");
execSync("node scripts/build.mjs", { cwd: apiDir, stdio: "inherit" });
console.log(`load average before: ${loadAverage()}`);

const results: Measured[] = [];
{
  const database = await createDatabase(server);
  const port = 3900 + Math.floor(Math.random() * 90);
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
      ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}),
      DATA_DIR: mkdtempSync(join(tmpdir(), "coleta-bench-")),
      WEB_DIST_DIR: "/nonexistent",
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
      API_WORKERS: process.env.BENCH_API_WORKERS ?? "1",
      // Counted and checked on every request, like production; high enough never to refuse here.
      RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "10000000",
      RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_FORM: "10000000",
    },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/backend/health/ready`, child);
    const owner = new TestClient(url);
    await owner.signUp();
    const me = await owner.get("/me");
    const orgId = me.body.organizations[0].id;
    const paths: string[] = [];
    for (let i = 0; i < formCount; i++) {
      const created = await owner.post(`/orgs/${orgId}/forms`, {
        title: `Bench ${i}`,
        definition: surveyDefinition,
      });
      await owner.post(`/orgs/${orgId}/forms/${created.body.id}/publish`);
      paths.push(`/backend/public/forms/${created.body.slug}/submissions`);
    }
    const workers = process.env.BENCH_API_WORKERS ?? "1";
    const name = `Coleta (${workers} API process${workers === "1" ? "" : "es"}, rate limits in ${process.env.BENCH_REDIS_URL ? "Redis" : "process memory"}, ${formCount} form${formCount === 1 ? "" : "s"})`;
    results.push(await measure(name, url, paths, database.url, "submission", child.pid as number));
    // Exactness under this load: the stored counter plus the deltas not yet folded equals the rows.
    const check = new pg.Client({ connectionString: database.url });
    await check.connect();
    const drift = await check.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM form f
       WHERE f.submission_count + coalesce((SELECT sum(d.n) FROM submission_rollup_delta d
                                            WHERE d.form_id = f.id AND d.kind = 'count'), 0)
             <> (SELECT count(*) FROM submission s WHERE s.form_id = f.id)`,
    );
    // And the map's cells (folded plus deltas) equal a recount of the located rows.
    const cells = await check.query<{ n: number }>(MAP_CELLS_DIFFERING);
    await check.end();
    console.log(`forms whose submission_count differs from count(*): ${drift.rows[0]?.n}`);
    console.log(`map cells that differ from a recount of the rows: ${cells.rows[0]?.n}`);
    if ((drift.rows[0]?.n ?? 0) > 0 || (cells.rows[0]?.n ?? 0) > 0) process.exitCode = 1;
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    await database.drop();
  }
}

if (runPeer) {
  const database = await createDatabase(server);
  const port = 3900 + Math.floor(Math.random() * 90);
  const peer = spawn(process.execPath, [join(apiDir, "bench/peer-express.mjs")], {
    cwd: apiDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: { PATH: process.env.PATH, NODE_ENV: "production", PORT: String(port), DATABASE_URL: database.url },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/health`, peer);
    results.push(
      await measure(
        "Naive Express + pg peer (one INSERT per request)",
        url,
        ["/submissions"],
        database.url,
        "peer_submission",
        peer.pid as number,
      ),
    );
  } finally {
    peer.kill("SIGTERM");
    await new Promise((r) => peer.once("exit", r));
    await database.drop();
  }
}

for (const m of results) report(m);
console.log(`\nload average after: ${loadAverage()}`);
const coleta = results[0] as Measured;
const met = coleta.perSecond >= TARGET.perSecond && coleta.p99 < TARGET.p99 && coleta.lost === 0;
console.log(
  `target: ≥ ${TARGET.perSecond}/s, p99 < ${TARGET.p99} ms, 0 lost → ${met ? "met" : "NOT met"}${results[1] ? `; Coleta/peer throughput ${(coleta.perSecond / results[1].perSecond).toFixed(2)}×` : ""}`,
);
if (results.some((m) => m.lost > 0)) process.exitCode = 1;
