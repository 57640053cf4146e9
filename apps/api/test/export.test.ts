import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvCell } from "../src/submissions/csv-cells";
import type { TestClient } from "./support/client";
import { insertSubmission, publishedForm } from "./support/fixtures";
import { type FormSuite, startFormSuite } from "./support/suite";

const ROWS = 100_000;
// A real, full garbage collection before each heap sample, without a flag on the whole test run:
// with the flag set, a new V8 context exposes `gc`. Without it, samples would measure garbage.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
let suite: FormSuite, owner: TestClient, orgId: string, formId: string;

beforeAll(async () => {
  suite = await startFormSuite();
  ({ owner, orgId, formId } = suite);
  // Seeded in the database directly: the point here is the export path, not 100k HTTP round trips.
  await suite.query(
    `INSERT INTO submission (id, form_id, form_version, answers, location)
     SELECT gen_random_uuid(), $1, 1,
            jsonb_build_object('name', 'Person ' || g, 'age', g % 100, 'fruit', CASE WHEN g % 2 = 0 THEN 'apple' ELSE 'pear' END,
                               'where', jsonb_build_object('lat', -23.5, 'lon', -46.6)),
            ST_SetSRID(ST_MakePoint(-46.6, -23.5), 4326)::geography
     FROM generate_series(1, $2::int) AS g`,
    [formId, ROWS],
  );
}, 300_000);
afterAll(() => suite?.stop());

/**
 * Reads a streamed download chunk by chunk, counting lines and bytes, and samples the heap after
 * a full GC: once before the request (the baseline) and every 10,000 lines.
 */
async function streamExport(format: "csv" | "ndjson") {
  gc();
  const baseline = process.memoryUsage().heapUsed;
  const response = await owner.raw(`/orgs/${orgId}/forms/${formId}/submissions/export?format=${format}`);
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let lines = 0;
  let first = "";
  let tail = "";
  let bytes = 0;
  const heap: number[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    const text = tail + decoder.decode(value, { stream: true });
    const parts = text.split("\n");
    tail = parts.pop() ?? "";
    if (!first && parts[0]) first = parts[0];
    lines += parts.length;
    if (lines % 10_000 < parts.length) {
      gc();
      heap.push(process.memoryUsage().heapUsed);
    }
  }
  return { response, lines, first, bytes, peakGrowth: Math.max(...heap) - baseline, samples: heap.length };
}

describe("export", () => {
  it(`streams ${ROWS.toLocaleString("en")} rows as CSV at flat memory`, async () => {
    const { response, lines, first, bytes, peakGrowth, samples } = await streamExport("csv");
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="submissions-.*\.csv"/);
    expect(lines).toBe(ROWS + 1);
    expect(first.trim()).toBe(
      "submission_id,received_at,form_version,name,age,fruit,has_pet,pet_name,where.lat,where.lon,where.accuracy",
    );
    // The server and this reader share one process. An export that built the file (or fetched all
    // rows) before sending would hold at least the whole body, `bytes`, at once: live heap over the
    // baseline would reach it. A streaming export holds a few batches. Half the body separates the two.
    console.log(
      `export heap: body ${(bytes / 2 ** 20).toFixed(1)} MiB, peak growth ${(peakGrowth / 2 ** 20).toFixed(1)} MiB, samples ${samples}`,
    );
    expect(samples).toBeGreaterThanOrEqual(9);
    expect(bytes).toBeGreaterThan(5 * 2 ** 20);
    expect(peakGrowth).toBeLessThan(bytes / 2);
  });

  it("streams NDJSON, one submission per line", async () => {
    const { lines } = await streamExport("ndjson");
    expect(lines).toBe(ROWS);
  });

  it("honours filters and neutralises formulas in CSV cells", async () => {
    // A form of its own, so the row counts of the other tests hold in any order.
    const { formId: filtered } = await publishedForm(owner, orgId);
    for (const fruit of ["kiwi", "apple"]) {
      await insertSubmission(suite.query, filtered, { name: '=HYPERLINK("x"), "quoted"', fruit });
    }
    const reply = await owner.request(
      "GET",
      `/backend/orgs/${orgId}/forms/${filtered}/submissions/export?format=csv&field.fruit=kiwi`,
    );
    const rows = reply.text.trim().split("\r\n");
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`"'=HYPERLINK(""x""), ""quoted"""`);
  });

  it("neutralises spreadsheet formulas but leaves numbers alone", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("-12.5")).toBe("-12.5");
    expect(csvCell("-cmd")).toBe("'-cmd");
    expect(csvCell("a,b")).toBe('"a,b"');
  });
});
