/**
 * `npm run bench:embedded`: memory and disk of `npm start` on the embedded database (PGlite).
 *
 * Builds the API, starts it as `npm start` does (no DATABASE_URL: PGlite + PostGIS in a fresh
 * DATA_DIR), and reports the process's resident memory (RSS, and its peak) idle after start, with
 * one form and one submission, and after BENCH_SUBMISSIONS (20,000) more sent through the public
 * API; then stops it (the database is checkpointed) and reports the data folder's size on disk.
 *
 * Environment: BENCH_SUBMISSIONS (20000), BENCH_CONCURRENCY (16 requests in flight),
 * BENCH_NODE_ARGS (extra node flags for the API process).
 */
import { execSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TestClient } from "../test/support/client";
import { surveyDefinition } from "../test/support/fixtures";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
const total = Number(process.env.BENCH_SUBMISSIONS ?? 20_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const port = 3800 + Math.floor(Math.random() * 90);

/** Resident and peak resident memory of a process, in MiB (from /proc/<pid>/status). */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}
const mib = (m: { rss: number; peak: number }) =>
  `RSS ${m.rss.toFixed(0)} MiB (peak ${m.peak.toFixed(0)} MiB)`;
const sizeMiB = (dir: string) =>
  Number(execSync(`du -sk ${dir}`, { encoding: "utf8" }).split("\t")[0]) / 1024;

console.log("building the API…");
execSync("node scripts/build.mjs", { cwd: apiDir, stdio: "inherit" });
const dataDir = mkdtempSync(join(tmpdir(), "coleta-embedded-"));
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
const url = `http://127.0.0.1:${port}`;

/** Starts the API as `npm start` does on `dataDir` and waits until it is ready. */
async function start() {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, "dist/server.js"], {
    cwd: apiDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      WEB_DIST_DIR: "/nonexistent",
      LOG_LEVEL: "warn",
      RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "10000000",
      RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_FORM: "10000000",
    },
  });
  // The first start creates the database and runs the migrations: minutes on a busy machine.
  while (true) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
    if (performance.now() - started > 15 * 60_000) throw new Error("API did not become ready");
    const ok = await fetch(`${url}/backend/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return child;
}
async function stop(child: ReturnType<typeof spawn>) {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
}

let child = await start();
let pid = child.pid as number;
try {
  await new Promise((r) => setTimeout(r, 2_000));
  const idle = memory(pid);
  console.log(`first start, idle           : ${mib(idle)}`);

  const owner = new TestClient(url);
  await owner.signUp();
  const me = await owner.get("/me");
  const orgId = me.body.organizations[0].id;
  const created = await owner.post(`/orgs/${orgId}/forms`, {
    title: "Embedded",
    definition: surveyDefinition,
  });
  await owner.post(`/orgs/${orgId}/forms/${created.body.id}/publish`);
  const path = `${url}/backend/public/forms/${created.body.slug}/submissions`;
  const answers = {
    name: "Maria",
    age: 42,
    fruit: "pear",
    has_pet: false,
    where: { lat: -23.55, lon: -46.63 },
  };
  const submit = async () => {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: randomUUID(), answers }),
    });
    await response.arrayBuffer();
    if (response.status !== 201) throw new Error(`submission answered ${response.status}`);
  };
  await submit();
  await new Promise((r) => setTimeout(r, 1_000));
  const one = memory(pid);
  console.log(`one form, one submission    : ${mib(one)}`);

  const sendStarted = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < total) {
        sent++;
        await submit();
      }
    }),
  );
  const seconds = (performance.now() - sendStarted) / 1000;
  const summary = await owner.get(`/orgs/${orgId}/forms/${created.body.id}/summary`);
  const list = await owner.get(`/orgs/${orgId}/forms/${created.body.id}/submissions?limit=50`);
  const after = memory(pid);
  console.log(
    `after ${total} more submissions: ${mib(after)} (${(total / seconds).toFixed(0)}/s; summary ${summary.status}, list ${list.status})`,
  );
  const form = await owner.get(`/orgs/${orgId}/forms/${created.body.id}`);
  console.log(`submissionCount             : ${form.body.submissionCount} (expected ${total + 1})`);
  if (form.body.submissionCount !== total + 1) process.exitCode = 1;
  await stop(child);
  console.log(`data folder on disk         : ${sizeMiB(dataDir).toFixed(0)} MiB`);
  // What `npm start` holds on an existing database, before and after reading it.
  child = await start();
  pid = child.pid as number;
  await new Promise((r) => setTimeout(r, 2_000));
  console.log(`restarted, idle             : ${mib(memory(pid))}`);
  await owner.get(`/orgs/${orgId}/forms/${created.body.id}/summary`);
  await owner.get(`/orgs/${orgId}/forms/${created.body.id}/submissions?limit=50`);
  console.log(`restarted, after reads      : ${mib(memory(pid))}`);
} finally {
  if (child.exitCode === null) await stop(child);
}
console.log(`data folder on disk         : ${sizeMiB(dataDir).toFixed(0)} MiB (after the restart)`);
rmSync(dataDir, { recursive: true, force: true });
