import { randomUUID } from "node:crypto";
import type { FormDefinition } from "@coleta/forms";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedCellsOf, storedCsvCells } from "../src/submissions/stored-cells";
import { anyAnswers } from "./support/any-answers";
import type { TestClient } from "./support/client";
import { publishedForm } from "./support/fixtures";
import { scaleDefinition } from "./support/scale";
import { type FormSuite, startFormSuite } from "./support/suite";

// CSV cells stored with each submission (decision 0010) are passed on by the export instead of
// being rendered from the answers. These tests pin them to what the export renders from the
// stored answers, and check that a row's cells are used only when they fit the export.

const withField = (definition: FormDefinition, field: FormDefinition["pages"][number]["fields"][number]) => {
  const changed = structuredClone(definition);
  changed.pages[0]?.fields.push(field);
  return changed;
};

describe("stored CSV cells: the stamp", () => {
  const stamp = (definition: FormDefinition) => storedCsvCells(definition)?.stamp;

  it("is of the columns and their types, not of labels or rules of validation", () => {
    const relabelled = structuredClone(scaleDefinition);
    for (const field of relabelled.pages[0]?.fields ?? []) field.label = `${field.label}!`;
    expect(stamp(relabelled)).toBe(stamp(scaleDefinition));
    expect(stamp(withField(scaleDefinition, { id: "extra", type: "short_text", label: "Extra" }))).not.toBe(
      stamp(scaleDefinition),
    );
    const retyped = structuredClone(scaleDefinition);
    const city = retyped.pages[0]?.fields.find((f) => f.id === "city");
    if (city) Object.assign(city, { type: "long_text" });
    expect(stamp(retyped)).not.toBe(stamp(scaleDefinition));
    const reordered = structuredClone(scaleDefinition);
    reordered.pages[0]?.fields.reverse();
    expect(stamp(reordered)).not.toBe(stamp(scaleDefinition));
  });

  it("is none for a form with a file field (its cells are links made at export)", () => {
    expect(storedCsvCells(withField(scaleDefinition, { id: "doc", type: "file", label: "Doc" }))).toBeNull();
    expect(storedCellsOf(scaleDefinition, { name: "x" })?.stamp).toBe(stamp(scaleDefinition));
  });

  it("leaves to the export the answers whose cell could differ once stored as jsonb", () => {
    // An object rendered as JSON (jsonb orders keys its own way), a number JSON cannot hold.
    expect(storedCellsOf(scaleDefinition, { name: { b: 1, a: 2 } })).toBeNull();
    expect(storedCellsOf(scaleDefinition, { age: Number.POSITIVE_INFINITY })).toBeNull();
    expect(storedCellsOf(scaleDefinition, { where: { lat: 1, lon: Number.NaN } })).toBeNull();
    expect(storedCellsOf(scaleDefinition, { tags: [{ name: "a" }] })).toBeNull();
    expect(
      storedCellsOf(scaleDefinition, { where: { lon: 2, lat: 1 }, tags: ["a", 1, true] }),
    ).not.toBeNull();
  });
});

describe("stored CSV cells in exports", () => {
  let suite: FormSuite, owner: TestClient, orgId: string;
  beforeAll(async () => {
    suite = await startFormSuite(scaleDefinition);
    ({ owner, orgId } = suite);
  });
  afterAll(() => suite?.stop());

  const csvOf = async (formId: string, options = "") => {
    const reply = await owner.get(`/orgs/${orgId}/forms/${formId}/submissions/export?format=csv${options}`);
    expect(reply.status).toBe(200);
    return reply.text;
  };
  /** Stores answers with their cells as the writer does, straight in the database. */
  const store = async (formId: string, answers: Record<string, unknown>, definition = scaleDefinition) => {
    const id = randomUUID();
    const csv = storedCellsOf(definition, answers);
    await suite.query(
      "INSERT INTO submission (id, form_id, form_version, answers, csv_cells, csv_stamp) VALUES ($1, $2, 1, $3::jsonb, $4, $5)",
      [id, formId, JSON.stringify(answers), csv?.cells ?? null, csv?.stamp ?? null],
    );
    return id;
  };

  it("are the cells the export renders from the stored answers, for answers of any shape", async () => {
    const { formId } = await publishedForm(owner, orgId, scaleDefinition);
    const samples = fc.sample(anyAnswers, { numRuns: 400, seed: 20261202 });
    let stored = 0;
    for (const answers of samples) {
      try {
        await store(formId, answers);
        if (storedCellsOf(scaleDefinition, answers)) stored++;
      } catch {
        // A value PostgreSQL refuses (a NUL in a string) is refused by the writer too.
      }
    }
    // Most rows take the stored path, so the comparison below is about them.
    expect(stored).toBeGreaterThan(samples.length / 3);
    const passedOn = await csvOf(formId);
    await suite.query("UPDATE submission SET csv_stamp = NULL WHERE form_id = $1", [formId]);
    expect(await csvOf(formId)).toBe(passedOn);
  });

  it("come from the route that receives submissions, and are passed on by the export", async () => {
    const { formId, slug } = await publishedForm(owner, orgId, scaleDefinition);
    const respondent = suite.client();
    const answers = {
      name: 'Ana "A", =1',
      age: 31,
      tags: ["art", "music"],
      where: { lat: -23.5, lon: -46.6 },
    };
    const id = randomUUID();
    expect((await respondent.post(`/public/forms/${slug}/submissions`, { id, answers })).status).toBe(201);
    const [row] = await suite.query<{ csv_cells: string; csv_stamp: string }>(
      "SELECT csv_cells, csv_stamp FROM submission WHERE id = $1",
      [id],
    );
    expect(row?.csv_stamp).toBe(storedCsvCells(scaleDefinition)?.stamp);
    expect(row?.csv_cells).toContain('"Ana ""A"", =1"');
    // The export passes a row's cells on as stored: marked ones show in the file.
    await suite.query("UPDATE submission SET csv_cells = 'stored,cells' WHERE id = $1", [id]);
    const line = (await csvOf(formId)).split("\r\n").find((l) => l.startsWith(id));
    expect(line).toMatch(/,stored,cells$/);
    // Other options render every row from its answers.
    for (const options of ["&separator=semicolon", "&values=labels"]) {
      const other = (await csvOf(formId, options)).split("\r\n").find((l) => l.startsWith(id));
      expect(other).not.toContain("stored");
      expect(other).toContain("Ana");
    }
  });

  it("are cleared when the answers change, and unused once the form's columns change", async () => {
    const { formId } = await publishedForm(owner, orgId, scaleDefinition);
    const changed = await store(formId, { name: "Before" });
    const kept = await store(formId, { name: "Kept" });
    await suite.query("UPDATE submission SET csv_cells = 'stale' WHERE id = $1", [kept]);
    await suite.query(`UPDATE submission SET answers = '{"name":"After"}' WHERE id = $1`, [changed]);
    const [row] = await suite.query<{ csv_cells: string | null }>(
      "SELECT csv_cells FROM submission WHERE id = $1",
      [changed],
    );
    expect(row?.csv_cells).toBeNull();
    let csv = await csvOf(formId);
    expect(csv).toContain(`${changed},`);
    expect(csv.split("\r\n").find((l) => l.startsWith(changed))).toContain(",After,");
    expect(csv.split("\r\n").find((l) => l.startsWith(kept))).toMatch(/,stale$/);
    // A stamp without cells (written by hand) is no cells: the row is rendered, not dropped.
    const bare = await store(formId, { name: "Bare" });
    await suite.query("UPDATE submission SET csv_cells = NULL WHERE id = $1", [bare]);
    expect((await csvOf(formId)).split("\r\n").find((l) => l.startsWith(bare))).toContain(",Bare,");

    // A new version with another column: the kept row's cells are of the old columns.
    const next = withField(scaleDefinition, { id: "extra", type: "short_text", label: "Extra" });
    expect((await owner.put(`/orgs/${orgId}/forms/${formId}`, { draft: next })).status).toBe(200);
    expect((await owner.post(`/orgs/${orgId}/forms/${formId}/publish`)).status).toBe(200);
    csv = await csvOf(formId);
    expect(csv.split("\r\n")[0]).toMatch(/,extra$/);
    const line = csv.split("\r\n").find((l) => l.startsWith(kept)) as string;
    expect(line).not.toContain("stale");
    expect(line).toContain(",Kept,");
    expect(line.endsWith(",")).toBe(true);
  });
});
