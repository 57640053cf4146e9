import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XLSX_MAX_CELL } from "../src/submissions/xlsx";
import type { TestClient } from "./support/client";
import { insertSubmission } from "./support/fixtures";
import { scaleDefinition, seedSubmissions } from "./support/scale";
import { type FormSuite, startFormSuite } from "./support/suite";

// The XLSX export, read back by an independent implementation (ExcelJS): every row in order, typed
// cells (numbers, booleans, a real date), the questions as headers, and text that XML cannot carry
// or Excel cannot hold made safe instead of producing a file Excel refuses.

const ROWS = 3_000;
let suite: FormSuite, owner: TestClient, orgId: string, formId: string;
const tricky = randomUUID();
const long = randomUUID();

const query = <T>(text: string, params?: unknown[]) => suite.query<T>(text, params);

beforeAll(async () => {
  suite = await startFormSuite(scaleDefinition);
  ({ owner, orgId, formId } = suite);
  await seedSubmissions(query, formId, ROWS, { chunk: 1_500 });
  // Stored by older versions or other writers: text the edge refuses today may still be in rows.
  const odd = { name: '=1+1 & <b>bold</b> \u0007bell "quoted" 🎉\nsecond line', age: -3.25 };
  await insertSubmission(query, formId, odd, { id: tricky });
  await insertSubmission(query, formId, { name: "x".repeat(40_000), has_pet: false }, { id: long });
}, 300_000);
afterAll(() => suite?.stop());

async function download(
  params = "",
): Promise<{ status: number; type: string | null; sheet: ExcelJS.Worksheet }> {
  const reply = await owner.raw(`/orgs/${orgId}/forms/${formId}/submissions/export?format=xlsx${params}`);
  const bytes = Buffer.from(await reply.arrayBuffer());
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error("no worksheet");
  return { status: reply.status, type: reply.headers.get("content-type"), sheet };
}

const values = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1);

describe("XLSX export", () => {
  it("has every submission, oldest first, with the questions as headers", async () => {
    const { status, type, sheet } = await download();
    expect(status).toBe(200);
    expect(type).toContain("spreadsheetml.sheet");
    expect(sheet.rowCount).toBe(ROWS + 2 + 1);
    const header = values(sheet, 1);
    expect(header.slice(0, 3)).toEqual(["submission_id", "received_at", "form_version"]);
    expect(header).toContain("Name");
    expect(header).toContain("Where (latitude)");
    const ids = await query<{ id: string }>(
      "SELECT id FROM submission WHERE form_id = $1 ORDER BY received_at, seq",
      [formId],
    );
    const exported: string[] = [];
    sheet.eachRow((row, index) => {
      if (index > 1) exported.push(String((row.values as unknown[])[1]));
    });
    expect(exported).toEqual(ids.map((r) => r.id));
  });

  it("types the cells: numbers, booleans, dates, text", async () => {
    const { sheet } = await download();
    const header = values(sheet, 1) as string[];
    const column = (label: string) => header.indexOf(label) + 1;
    const [seeded] = await query<{ id: string; received_at: Date; answers: Record<string, any> }>(
      "SELECT id, received_at, answers FROM submission WHERE form_id = $1 ORDER BY received_at, seq LIMIT 1",
      [formId],
    );
    if (!seeded) throw new Error("no rows");
    const row = sheet.getRow(2);
    expect(row.getCell(1).value).toBe(seeded.id);
    const received = row.getCell(2).value as Date;
    expect(received).toBeInstanceOf(Date);
    expect(Math.abs(received.getTime() - seeded.received_at.getTime())).toBeLessThan(2);
    expect(row.getCell(3).value).toBe(1);
    expect(row.getCell(column("Age")).value).toBe(seeded.answers.age);
    expect(typeof row.getCell(column("Has a pet?")).value).toBe("boolean");
    expect(row.getCell(column("Where (latitude)")).value).toBe(seeded.answers.where.lat);
    expect(row.getCell(column("Name")).value).toBe(seeded.answers.name);
  });

  it("keeps hostile and oversized text readable and inert", async () => {
    const { sheet } = await download();
    const header = values(sheet, 1) as string[];
    const name = header.indexOf("Name") + 1;
    const rows = new Map<string, ExcelJS.Row>();
    sheet.eachRow((row) => rows.set(String(row.getCell(1).value), row));
    const odd = rows.get(tricky);
    // Inline strings are never formulas; XML's forbidden characters become U+FFFD.
    expect(odd?.getCell(name).value).toBe('=1+1 & <b>bold</b> \uFFFDbell "quoted" 🎉\nsecond line');
    expect(odd?.getCell(header.indexOf("Age") + 1).value).toBe(-3.25);
    const cut = String(rows.get(long)?.getCell(name).value);
    expect(cut).toHaveLength(XLSX_MAX_CELL);
    expect(cut.endsWith("…")).toBe(true);
  });

  it("applies the list's filters", async () => {
    const { sheet } = await download("&field.fruit=pear");
    const [{ n } = { n: -1 }] = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM submission WHERE form_id = $1 AND answers @> '{"fruit":"pear"}'`,
      [formId],
    );
    expect(sheet.rowCount).toBe(n + 1);
  });
});
