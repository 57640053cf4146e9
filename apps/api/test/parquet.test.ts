import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARQUET_ROW_GROUP_ROWS } from "../src/submissions/parquet";
import { parquetColumns } from "../src/submissions/parquet-columns";
import type { TestClient } from "./support/client";
import { duckdb, sqlText } from "./support/duckdb";
import { publishedForm } from "./support/fixtures";
import type { TestStack } from "./support/stack";
import { type FormSuite, startFormSuite } from "./support/suite";
import { useTempDir } from "./support/temp-files";
import { typedDefinition as definition, seedTypedSubmissions } from "./support/typed";

const ROWS = 100_000;

let suite: FormSuite, stack: TestStack, owner: TestClient, orgId: string, formId: string;
const folder = useTempDir("coleta-parquet-");
let file: string;
let chunks = 0;
let contentType: string | null;

beforeAll(async () => {
  suite = await startFormSuite(definition);
  ({ stack, owner, orgId, formId } = suite);
  // Seeded in the database directly, in one statement (nulls and wrong types included).
  const seeded = performance.now();
  // The summary's tally triggers are not what this file tests; without them the seed is 3× faster.
  await suite.query("ALTER TABLE submission DISABLE TRIGGER USER");
  await seedTypedSubmissions(suite.query, formId, ROWS);
  await suite.query("ALTER TABLE submission ENABLE TRIGGER USER");
  const downloaded = performance.now();
  // Download once, as a client would; the tests below read the file with DuckDB.
  const response = await owner.raw(`/orgs/${orgId}/forms/${formId}/submissions/export?format=parquet`);
  expect(response.status).toBe(200);
  contentType = response.headers.get("content-type");
  const parts: Uint8Array[] = [];
  for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) {
    parts.push(part);
    chunks++;
  }
  console.info(
    `seed ${Math.round(downloaded - seeded)} ms, parquet export ${Math.round(performance.now() - downloaded)} ms`,
  );
  file = join(folder.dir, "export.parquet");
  writeFileSync(file, Buffer.concat(parts));
}, 120_000);
afterAll(() => suite?.stop());

describe("Parquet export", () => {
  it("is a typed Parquet file DuckDB reads, with every row", async () => {
    expect(contentType).toBe("application/vnd.apache.parquet");
    const duck = await duckdb();
    try {
      const types = await duck.rows<{ column_name: string; column_type: string }>(
        `DESCRIBE SELECT * FROM read_parquet(${sqlText(file)})`,
      );
      expect(Object.fromEntries(types.map((t) => [t.column_name, t.column_type]))).toEqual({
        submission_id: "VARCHAR",
        received_at: "TIMESTAMP WITH TIME ZONE",
        form_version: "INTEGER",
        name: "VARCHAR",
        weight: "DOUBLE",
        age: "BIGINT",
        stars: "BIGINT",
        visited: "DATE",
        at: "VARCHAR",
        smoker: "BOOLEAN",
        fruits: "VARCHAR[]",
        // DuckDB reads the GeoParquet metadata: the WKB column is a geometry in lon/lat.
        where: "GEOMETRY('OGC:CRS84')",
        where_lat: "DOUBLE",
        where_lon: "DOUBLE",
        where_accuracy: "DOUBLE",
        date_2: "VARCHAR",
      });
      const [count] = await duck.rows<{ n: string }>(
        `SELECT count(*) AS n FROM read_parquet(${sqlText(file)})`,
      );
      expect(Number(count?.n)).toBe(ROWS);
    } finally {
      duck.close();
    }
  });

  it("holds the same values as the database", async () => {
    const duck = await duckdb();
    try {
      const [lake] = await duck.rows(
        `SET TimeZone = 'UTC';
         SELECT sum(age)::BIGINT AS ages, round(sum(weight), 2) AS weights, sum(stars)::BIGINT AS stars,
                count(*) FILTER (WHERE smoker) AS smokers, count(smoker) AS answered_smoker,
                sum(len(fruits))::BIGINT AS fruit_picks, count(*) FILTER (WHERE list_contains(fruits, 'fig')) AS figs,
                min(visited)::VARCHAR AS first_visit, max(visited)::VARCHAR AS last_visit,
                round(sum(where_lat), 4) AS lats, count("where") AS points,
                count(*) FILTER (WHERE ST_AsText("where") = 'POINT (' || where_lon || ' ' || where_lat || ')') AS geometries_match,
                min(received_at)::VARCHAR AS first_at, count(DISTINCT submission_id) AS ids
         FROM read_parquet(${sqlText(file)})`,
      );
      const [db] = await stack.services.database.query<Record<string, unknown>>(
        `SELECT sum((answers->>'age')::int) FILTER (WHERE jsonb_typeof(answers->'age') = 'number') AS ages,
                round(sum((answers->>'weight')::numeric) FILTER (WHERE jsonb_typeof(answers->'weight') = 'number'), 2) AS weights,
                sum((answers->>'stars')::int) AS stars,
                count(*) FILTER (WHERE answers->'smoker' = 'true') AS smokers,
                count(*) FILTER (WHERE jsonb_typeof(answers->'smoker') = 'boolean') AS answered_smoker,
                sum(jsonb_array_length(answers->'fruits')) FILTER (WHERE jsonb_typeof(answers->'fruits') = 'array') AS fruit_picks,
                count(*) FILTER (WHERE answers->'fruits' ? 'fig') AS figs,
                round(sum((answers->'where'->>'lat')::numeric) FILTER (WHERE jsonb_typeof(answers->'where') = 'object'), 4) AS lats,
                count(*) FILTER (WHERE jsonb_typeof(answers->'where') = 'object') AS points
         FROM submission WHERE form_id = $1`,
        [formId],
      );
      expect(lake).toMatchObject({
        ages: String(db?.ages),
        weights: Number(db?.weights),
        stars: String(db?.stars),
        smokers: String(db?.smokers),
        answered_smoker: String(db?.answered_smoker),
        fruit_picks: String(db?.fruit_picks),
        figs: String(db?.figs),
        first_visit: "2026-01-01",
        last_visit: "2026-12-31",
        lats: Number(db?.lats),
        points: String(db?.points),
        geometries_match: String(db?.points),
        // Microseconds survive.
        first_at: "2026-03-01 00:00:01.000123+00",
        ids: String(ROWS),
      });
      // One row exactly, including the geometry as WKB and a wrong-typed row as nulls.
      const [row] = await duck.rows(
        `SELECT name, weight, age, stars, visited::VARCHAR AS visited, "at", smoker, fruits, ST_AsText("where") AS wkt,
                where_lat, where_lon, where_accuracy, date_2, form_version
         FROM read_parquet(${sqlText(file)}) WHERE name = 'P12'`,
      );
      expect(row).toEqual({
        name: "P12",
        weight: 3,
        age: "12",
        stars: "3",
        visited: "2026-01-13",
        at: "08:30",
        smoker: true,
        fruits: ["apple", "fig"],
        wkt: `POINT (-46.6 ${-23.5 + 12 / 1e6})`,
        where_lat: -23.5 + 12 / 1e6,
        where_lon: -46.6,
        where_accuracy: 5,
        date_2: "soon",
        form_version: 1,
      });
      const [odd] = await duck.rows(
        `SELECT age, weight, smoker, visited, fruits, "where", name FROM read_parquet(${sqlText(file)}) WHERE name = 'P17'`,
      );
      expect(odd).toEqual({
        age: null,
        weight: null,
        smoker: null,
        visited: null,
        fruits: null,
        where: null,
        name: "P17",
      });
    } finally {
      duck.close();
    }
  });

  it("is written in bounded row groups, streamed, with GeoParquet metadata", async () => {
    const duck = await duckdb();
    try {
      const groups = await duck.rows<{ rows: string }>(
        `SELECT row_group_id, max(row_group_num_rows) AS rows FROM parquet_metadata(${sqlText(file)}) GROUP BY ALL`,
      );
      expect(groups.length).toBe(Math.ceil(ROWS / PARQUET_ROW_GROUP_ROWS));
      for (const group of groups) expect(Number(group.rows)).toBeLessThanOrEqual(PARQUET_ROW_GROUP_ROWS);
      const [geo] = await duck.rows<{ value: string }>(
        `SELECT decode(value) AS value FROM parquet_kv_metadata(${sqlText(file)}) WHERE decode(key) = 'geo'`,
      );
      expect(JSON.parse(geo?.value ?? "null")).toEqual({
        version: "1.1.0",
        primary_column: "where",
        columns: { where: { encoding: "WKB", geometry_types: ["Point"] } },
      });
    } finally {
      duck.close();
    }
    // Bytes went out as each row group was written, not as one buffer at the end.
    expect(chunks).toBeGreaterThan(1);
  });

  it("answers 400 for an unknown format and reads an empty form as a valid empty file", async () => {
    const bad = await owner.get(`/orgs/${orgId}/forms/${formId}/submissions/export?format=xls`);
    expect(bad.status).toBe(400);
    const { formId: empty } = await publishedForm(owner, orgId, definition);
    const response = await owner.raw(`/orgs/${orgId}/forms/${empty}/submissions/export?format=parquet`);
    expect(response.status).toBe(200);
    const emptyFile = join(folder.dir, "empty.parquet");
    writeFileSync(emptyFile, Buffer.from(await response.arrayBuffer()));
    const duck = await duckdb();
    try {
      const [count] = await duck.rows(`SELECT count(*) AS n FROM read_parquet(${sqlText(emptyFile)})`);
      expect(count).toEqual({ n: "0" });
      const columns = await duck.rows(`DESCRIBE SELECT * FROM read_parquet(${sqlText(emptyFile)})`);
      expect(columns.length).toBe(3 + parquetColumns(definition).length);
    } finally {
      duck.close();
    }
  });
});
