import { csvColumns, type FormDefinition } from "@coleta/forms";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { type CsvOptions, csvCell, csvCellWriter, csvRowRenderer } from "../src/submissions/csv-cells";
import { exportPageQuery } from "../src/submissions/export";
import { EXPORT_FIRST_PAGE, EXPORT_PAGE, EXPORT_PAGE_BYTES } from "../src/submissions/page-size";
import { runRead } from "../src/submissions/service";
import { anyAnswers } from "./support/any-answers";
import type { TestClient } from "./support/client";
import { insertSubmission, publishedForm } from "./support/fixtures";
import { scaleDefinition } from "./support/scale";
import { type FormSuite, startFormSuite } from "./support/suite";

// The export renders rows its own (faster) way: NDJSON lines assembled by PostgreSQL, CSV cells
// from the parsed answers with inline cases for common values. These tests pin both to the
// definitions they must agree with: the list's view of a submission, and csvColumns + csvCell.

/** What the CSV cells of a row must be: the form package's columns, each guarded by csvCell. */
const reference = (definition: FormDefinition, answers: unknown, options: CsvOptions = {}) =>
  csvColumns(definition, { labels: options.labels })
    .map((c) => csvCellWriter(options.separator ?? ",")(c.get(answers as Record<string, unknown>)))
    .join(options.separator ?? ",");

/** One file of a ZIP (an XLSX), as text. */
function zipEntry(zip: Buffer, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error) return reject(error);
      file.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return file.readEntry();
        file.openReadStream(entry, (failed, stream) => {
          if (failed) return reject(failed);
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        });
      });
      file.on("end", () => reject(new Error(`${name} not in the ZIP`)));
      file.readEntry();
    });
  });
}

describe("CSV cells", () => {
  it("are exactly csvColumns + csvCell, for answers of any shape", () => {
    const render = csvRowRenderer(scaleDefinition);
    fc.assert(
      fc.property(anyAnswers, (answers) => {
        expect(render(answers)).toBe(reference(scaleDefinition, answers));
      }),
      { numRuns: 2000 },
    );
    // JSON.parse turns a number too large for a double into ±Infinity.
    for (const answers of [
      { age: JSON.parse("-1e400") },
      { income: -0 },
      { rating: -1.5e-300 },
      { age: -12 },
    ]) {
      expect(render(answers)).toBe(reference(scaleDefinition, answers));
    }
    for (const odd of [null, [], ["a"], 5, "text", true]) {
      expect(render(odd)).toBe(reference(scaleDefinition, odd));
    }
  });

  it("are exactly the labelled columns + the semicolon writer, with labels and `;`", () => {
    // The scale form's labels are its values: give them labels of their own.
    const definition = structuredClone(scaleDefinition);
    for (const field of definition.pages.flatMap((p) => p.fields)) {
      if ("options" in field) for (const o of field.options) o.label = o.value.toUpperCase();
    }
    const options: CsvOptions = { separator: ";", labels: true };
    const render = csvRowRenderer(definition, undefined, options);
    fc.assert(
      fc.property(anyAnswers, (answers) => {
        expect(render(answers)).toBe(reference(definition, answers, options));
      }),
      { numRuns: 1000 },
    );
    const row = render({ fruit: "pear", tags: ["music", "art"], has_pet: true, name: "a;b", income: 1.5 });
    // Split on the separators outside quotes.
    const cells = row.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
    const byKey = Object.fromEntries(csvColumns(definition).map((c, i) => [c.key, cells[i]]));
    expect(byKey).toMatchObject({
      fruit: "PEAR",
      tags: '"MUSIC;ART"',
      has_pet: "Yes",
      name: '"a;b"',
      income: "1.5",
    });
  });

  it("leave phone numbers without an apostrophe, but not formulas that look close", () => {
    expect(csvCell("+55 (11) 99999-9999")).toBe("+55 (11) 99999-9999");
    expect(csvCell("+1 555.123.4567")).toBe("+1 555.123.4567");
    expect(csvCell("+1+2")).toBe("'+1+2");
    expect(csvCell("+SUM(A1:A9)")).toBe("'+SUM(A1:A9)");
    expect(csvRowRenderer(scaleDefinition)({ phone: "+5511999999999" })).toBe(
      reference(scaleDefinition, { phone: "+5511999999999" }),
    );
    expect(csvRowRenderer(scaleDefinition)({ phone: "+5511999999999" }).split(",")[2]).toBe("+5511999999999");
  });

  it("quote by the separator in use", () => {
    const semicolon = csvCellWriter(";");
    expect(semicolon("a;b")).toBe('"a;b"');
    expect(semicolon("1,5")).toBe("1,5");
    expect(csvCell("1,5")).toBe('"1,5"');
    expect(csvCell("a;b")).toBe("a;b");
  });

  it("keep formulas inert and numbers plain", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("-12.5")).toBe("-12.5");
    expect(csvCell("-cmd")).toBe("'-cmd");
    expect(csvCell('=HYPERLINK("x"), "y"')).toBe(`"'=HYPERLINK(""x""), ""y"""`);
    const render = csvRowRenderer(scaleDefinition);
    const cells = render({
      age: -5,
      income: -1e-7,
      name: "-x",
      where: { lat: -1.5, lon: 2, accuracy: -3e21 },
    });
    expect(cells).toBe(
      reference(scaleDefinition, {
        age: -5,
        income: -1e-7,
        name: "-x",
        where: { lat: -1.5, lon: 2, accuracy: -3e21 },
      }),
    );
    expect(cells.split(",").slice(0, 7)).toEqual(["'-x", "", "", "", "-5", "", "'-1e-7"]);
  });
});

describe("exports through the API", () => {
  let suite: FormSuite, owner: TestClient, orgId: string, formId: string;
  beforeAll(async () => {
    suite = await startFormSuite(scaleDefinition);
    ({ owner, orgId, formId } = suite);
  });
  afterAll(() => suite?.stop());

  const exportPath = (query: string) => `/orgs/${orgId}/forms/${formId}/submissions/export?${query}`;
  const download = async (format: "csv" | "ndjson", options = "") => {
    const reply = await owner.get(exportPath(`format=${format}${options}`));
    expect(reply.status).toBe(200);
    return reply.text;
  };

  it("write every row the list shows, in order, across pages of rows received in the same instant", async () => {
    const rows = EXPORT_FIRST_PAGE + EXPORT_PAGE + 7;
    // One statement: every row has the same received_at, so only seq orders them and the page
    // positions must carry it exactly.
    await suite.query(
      `INSERT INTO submission (id, form_id, form_version, answers)
       SELECT gen_random_uuid(), $1, 1, jsonb_build_object('name', 'Same instant ' || g, 'age', g)
       FROM generate_series(1, $2::int) AS g ORDER BY g`,
      [formId, rows],
    );
    const lines = (await download("ndjson")).trimEnd().split("\n");
    expect(lines).toHaveLength(rows);
    const ages = lines.map((line) => (JSON.parse(line) as { answers: { age: number } }).answers.age);
    expect(ages).toEqual(Array.from({ length: rows }, (_, i) => i + 1));
    const csv = (await download("csv")).trimEnd().split("\r\n");
    expect(csv).toHaveLength(rows + 1);
    expect(new Set(csv.slice(1).map((line) => line.split(",")[0])).size).toBe(rows);
  });

  it("NDJSON lines are the list's submissions, and CSV lines its cells, for awkward stored answers", async () => {
    const awkward: Record<string, unknown>[] = [
      { name: 'Quote " comma , and\nnewline', age: 12.5, tags: ["art", "music"], has_pet: false },
      { name: "=cmd|' /C calc'!A0", income: -1e-7, where: { lat: -23.5, lon: -46.6 } },
      { name: "Ünïcødé ✓ \u2028 tab\t", age: 1e21, visited: "2025-01-01", tags: "old single value" },
      { name: { nested: [1, { deep: true }] }, age: "not a number", where: [1, 2], consent: null },
      { city: "", comment: [], notes: "back\\slash", household: -0 },
    ];
    const ids: string[] = [];
    for (const answers of awkward)
      ids.push(await insertSubmission(suite.query, formId, answers, { version: 3 }));
    const ndjson = (await download("ndjson"))
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: string });
    // Quoted cells may hold a newline, never CRLF: each CSV record ends with CRLF.
    const csv = (await download("csv")).trimEnd().split("\r\n").slice(1);
    for (const id of ids) {
      const listed = await owner.get(`/orgs/${orgId}/forms/${formId}/submissions/${id}`);
      expect(listed.status).toBe(200);
      expect(ndjson.find((line) => line.id === id)).toEqual(listed.body);
      const { receivedAt, formVersion, answers } = listed.body;
      expect(csv.find((line) => line.startsWith(id))).toBe(
        `${id},${receivedAt},${formVersion},${reference(scaleDefinition, answers)}`,
      );
    }
  });

  it("page by size as well as by count: large answers come in smaller pages, every row once, in order", async () => {
    const big = await publishedForm(owner, orgId, scaleDefinition);
    const large = 24;
    const noteSize = 700_000;
    // 24 rows of ~700 kB (about two 8 MB pages' worth), then small ones.
    await suite.query(
      `INSERT INTO submission (id, form_id, form_version, answers)
       SELECT gen_random_uuid(), $1, 1,
              jsonb_build_object('name', 'Row ' || g, 'notes', CASE WHEN g <= $2 THEN repeat('n', $3) ELSE 'short' END)
       FROM generate_series(1, $2 + 5) AS g ORDER BY g`,
      [big.formId, large, noteSize],
    );
    // A page stops after the row that passes the byte bound, and that row says where to go on.
    const first = await runRead<{ head: string; answers: string; key: string | null }>(
      suite.stack.services.database,
      exportPageQuery(big.formId, { equals: {} }, "csv", undefined, EXPORT_PAGE),
    );
    expect(first.length).toBeLessThan(large);
    expect(first.length).toBeGreaterThan(1);
    const length = first.reduce((sum, row) => sum + row.head.length + row.answers.length, 0);
    expect(length).toBeGreaterThanOrEqual(EXPORT_PAGE_BYTES);
    expect(length).toBeLessThan(EXPORT_PAGE_BYTES + noteSize + 1000);
    expect(first.map((row) => row.key !== null)).toEqual([...Array(first.length - 1).fill(false), true]);

    const path = (format: string) => `/orgs/${orgId}/forms/${big.formId}/submissions/export?format=${format}`;
    const csv = await owner.get(path("csv"));
    expect(csv.status).toBe(200);
    const lines = csv.text.trimEnd().split("\r\n").slice(1);
    expect(lines.map((line) => line.split(",")[3])).toEqual(
      Array.from({ length: large + 5 }, (_, i) => `Row ${i + 1}`),
    );
    const notes = csvColumns(scaleDefinition).findIndex((c) => c.key === "notes") + 3;
    expect(lines.map((line) => line.split(",")[notes]?.length)).toEqual([
      ...Array(large).fill(noteSize),
      ...Array(5).fill(5),
    ]);
    // XLSX and Parquet read pages of parsed answers the same way (export-pages.ts).
    const xlsx = await owner.raw(path("xlsx"));
    expect(xlsx.status).toBe(200);
    const sheet = await zipEntry(Buffer.from(await xlsx.arrayBuffer()), "xl/worksheets/sheet1.xml");
    expect(sheet.split("<row ").length - 2).toBe(large + 5);
    const ndjson = await owner.get(path("ndjson"));
    const names = ndjson.text
      .trimEnd()
      .split("\n")
      .map((line) => (JSON.parse(line) as { answers: { name: string } }).answers.name);
    expect(names).toEqual(Array.from({ length: large + 5 }, (_, i) => `Row ${i + 1}`));
  });

  // Last: it adds a row the tests above do not expect.
  it("write a BOM, `;` and labels when asked, and refuse unknown options with a 400", async () => {
    const answers = { name: "Ana; Maria", phone: "+55 11 99999-9999", fruit: "mango", has_pet: false };
    const id = await insertSubmission(suite.query, formId, answers);
    const reply = await owner.raw(exportPath("format=csv&bom=true&separator=semicolon&values=labels"));
    expect(reply.status).toBe(200);
    // The BOM is bytes EF BB BF (text() would drop it): check the raw body.
    const bytes = new Uint8Array(await reply.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split("\r\n");
    expect(lines[0]?.startsWith("submission_id;received_at;form_version;name;email;phone")).toBe(true);
    const line = lines.find((l) => l.startsWith(id)) as string;
    const listed = await owner.get(`/orgs/${orgId}/forms/${formId}/submissions/${id}`);
    expect(line).toBe(
      `${id};${listed.body.receivedAt};1;${reference(scaleDefinition, answers, { separator: ";", labels: true })}`,
    );
    expect(line).toContain(';"Ana; Maria";;+55 11 99999-9999;');
    expect(line).toContain(";No;");
    // The default stays as before: no BOM, commas, stored values.
    const plain = (await download("csv")).split("\r\n").find((l) => l.startsWith(id)) as string;
    expect(plain.charCodeAt(0)).not.toBe(0xfeff);
    expect(plain).toContain(",false,");

    // XLSX takes the same labelled columns: a yes/no cell is the word, not a boolean.
    const xlsx = await owner.raw(exportPath("format=xlsx&values=labels"));
    expect(xlsx.status).toBe(200);
    const sheet = await zipEntry(Buffer.from(await xlsx.arrayBuffer()), "xl/worksheets/sheet1.xml");
    const row = sheet.split("<row ").find((r) => r.includes(id)) as string;
    expect(row).toContain(">No</t>");
    expect(row).toContain(">mango</t>");
    expect(row).not.toContain('t="b"');

    const bad = await owner.get(exportPath("format=csv&separator=tab&values=names"));
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.text).toContain("separator");
    expect(bad.text).toContain("values");
  });
});
