import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAP_CELLS_DIFFERING } from "./support/map-cells";
import { type FormSuite, startFormSuite } from "./support/suite";

// Every statement that changes `submission` appends what it adds to (or takes off) the map's cells
// as delta rows (migration 0006_submission_triggers_one_pass), instead of adding to the shared cell
// rows: concurrent batches of one campaign land in the same few cells, and each used to wait for
// the one before it to commit. submission_rollup_fold() moves the deltas into the folded cells;
// `submission_map_cell`, what the map reads, adds both up. Checked against a recount of the rows.

let suite: FormSuite;
beforeAll(async () => {
  suite = await startFormSuite();
});
afterAll(() => suite?.stop());

/** Located rows of the suite's form, `count` of them over a few points sharing their coarse cells. */
const LOCATED = `
  INSERT INTO submission (id, form_id, form_version, answers, location)
  SELECT gen_random_uuid(), $1, 1, jsonb_build_object('name', $2::text, 'age', g % 5),
         ST_SetSRID(ST_MakePoint(-46.63 + (g % 3) * 0.01, -23.55 + (g % 4) * 0.01), 4326)::geography
  FROM generate_series(1, $3::int) AS g`;
const located = (count: number, tag: string) => [suite.formId, tag, count];

const differing = async () => (await suite.query<{ n: number }>(MAP_CELLS_DIFFERING))[0]?.n;
const deltaRows = async () =>
  Number(
    (
      await suite.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM submission_map_cell_delta WHERE form_id = $1",
        [suite.formId],
      )
    )[0]?.n,
  );

describe("map cell deltas", () => {
  it("add up to exact cells before a fold, after it, and after erasures", async () => {
    for (let i = 0; i < 5; i++) await suite.query(LOCATED, located(40, `batch${i}`));
    expect(await deltaRows()).toBeGreaterThan(0);
    expect(await differing()).toBe(0);

    await suite.query("SELECT submission_rollup_fold($1)", [suite.formId]);
    expect(await deltaRows()).toBe(0);
    expect(await differing()).toBe(0);

    // Erasures append negative deltas; a cell emptied by them is no longer drawn.
    await suite.query("DELETE FROM submission WHERE form_id = $1 AND answers->>'age' = '0'", [suite.formId]);
    expect(await deltaRows()).toBeGreaterThan(0);
    expect(await differing()).toBe(0);
    await suite.query("SELECT submission_rollup_fold($1)", [suite.formId]);
    expect(await deltaRows()).toBe(0);
    expect(await differing()).toBe(0);
  });

  it("let a statement write the cells another uncommitted one is writing, without waiting for it", async () => {
    if (suite.database.kind !== "postgres") return; // PGlite has one connection
    const url = String(suite.database.env.DATABASE_URL);
    const first = new pg.Client({ connectionString: url });
    const second = new pg.Client({ connectionString: url });
    await Promise.all([first.connect(), second.connect()]);
    try {
      await first.query("BEGIN");
      await first.query(LOCATED, located(10, "first"));
      // The same form, the same cells: with the cells added to shared rows this waited for `first`.
      await second.query("SET lock_timeout = '2s'");
      await second.query(LOCATED, located(10, "second"));
      await first.query("COMMIT");
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
    expect(await differing()).toBe(0);
  });
});
