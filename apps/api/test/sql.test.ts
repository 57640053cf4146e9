import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { allOf, checked, list, queryRows, render, runOn, sql } from "../src/db/sql";
import { runRead } from "../src/submissions/service";
import { useEngines } from "./support/engines";

// The composed-SQL fragments every raw statement of the API is written with: parameters are
// numbered once, when the statement is rendered, in reading order, through any nesting.

describe("sql fragments", () => {
  it("numbers parameters in reading order through nested fragments and joins", () => {
    const after = sql`(received_at, seq) < (${"2026-01-01"}::timestamptz, ${"7"}::bigint)`;
    const where = allOf([
      sql`form_id = ${"f"}`,
      after,
      sql`(${sql.join([sql`a = ${1}`, sql`b = ${2}`], sql` OR `)})`,
    ]);
    const statement = sql`SELECT id FROM submission WHERE ${where} ORDER BY seq LIMIT ${51}`;
    expect(render(statement)).toEqual({
      text: "SELECT id FROM submission WHERE form_id = $1 AND (received_at, seq) < ($2::timestamptz, $3::bigint) AND (a = $4 OR b = $5) ORDER BY seq LIMIT $6",
      params: ["f", "2026-01-01", "7", 1, 2, 51],
    });
  });

  it("numbers a fragment used twice afresh each time, and an empty AND is true", () => {
    const isOne = sql`x = ${1}`;
    expect(render(sql`SELECT ${isOne}, ${isOne} WHERE ${allOf([])}`)).toEqual({
      text: "SELECT x = $1, x = $2 WHERE true",
      params: [1, 1],
    });
  });

  it("keeps values out of the text, whatever they hold", () => {
    const evil = "x'); DROP TABLE submission; --";
    const { text, params } = render(sql`SELECT ${evil} AS v, ${"$1"} AS w`);
    expect(text).toBe("SELECT $1 AS v, $2 AS w");
    expect(params).toEqual([evil, "$1"]);
  });

  it("passes an array as one parameter with list(), and refuses a bare array or undefined", () => {
    expect(render(sql`x = ANY(${list(["a", "b"])}::text[])`)).toEqual({
      text: "x = ANY($1::text[])",
      params: [["a", "b"]],
    });
    // Drizzle's tag alone would spread the array into `($1, $2)` and drop undefined silently.
    expect(() => render(sql`x = ANY(${["a", "b"]})`)).toThrow(/list\(values\)/);
    expect(() => render(sql`WHERE ${sql`x = ${undefined}`}`)).toThrow(/undefined/);
    expect(() => checked(sql`x = ${undefined}`)).toThrow(/undefined/);
  });

  it("quotes identifiers given with sql.identifier", () => {
    expect(render(sql`SELECT ${sql.identifier('a"b')}.seq`).text).toBe('SELECT "a""b".seq');
  });
});

describe.each(useEngines())("sql fragments on $name", ({ database }) => {
  it("run with their values bound, never spliced into the text", async () => {
    const evil = "'; SELECT pg_sleep(10); --";
    const rows = await queryRows<{ v: string; n: number; hit: boolean }>(
      database(),
      sql`SELECT ${evil}::text AS v, cardinality(${list(["a", "b", "c"])}::text[]) AS n,
                 ${"b"} = ANY(${list(["a", "b"])}::text[]) AS hit`,
    );
    expect(rows).toEqual([{ v: evil, n: 3, hit: true }]);
  });

  it("run as a Drizzle execute too (the transaction of a serial read)", async () => {
    const result = await database().db.execute(checked(sql`SELECT ${"x"}::text || ${1}::int AS v`));
    expect((result as unknown as { rows: { v: string }[] }).rows).toEqual([{ v: "x1" }]);
  });

  it("run serially (no parallel workers) or not, through runRead", async () => {
    const statement = sql`SELECT ${"a"}::text AS v, current_setting('max_parallel_workers_per_gather') AS w`;
    const [serial] = await runRead<{ v: string; w: string }>(database(), { statement, serial: true });
    expect(serial).toEqual({ v: "a", w: "0" });
    const [plain] = await runRead<{ v: string }>(database(), { statement, serial: false });
    expect(plain?.v).toBe("a");
  });
});

const template = inject("pgTemplate");
describe.runIf(template)("sql fragments on a node-postgres client of its own", () => {
  it("run through runOn, with the driver's own result", async () => {
    const client = new pg.Client({ connectionString: template?.adminUrl });
    await client.connect();
    try {
      const result = await runOn<pg.QueryResult<{ v: string; n: number }>>(
        client,
        sql`SELECT ${"'; --"}::text AS v, cardinality(${list([1, 2, 3])}::int[]) AS n`,
      );
      expect(result.rows).toEqual([{ v: "'; --", n: 3 }]);
      expect(result.rowCount).toBe(1);
    } finally {
      await client.end();
    }
  });
});
