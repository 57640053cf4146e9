import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, sql } from "../src/db/sql";
import { exportPageQuery } from "../src/submissions/export";
import { parseFilters } from "../src/submissions/filters";
import { EXPORT_PAGE } from "../src/submissions/page-size";
import { listSubmissions, pageQuery, type Read, type ReadKey, runRead } from "../src/submissions/service";
import { storedCsvCells } from "../src/submissions/stored-cells";
import { publishedForm } from "./support/fixtures";
import { scaleDefinition, seedPoint, seedSubmissions } from "./support/scale";
import type { TestStack } from "./support/stack";
import { type FormSuite, startFormSuite } from "./support/suite";

// Every page the API reads (list at any depth, with each kind of filter, and export pages) must be
// answered from an index, reading about as many rows as it returns, not a scan of the form. The
// plans come from PostgreSQL's own choice on a seeded table with real statistics (ANALYZE after
// seeding, default planner settings), not from disabling sequential scans: a plan that is only
// chosen because the alternative is forbidden proves nothing. Each case also runs the query
// (EXPLAIN ANALYZE) and bounds the rows it actually read, which is what keeps a page fast at 1M.

const ROWS = 30_000;
const OTHER_ROWS = 3_000;
let suite: FormSuite, stack: TestStack, formId: string;
beforeAll(async () => {
  suite = await startFormSuite(scaleDefinition);
  ({ stack, formId } = suite);
  const other = await publishedForm(suite.owner, suite.orgId, scaleDefinition);
  await seedSubmissions(suite.query, formId, ROWS, { chunk: 10_000 });
  // Another form's rows share the table and its indexes, as in any real install.
  await seedSubmissions(suite.query, other.formId, OTHER_ROWS);
  await suite.query("ANALYZE submission");
}, 300_000);
afterAll(() => suite?.stop());

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Scan Direction"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** Plans and runs the exact statement of a page, and sums what its scans of `submission` read. */
async function explain(query: Read) {
  // Through runRead, as the API runs it (a radius filter in its no-parallel transaction).
  const [row] = await runRead<{ "QUERY PLAN": [{ Plan: PlanNode }] | string }>(stack.services.database, {
    ...query,
    statement: sql`EXPLAIN (ANALYZE, FORMAT JSON) ${query.statement}`,
  });
  const raw = row?.["QUERY PLAN"];
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw)[0].Plan as PlanNode;
  const scans = nodes(plan).filter((n) => n["Relation Name"] === "submission");
  const read = scans.reduce(
    (sum, n) =>
      sum +
      ((n["Actual Rows"] ?? 0) +
        (n["Rows Removed by Filter"] ?? 0) +
        (n["Rows Removed by Index Recheck"] ?? 0)) *
        (n["Actual Loops"] ?? 1),
    0,
  );
  const shape = nodes(plan)
    .map(
      (n) =>
        `${n["Node Type"]}${n["Scan Direction"] === "Backward" ? " Backward" : ""}${n["Index Name"] ? ` (${n["Index Name"]})` : ""}`,
    )
    .join(" > ");
  return { plan, scans, read, shape };
}

const { lat, lon } = seedPoint(777);
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

/** The position of the row `depth` rows into the form, newest first. */
async function keyAt(depth: number): Promise<ReadKey> {
  const [row] = await stack.services.database.query<{ micros: string; seq: string }>(
    `SELECT (extract(epoch FROM received_at) * 1000000)::bigint AS micros, seq FROM submission
     WHERE form_id = $1 ORDER BY received_at DESC, seq DESC OFFSET $2 LIMIT 1`,
    [formId, depth],
  );
  if (!row) throw new Error("no row at that depth");
  return { micros: String(row.micros), seq: String(row.seq) };
}

// Filters as the routes parse them from the query string, each with the rows it may read for a
// page of 51: the page itself, or the matches when the planner (rightly) goes to the GIN/GiST
// index for a rare value, or the rows walked past in received order for a common one.
const cases: [string, Record<string, string[]>, number][] = [
  ["no filter", {}, 51],
  ["from/to, recent days", { from: [day(20)], to: [day(0)] }, 51],
  ["from/to, the oldest month", { from: [day(366)], to: [day(335)] }, 51],
  ["from/to, one day", { from: [day(200)], to: [day(200)] }, 200],
  ["choice equals, common (20%)", { "field.fruit": ["pear"] }, 600],
  ["choice equals, rare (0.1%)", { "field.status": ["rejected"] }, 200],
  ["dropdown equals (10%)", { "field.colour": ["teal"] }, 1_000],
  ["multiple choice includes", { "field.tags": ["art"] }, 600],
  ["yes/no equals", { "field.has_pet": ["true"] }, 300],
  ["number equals (1%)", { "field.age": ["42"] }, 6_000],
  ["text equals, one row", { "field.name": ["Person 777"] }, 51],
  ["text equals, 0.5%", { "field.city": ["City 7"] }, 11_000],
  ["text equals, no row", { "field.email": ["nobody@example.org"] }, 51],
  ["two fields together", { "field.fruit": ["pear"], "field.has_pet": ["true"] }, 1_500],
  ["near, 5 km", { near: [`${lat},${lon},5000`] }, 200],
  ["near, 300 km", { near: [`${lat},${lon},300000`] }, 3_000],
  ["bbox, a small box", { bbox: [`${lon - 0.3},${lat - 0.3},${lon + 0.3},${lat + 0.3}`] }, 200],
  ["bbox, half the area", { bbox: ["-73,-33,-53.5,-5"] }, 3_000],
  ["date and choice", { from: [day(100)], to: [day(50)], "field.fruit": ["apple"] }, 600],
  ["choice equals any of two (40%)", { "field.fruit": ["pear", "apple"] }, 300],
  ["multiple choice includes any of two", { "field.tags": ["art", "tech"] }, 600],
  ["text equals any of two, two rows", { "field.name": ["Person 777", "Person 778"] }, 51],
  [
    "any of two and another field",
    { "field.status": ["rejected", "pending"], "field.has_pet": ["true"] },
    600,
  ],
  // A text search walks the received-order index and stops at a page of matches: a common text
  // reads about the page, a rare one (or none) the form's rows, never another form's or a sort.
  ["contains, every row", { "contains.notes": ["WEEKDAY"] }, 51],
  ["contains, 10%", { "contains.comment": ["call BACK"] }, 600],
  ["contains, 11 rows", { "contains.name": ["son 2777"] }, ROWS],
  ["contains, no row", { "contains.email": ["nobody"] }, ROWS],
  ["contains and a rare choice", { "field.status": ["rejected"], "contains.name": ["person 1"] }, 200],
];

describe("every list page is read from an index, at any depth and with any filter", () => {
  it.each(cases)("%s", async (_name, query, maxRead) => {
    const filters = parseFilters(query, scaleDefinition);
    const first = await explain(pageQuery(formId, filters, { limit: 51 }));
    expect(first.scans.length, first.shape).toBeGreaterThan(0);
    expect(first.shape).not.toContain("Seq Scan");
    // One process per page: parallel workers cost more to start than a page costs to read.
    expect(first.shape).not.toContain("Gather");
    expect(first.read, first.shape).toBeLessThanOrEqual(maxRead);
    // The same filter 90% of the way down the form: the cursor is an index condition, so the
    // rows before it are never visited.
    const deep = await explain(pageQuery(formId, filters, { limit: 51, after: await keyAt(ROWS * 0.9) }));
    expect(deep.shape).not.toContain("Seq Scan");
    // (Where the first page may read the whole form, a deep one reads only the rows after the cursor.)
    expect(deep.read, deep.shape).toBeLessThanOrEqual(maxRead === ROWS ? ROWS * 0.1 + 51 : maxRead);
  });

  it("a deep cursor page without filters reads only its own rows", async () => {
    for (const depth of [1_000, ROWS / 2, ROWS - 100]) {
      const page = await explain(pageQuery(formId, { equals: {} }, { limit: 51, after: await keyAt(depth) }));
      expect(page.shape).toBe("Limit > Index Scan Backward (submission_form_received_seq_idx)");
      expect(page.read).toBe(51);
    }
  });

  it.each(["csv", "csv of stored cells", "ndjson"] as const)(
    "an export page (%s, oldest first, after a position) is an index range of exactly its rows",
    async (kind) => {
      const format = kind === "ndjson" ? "ndjson" : "csv";
      const stamp = kind === "csv of stored cells" ? (storedCsvCells(scaleDefinition)?.stamp ?? null) : null;
      const after = await keyAt(ROWS / 2);
      const size = EXPORT_PAGE;
      const page = await explain(exportPageQuery(formId, { equals: {} }, format, after, size, stamp));
      // Rows read in index order, then counted and sized in that order (no sort).
      expect(page.shape).toBe(
        "Subquery Scan > WindowAgg > Subquery Scan > Limit > Index Scan (submission_form_received_seq_idx)",
      );
      expect(page.read).toBeGreaterThanOrEqual(size);
      expect(page.read).toBeLessThanOrEqual(size + 1);
      // With a filter the page is still read in index order from the position on (here the last
      // tenth of the form: at 1M rows a page of 5000 matches is a sliver of the table, as here).
      const filtered = parseFilters({ "field.fruit": ["pear"] }, scaleDefinition);
      const tail = await keyAt(ROWS / 10);
      const narrowed = await explain(exportPageQuery(formId, filtered, format, tail, size, stamp));
      expect(narrowed.shape).not.toContain("Seq Scan");
      expect(narrowed.read).toBeLessThan(size * 6);
    },
  );

  it("spells the radius filter exactly as ST_DWithin", async () => {
    for (const radius of [5_000, 300_000, 2_000_000]) {
      const filters = parseFilters({ near: [`${lat},${lon},${radius}`] }, scaleDefinition);
      const query = pageQuery(formId, filters, { limit: ROWS });
      const [{ n } = { n: -1 }] = await queryRows<{ n: number }>(
        stack.services.database,
        sql`SELECT count(*)::int AS n FROM (${query.statement}) AS page`,
      );
      const [{ wanted } = { wanted: -2 }] = await stack.services.database.query<{ wanted: number }>(
        `SELECT count(*)::int AS wanted FROM submission WHERE form_id = $1
         AND ST_DWithin(location, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, $4)`,
        [formId, lon, lat, radius],
      );
      expect(n).toBe(wanted);
      expect(n).toBeGreaterThan(0);
    }
  });
});

describe("reading order", () => {
  it("pages a filtered list newest first without gaps or repeats, rows of one batch in insertion order", async () => {
    const database = stack.services.database;
    // One statement, so one received_at for all seven rows: the order among them is insertion order.
    await database.query(
      `INSERT INTO submission (id, form_id, form_version, answers)
       SELECT gen_random_uuid(), $1, 1, jsonb_build_object('name', 'Batch ' || g, 'fruit', 'kiwi')
       FROM generate_series(1, 7) AS g ORDER BY g`,
      [formId],
    );
    const filters = parseFilters({ "field.fruit": ["kiwi"] }, scaleDefinition);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const reply = await listSubmissions(database, formId, filters, 2, cursor);
      seen.push(...reply.items.map((item) => String(item.answers.name)));
      cursor = reply.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toEqual(["Batch 7", "Batch 6", "Batch 5", "Batch 4", "Batch 3", "Batch 2", "Batch 1"]);
  });
});
