/**
 * `npm run bench:scale`: the read side at scale, on real PostgreSQL.
 *
 * Creates a database, starts the API as its own process (built with the production bundler
 * settings into a scratch folder), creates a 20-field form, loads BENCH_ROWS submissions straight
 * into PostgreSQL in the shape the writer stores (INSERT … SELECT generate_series, answers jsonb,
 * first geopoint in `location`), sends BENCH_API_ROWS more through the public API, VACUUM ANALYZE,
 * then times each read next to the best SQL for the same rows, measured in the same run, alternating
 * API and SQL so both see the same machine load:
 *
 *   list first page · deep cursor page · filters (date, choice, number, text, contains, near) · forms list ·
 *   GET form · summary · export first page · full CSV and NDJSON export (rows/s) next to
 *   `psql \copy` of the same rows · peak RSS of the API process.
 *
 * Environment: BENCH_ROWS (1000000), BENCH_API_ROWS (2000), BENCH_ITERATIONS (15), BENCH_EXPORT_RUNS (3),
 * BENCH_DATABASE_URL (default: DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_KEEP=1 keeps the database and prints its name, BENCH_REUSE=<database> reuses one kept
 * earlier (no load), BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { csvColumns } from "@coleta/forms";
import { build } from "esbuild";
import pg from "pg";
import { render } from "../src/db/sql";
import { parseFilters } from "../src/submissions/filters";
import { encodeCursor, pageQuery, type Read } from "../src/submissions/service";
import { TestClient } from "../test/support/client";
import { createDatabase, databaseUrl } from "../test/support/postgres";
import { scaleDefinition, seedPoint, seedSubmissions } from "../test/support/scale";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
const server =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const API_ROWS = Number(process.env.BENCH_API_ROWS ?? 2_000);
const ITERATIONS = Math.max(3, Number(process.env.BENCH_ITERATIONS ?? 15));
const EXPORT_RUNS = Math.max(1, Number(process.env.BENCH_EXPORT_RUNS ?? 3));
const reuse = process.env.BENCH_REUSE;
// BENCH_ONLY=export,summary runs only the operations whose name contains one of these words.
const only = (process.env.BENCH_ONLY ?? "").split(",").filter(Boolean);
const selected = (operation: string) => only.length === 0 || only.some((word) => operation.includes(word));
const keep = process.env.BENCH_KEEP === "1" || reuse !== undefined;
const EMAIL = "bench@example.org";
const PASSWORD = "bench-password-123";

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(", ");
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? Number.NaN;
const p50 = (xs: number[]) => quantile(xs, 0.5);
const elapsed = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

/** The API bundled like scripts/build.mjs does, but into a scratch folder (dist/ is left alone). */
async function buildApi(): Promise<string> {
  const out = mkdtempSync(join(apiDir, "bench/.build-"));
  const pkg = JSON.parse(readFileSync(join(apiDir, "package.json"), "utf8"));
  const external = Object.keys(pkg.dependencies).filter((name: string) => !name.startsWith("@coleta/"));
  await build({
    entryPoints: { server: join(apiDir, "src/server.ts") },
    outdir: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: [...external, ...external.map((name: string) => `${name}/*`)],
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: "warning",
  });
  return out;
}

async function waitForReady(url: string, child: ChildProcess) {
  for (let i = 0; i < 600; i++) {
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

/** Peak and current resident memory of a process, from /proc (Linux). */
function memory(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { peak: kb("VmHWM"), now: kb("VmRSS") };
}

/** Answers the form accepts, for the rows sent through the API. */
function apiAnswers(i: number): Record<string, unknown> {
  const point = seedPoint(i);
  return {
    name: `API person ${i}`,
    email: `api${i}@example.org`,
    city: `City ${i % 200}`,
    age: i % 100,
    household: 1 + (i % 7),
    income: 1234.5,
    rating: 1 + (i % 5),
    fruit: ["apple", "pear", "banana", "mango", "grape"][i % 5],
    colour: "teal",
    status: "accepted",
    has_pet: i % 2 === 0,
    consent: true,
    tags: ["music", "books"],
    visited: "2025-06-01",
    at: "09:30",
    notes: "Sent through the public API",
    where: { ...point, accuracy: 10 },
  };
}

const rows: string[][] = [];
function report(operation: string, api: string, baseline: string, note = "") {
  rows.push([operation, api, baseline, note]);
  console.log(`  ${operation.padEnd(44)} ${api.padStart(16)}   ${baseline.padStart(16)}   ${note}`);
}

const created = reuse ? null : await createDatabase(server);
const url = created?.url ?? databaseUrl(server, reuse as string);
const name = new URL(url).pathname.slice(1);
console.log(`database ${name} (${reuse ? "reused" : "new"}); load average at start: ${load()}`);
console.log("building the API…");
const buildDir = await buildApi();
const port = 3990 + Math.floor(Math.random() * 9);
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
const child = spawn(process.execPath, [...nodeArgs, join(buildDir, "server.js")], {
  cwd: apiDir,
  stdio: ["ignore", "ignore", "inherit"],
  env: {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    AUTH_SECRET: "bench-secret-bench-secret-bench-secret",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: url,
    DATA_DIR: mkdtempSync(join(tmpdir(), "coleta-bench-")),
    WEB_DIST_DIR: "/nonexistent",
    LOG_LEVEL: "warn",
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "10000000",
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_FORM: "10000000",
    EXPORT_MAX_CONCURRENT_PER_ORG: "2",
  },
});
const base = `http://127.0.0.1:${port}`;
const sql = new pg.Client({ connectionString: url });
try {
  await waitForReady(base, child);
  await sql.connect();
  const owner = new TestClient(base);
  let orgId: string;
  let formId: string;
  if (reuse) {
    await owner.signIn(EMAIL, PASSWORD);
    orgId = (await owner.get("/me")).body.organizations[0].id;
    const forms = await owner.get(`/orgs/${orgId}/forms`);
    formId = forms.body.items.find((f: { title: string }) => f.title === scaleDefinition.title).id;
  } else {
    await owner.signUp(EMAIL, "Bench", PASSWORD);
    orgId = (await owner.get("/me")).body.organizations[0].id;
    const form = await owner.post(`/orgs/${orgId}/forms`, {
      title: scaleDefinition.title,
      definition: scaleDefinition,
    });
    formId = form.body.id;
    await owner.post(`/orgs/${orgId}/forms/${formId}/publish`);
    // A few more forms in the workspace, so the forms list has something besides the big one.
    for (let i = 0; i < 5; i++) {
      const other = await owner.post(`/orgs/${orgId}/forms`, {
        title: `Small ${i}`,
        definition: scaleDefinition,
      });
      await sql.query(
        "INSERT INTO submission (id, form_id, form_version, answers) SELECT gen_random_uuid(), $1, 1, '{}' FROM generate_series(1, 100)",
        [other.body.id],
      );
    }
    console.log(`loading ${ROWS.toLocaleString("en")} submissions straight into PostgreSQL…`);
    const started = Date.now();
    await seedSubmissions((text, params) => sql.query(text, params).then((r) => r.rows), formId, ROWS, {
      onChunk: (done) =>
        process.stdout.write(
          `\r  ${done.toLocaleString("en")} rows, ${((Date.now() - started) / 1000).toFixed(0)} s`,
        ),
    });
    console.log("");
    const slug = (await owner.get(`/orgs/${orgId}/forms/${formId}`)).body.slug;
    console.log(`sending ${API_ROWS.toLocaleString("en")} through the public API…`);
    const respondent = new TestClient(base);
    let next = 0;
    let refused = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < API_ROWS) {
          const i = next++;
          const reply = await respondent.post(`/public/forms/${slug}/submissions`, {
            id: randomUUID(),
            answers: apiAnswers(i),
          });
          if (reply.status !== 201) refused++;
        }
      }),
    );
    if (refused > 0) throw new Error(`${refused} API submissions were refused`);
    console.log("VACUUM ANALYZE…");
    await sql.query("VACUUM ANALYZE submission");
  }
  const [{ total } = { total: 0 }] = (
    await sql.query<{ total: number }>("SELECT count(*)::int AS total FROM submission WHERE form_id = $1", [
      formId,
    ])
  ).rows;
  console.log(`form ${formId}: ${total.toLocaleString("en")} submissions; load average: ${load()}\n`);

  const cookie = owner.cookieHeader;
  const api = async (path: string) => {
    const reply = await fetch(`${base}/backend${path}`, { headers: { cookie } });
    const text = await reply.text();
    if (reply.status !== 200) throw new Error(`${path} → ${reply.status} ${text.slice(0, 200)}`);
    return text;
  };
  const listPath = `/orgs/${orgId}/forms/${formId}/submissions`;
  // The best SQL for a page is the API's statement, run the way the API runs it (a radius filter
  // without parallel workers).
  const query = async (read: Read) => {
    const q = render(read.statement);
    if (!read.serial) return sql.query(q.text, q.params);
    await sql.query("BEGIN");
    try {
      await sql.query("SET LOCAL max_parallel_workers_per_gather = 0");
      return await sql.query(q.text, q.params);
    } finally {
      await sql.query("COMMIT");
    }
  };

  /** p50 of the API call and of its SQL baseline, interleaved. */
  async function compare(
    operation: string,
    call: () => Promise<unknown>,
    baseline: () => Promise<unknown>,
    note = "",
    iterations = ITERATIONS,
  ) {
    if (!selected(operation)) return;
    await call();
    await baseline();
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < iterations; i++) {
      a.push(await elapsed(call));
      b.push(await elapsed(baseline));
    }
    report(operation, `${ms(p50(a))} ms`, `${ms(p50(b))} ms`, note);
    return { api: p50(a), sql: p50(b) };
  }

  console.log(
    `  ${`operation (p50 of ${ITERATIONS})`.padEnd(44)} ${"API".padStart(16)}   ${"SQL baseline".padStart(16)}`,
  );
  const none = { equals: {} };
  await compare(
    "list, first page (50)",
    () => api(`${listPath}?limit=50`),
    () => query(pageQuery(formId, none, { limit: 51 })),
  );
  const [deepRow] = (
    await sql.query<{ micros: string; seq: string }>(
      `SELECT (extract(epoch FROM received_at) * 1000000)::bigint AS micros, seq FROM submission
       WHERE form_id = $1 ORDER BY received_at DESC, seq DESC OFFSET $2 LIMIT 1`,
      [formId, Math.floor(total * 0.9)],
    )
  ).rows;
  if (!deepRow) throw new Error("no deep row");
  const deepKey = { micros: String(deepRow.micros), seq: String(deepRow.seq) };
  await compare(
    "list, deep cursor page (90% down)",
    () => api(`${listPath}?limit=50&cursor=${encodeCursor(deepKey)}`),
    () => query(pageQuery(formId, none, { limit: 51, after: deepKey })),
  );
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const point = seedPoint(777);
  const filters: [string, string, Record<string, string[]>][] = [
    ["filter from/to, oldest month", `from=${day(366)}&to=${day(335)}`, { from: [day(366)], to: [day(335)] }],
    ["filter choice = value (20%)", "field.fruit=pear", { "field.fruit": ["pear"] }],
    ["filter choice = rare value (0.1%)", "field.status=rejected", { "field.status": ["rejected"] }],
    ["filter multiple choice includes", "field.tags=art", { "field.tags": ["art"] }],
    ["filter number = value (1%)", "field.age=42", { "field.age": ["42"] }],
    ["filter text = value (one row)", "field.name=Person%20777", { "field.name": ["Person 777"] }],
    ["filter text = value (0.5%)", "field.city=City%207", { "field.city": ["City 7"] }],
    ["filter near 5 km", `near=${point.lat},${point.lon},5000`, { near: [`${point.lat},${point.lon},5000`] }],
    [
      "filter near 300 km",
      `near=${point.lat},${point.lon},300000`,
      { near: [`${point.lat},${point.lon},300000`] },
    ],
    [
      "filter choice = any of two (40%)",
      "field.fruit=pear&field.fruit=apple",
      { "field.fruit": ["pear", "apple"] },
    ],
    // Text search: a page of matches from the received-order index (every row, 10%, 0.5%), and
    // rare texts, whose page reads the whole form (about 11 rows, none).
    ["filter contains, every row", "contains.notes=WEEKDAY", { "contains.notes": ["WEEKDAY"] }],
    ["filter contains, 10%", "contains.comment=call%20BACK", { "contains.comment": ["call BACK"] }],
    ["filter contains, 0.5%", "contains.city=city%2077", { "contains.city": ["city 77"] }],
    [
      "filter contains, rare (about 11 rows)",
      "contains.name=son%2012345",
      { "contains.name": ["son 12345"] },
    ],
    ["filter contains, no row", "contains.email=nobody", { "contains.email": ["nobody"] }],
    [
      "filter bbox (a 1° box)",
      `bbox=${point.lon - 0.5},${point.lat - 0.5},${point.lon + 0.5},${point.lat + 0.5}`,
      {
        bbox: [`${point.lon - 0.5},${point.lat - 0.5},${point.lon + 0.5},${point.lat + 0.5}`],
      },
    ],
  ];
  for (const [label, qs, parsed] of filters) {
    const f = parseFilters(parsed, scaleDefinition);
    await compare(
      label,
      () => api(`${listPath}?limit=50&${qs}`),
      () => query(pageQuery(formId, f, { limit: 51 })),
    );
  }
  // The map: clusters from the stored cells, next to grouping the same rows on the fly (what the
  // map would cost without the cells), and points at a street zoom.
  const mapPath = `/orgs/${orgId}/forms/${formId}/submissions/map`;
  const onTheFly = (zoom: number, box: string) => () =>
    sql.query(
      `SELECT count(*), avg(ST_Y(location::geometry)), avg(ST_X(location::geometry)) FROM submission
       WHERE form_id = $1 AND location IS NOT NULL
         ${box ? `AND location && ST_MakeEnvelope(${box}, 4326)::geography` : ""}
       GROUP BY submission_map_cx(ST_X(location::geometry), $2), submission_map_cy(ST_Y(location::geometry), $2)`,
      [formId, zoom + 3],
    );
  // The map's baselines without JIT, as the API runs its location reads: compiling these
  // statements costs more than it saves (the other baselines keep PostgreSQL's default).
  await sql.query("SET jit = off");
  const region = `${point.lon - 6},${point.lat - 6},${point.lon + 6},${point.lat + 6}`;
  const street = `${point.lon - 0.02},${point.lat - 0.02},${point.lon + 0.02},${point.lat + 0.02}`;
  await compare(
    "map, world (zoom 2)",
    () => api(`${mapPath}?zoom=2`),
    onTheFly(2, ""),
    "baseline: grouping the rows on the fly",
    5,
  );
  await compare(
    "map, region (zoom 6)",
    () => api(`${mapPath}?zoom=6&bbox=${region}`),
    onTheFly(6, region),
    "baseline: grouping the rows on the fly",
    5,
  );
  await compare(
    "map, street (zoom 15, points)",
    () => api(`${mapPath}?zoom=15&bbox=${street}`),
    onTheFly(15, street),
  );
  // A radius on the map: the rows within it grouped on the fly, found through the GiST index.
  const near = `${point.lat},${point.lon},300000`;
  await compare(
    "map, near 300 km (zoom 6)",
    () => api(`${mapPath}?zoom=6&near=${near}`),
    () =>
      sql.query(
        `SELECT count(*), avg(ST_Y(location::geometry)), avg(ST_X(location::geometry)) FROM submission
         WHERE form_id = $1 AND ST_DWithin(location, ST_SetSRID(ST_MakePoint($3, $2), 4326)::geography, 300000)
         GROUP BY submission_map_cx(ST_X(location::geometry), 9), submission_map_cy(ST_Y(location::geometry), 9)`,
        [formId, point.lat, point.lon],
      ),
    "baseline: the same rows grouped on the fly",
    5,
  );
  await compare(
    "map, world, filtered (choice 20%)",
    () => api(`${mapPath}?zoom=2&field.fruit=pear`),
    onTheFly(2, ""),
    "baseline: unfiltered on the fly",
    3,
  );
  await sql.query("RESET jit");
  await compare(
    "forms list",
    () => api(`/orgs/${orgId}/forms`),
    () => sql.query("SELECT id, title, submission_count FROM form WHERE organization_id = $1", [orgId]),
    "baseline: reading the stored counts",
  );
  const countStar: number[] = [];
  for (let i = 0; i < (selected("forms list") ? 3 : 0); i++) {
    countStar.push(
      await elapsed(() =>
        sql.query(
          "SELECT f.id, (SELECT count(*) FROM submission s WHERE s.form_id = f.id) FROM form f WHERE organization_id = $1",
          [orgId],
        ),
      ),
    );
  }
  if (countStar.length > 0)
    report("  (before: count(*) per form, SQL alone)", "", `${ms(p50(countStar))} ms`);
  await compare(
    "GET form",
    () => api(`/orgs/${orgId}/forms/${formId}`),
    () => sql.query("SELECT * FROM form WHERE id = $1", [formId]),
  );
  const fieldKeys = scaleDefinition.pages.flatMap((p) => p.fields.map((f) => f.id));
  await compare(
    "summary (20 fields)",
    () => api(`/orgs/${orgId}/forms/${formId}/summary`),
    () =>
      sql.query(
        `SELECT e.key, CASE WHEN jsonb_typeof(e.value) IN ('string', 'number', 'boolean') THEN e.value END AS v, count(*)
         FROM submission, jsonb_each(answers) AS e WHERE form_id = $1 AND e.key = ANY($2) GROUP BY 1, 2`,
        [formId, fieldKeys],
      ),
    "baseline: one pass, every field's value counts",
    Math.min(ITERATIONS, 5),
  );
  const middle = day(180);
  const exportFirst = async (format: string) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const reply = await fetch(`${base}/backend${listPath}/export?format=${format}&from=${middle}`, {
        headers: { cookie },
      });
      if (reply.status === 429) {
        await reply.body?.cancel();
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const reader = (reply.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      await reader.cancel();
      return;
    }
    throw new Error("export slots never freed");
  };
  const middleFilters = parseFilters({ from: [middle] }, scaleDefinition);
  await compare(
    "export, first page (time to first byte)",
    () => exportFirst("csv"),
    () => query(pageQuery(formId, middleFilters, { limit: 1000, ascending: true })),
    "baseline: the 1000-row page",
  );

  // Full exports: curl to /dev/null, next to psql \copy of the same rows in the same order.
  const columns = csvColumns(scaleDefinition).map((c) => {
    const [field, part] = c.key.split(".");
    return part ? `answers->'${field}'->>'${part}'` : `answers->>'${field}'`;
  });
  const ordered = `FROM submission WHERE form_id = '${formId}' ORDER BY received_at, seq`;
  const copies = {
    csv: `\\copy (SELECT id, received_at, form_version, ${columns.join(", ")} ${ordered}) TO '/dev/null' WITH (FORMAT csv, HEADER)`,
    ndjson: `\\copy (SELECT json_build_object('id', id, 'formVersion', form_version, 'answers', answers, 'receivedAt', received_at) ${ordered}) TO '/dev/null'`,
  };
  // The CSV export passes on each row's stored cells (decision 0011): also next to psql copying
  // those, the best SQL can do once they are stored.
  const storedCopy = `\\copy (SELECT id || ',' || received_at || ',' || form_version || ',' || csv_cells ${ordered}) TO '/dev/null'`;
  // The submission path while an export runs: one respondent submitting to another form of the
  // workspace every 20 ms (bounded), its latency next to the same loop with no export running.
  const probeForm = await owner.post(`/orgs/${orgId}/forms`, {
    title: "Submission probe",
    definition: scaleDefinition,
  });
  await owner.post(`/orgs/${orgId}/forms/${probeForm.body.id}/publish`);
  const probeSlug = (await owner.get(`/orgs/${orgId}/forms/${probeForm.body.id}`)).body.slug;
  const respondent = new TestClient(base);
  let probed = 0;
  const probeSubmissions = async (done: () => boolean): Promise<number[]> => {
    const latencies: number[] = [];
    while (!done() && latencies.length < 3_000) {
      const start = performance.now();
      const reply = await respondent.post(`/public/forms/${probeSlug}/submissions`, {
        id: randomUUID(),
        answers: apiAnswers(probed++),
      });
      if (reply.status !== 201) throw new Error(`probe submission → ${reply.status}`);
      latencies.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 20));
    }
    return latencies;
  };
  const latency = (xs: number[]) =>
    `p50 ${ms(p50(xs))} ms, p99 ${ms(quantile(xs, 0.99))} ms (${xs.length} submissions)`;
  let idleLatencies: number[] = [];
  if (selected("full export")) {
    const until = performance.now() + 3_000;
    idleLatencies = await probeSubmissions(() => performance.now() > until);
  }

  const peaks: number[] = [];
  for (const format of ["csv", "ndjson"] as const) {
    if (!selected(`full export ${format.toUpperCase()}`)) continue;
    const copy = (statement = copies[format]) => {
      const start = performance.now();
      execFileSync("psql", ["-X", "-q", url, "-c", statement], { stdio: "ignore" });
      return (performance.now() - start) / 1000;
    };
    // Sample the API's memory while it streams.
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peaks.push(memory(child.pid as number).now);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    // curl in a child process (not execFileSync, which would stop the sampler), body to /dev/null.
    const download = () =>
      new Promise<{ seconds: number; bytes: number }>((resolve, reject) => {
        const start = performance.now();
        const args = ["-s", "-f", "-o", "/dev/null", "-w", "%{size_download}", "-H", `cookie: ${cookie}`];
        const c = spawn("curl", [...args, `${base}/backend${listPath}/export?format=${format}`]);
        let out = "";
        c.stdout.on("data", (d) => {
          out += d;
        });
        c.on("exit", (code) =>
          code === 0
            ? resolve({ seconds: (performance.now() - start) / 1000, bytes: Number(out) })
            : reject(new Error(`curl ${code}`)),
        );
      });
    // Alternating runs, median of each: the machine's load changes within a minute.
    const apiSeconds: number[] = [];
    const copySeconds: number[] = [];
    const storedCopySeconds: number[] = [];
    const busyLatencies: number[] = [];
    let bytes = 0;
    for (let run = 0; run < EXPORT_RUNS; run++) {
      let exporting = true;
      const probing = probeSubmissions(() => !exporting);
      const got = await download().finally(() => {
        exporting = false;
      });
      busyLatencies.push(...(await probing));
      apiSeconds.push(got.seconds);
      bytes = got.bytes;
      copySeconds.push(copy());
      if (format === "csv") storedCopySeconds.push(copy(storedCopy));
    }
    sampling = false;
    await sampler;
    const a = p50(apiSeconds);
    const b = p50(copySeconds);
    report(
      `full export ${format.toUpperCase()} (${total.toLocaleString("en")} rows)`,
      `${Math.round(total / a).toLocaleString("en")} rows/s`,
      `${Math.round(total / b).toLocaleString("en")} rows/s`,
      `median of ${EXPORT_RUNS}: ${a.toFixed(1)} s vs psql \\copy ${b.toFixed(1)} s (${Math.round((100 * b) / a)}%); ${(bytes / 2 ** 20).toFixed(0)} MiB`,
    );
    report(
      `  … a submission meanwhile (another form)`,
      `p99 ${ms(quantile(busyLatencies, 0.99))} ms`,
      "",
      `while exporting: ${latency(busyLatencies)}; no export: ${latency(idleLatencies)}`,
    );
    if (storedCopySeconds.length > 0) {
      const c = p50(storedCopySeconds);
      report(
        "  … next to psql \\copy of the stored cells",
        `${Math.round(total / a).toLocaleString("en")} rows/s`,
        `${Math.round(total / c).toLocaleString("en")} rows/s`,
        `median of ${EXPORT_RUNS}: ${a.toFixed(1)} s vs ${c.toFixed(1)} s (${Math.round((100 * c) / a)}%)`,
      );
    }
  }
  const mem = memory(child.pid as number);
  if (peaks.length === 0) peaks.push(mem.now);
  report(
    "API process memory",
    `peak ${(mem.peak / 2 ** 20).toFixed(0)} MiB`,
    "",
    `RSS during the exports: ${(Math.min(...peaks) / 2 ** 20).toFixed(0)}–${(Math.max(...peaks) / 2 ** 20).toFixed(0)} MiB`,
  );
  console.log(`\nload average at the end: ${load()} (2 cores, shared with other work: figures are noisy)`);
} finally {
  await sql.end().catch(() => {});
  child.kill("SIGTERM");
  await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
  rmSync(buildDir, { recursive: true, force: true });
  if (keep) console.log(`kept database ${name}: BENCH_REUSE=${name} runs again without loading`);
  else await created?.drop();
}
