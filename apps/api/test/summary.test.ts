import { randomUUID } from "node:crypto";
import { allFields, type FormDefinition } from "@coleta/forms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/client";
import { queryRows, type SQL, sql } from "../src/db/sql";
import { selectedSubmissions } from "../src/submissions/filter-sql";
import { parseFilters, type SubmissionFilters } from "../src/submissions/filters";
import { summarize } from "../src/submissions/summary";
import { TestClient } from "./support/client";
import { scaleDefinition, seedPoint, seedSubmissions } from "./support/scale";
import type { TestStack } from "./support/stack";
import { type FormSuite, startFormSuite } from "./support/suite";

// The summary now reads tallies the writing statements keep (submission_rollup), or counts the
// filtered rows in one pass. Its answer must be exactly what the summary always answered: the
// per-field queries below are the previous implementation, kept as the reference.

const CHOICE_TYPES = new Set(["single_choice", "dropdown", "yes_no", "consent"]);

async function referenceSummary(
  database: Database,
  formId: string,
  definition: FormDefinition,
  filters: SubmissionFilters,
) {
  const where = selectedSubmissions(formId, filters);
  const rows = <T>(statement: SQL) => queryRows<T>(database, statement);
  const all = allFields(definition);
  const answeredColumns = all.map(
    (f, i) => sql`, count(*) FILTER (WHERE answers ? ${f.id})::int AS ${sql.identifier(`a${i}`)}`,
  );
  const [counts] = await rows<Record<string, number>>(
    sql`SELECT count(*)::int AS total ${sql.join(answeredColumns)} FROM submission WHERE ${where}`,
  );
  const fields = [];
  for (const [i, field] of all.entries()) {
    const summary: Record<string, unknown> = {
      fieldId: field.id,
      type: field.type,
      answered: Number(counts?.[`a${i}`] ?? 0),
    };
    const key = field.id;
    const grouped = async (statement: SQL) =>
      Object.fromEntries((await rows<{ v: string; n: number }>(statement)).map((r) => [r.v, r.n]));
    if (CHOICE_TYPES.has(field.type)) {
      summary.counts = await grouped(
        sql`SELECT answers->>${key} AS v, count(*)::int AS n FROM submission WHERE ${where} AND answers ? ${key} GROUP BY 1`,
      );
    } else if (field.type === "multiple_choice") {
      summary.counts = await grouped(
        sql`SELECT e.v, count(*)::int AS n
            FROM submission, jsonb_array_elements_text(CASE WHEN jsonb_typeof(answers->${key}) = 'array' THEN answers->${key} ELSE '[]'::jsonb END) AS e(v)
            WHERE ${where} GROUP BY 1`,
      );
    } else if (field.type === "number" || field.type === "rating") {
      const numbers = sql`FROM submission WHERE ${where} AND jsonb_typeof(answers->${key}) = 'number'`;
      const [stats] = await rows<{ min: number | null; max: number | null; mean: number | null }>(
        sql`SELECT min((answers->>${key})::float8) AS min, max((answers->>${key})::float8) AS max, avg((answers->>${key})::float8) AS mean ${numbers}`,
      );
      if (stats && stats.min !== null && stats.max !== null && stats.mean !== null) {
        summary.stats = { min: Number(stats.min), max: Number(stats.max), mean: Number(stats.mean) };
      }
      summary.histogram = await grouped(
        sql`SELECT v, n FROM (SELECT (answers->>${key}) AS v, count(*)::int AS n ${numbers} GROUP BY 1) AS g
            ORDER BY v::float8 LIMIT 200`,
      );
    } else if (field.type === "geopoint") {
      const points = await rows<{ lat: number; lon: number }>(
        sql`SELECT (answers->${key}->>'lat')::float8 AS lat, (answers->${key}->>'lon')::float8 AS lon
            FROM submission WHERE ${where} AND jsonb_typeof(answers->${key}) = 'object'
            ORDER BY received_at DESC, seq DESC LIMIT 5000`,
      );
      summary.points = points.map((p) => ({ lat: Number(p.lat), lon: Number(p.lon) }));
    }
    fields.push(summary);
  }
  return { total: Number(counts?.total ?? 0), fields };
}

/** Means are floats summed in another order: equal to 12 significant digits. */
const comparable = (summary: { total: number; fields: object[] }) => ({
  ...summary,
  fields: summary.fields.map((f: { stats?: { mean: number } }) => {
    const stats = f.stats;
    return stats ? { ...f, stats: { ...stats, mean: Number(stats.mean.toPrecision(12)) } } : f;
  }),
});

let suite: FormSuite, stack: TestStack, owner: TestClient, orgId: string, formId: string, slug: string;

const definitionOf = async (id: string) =>
  (await owner.get(`/orgs/${orgId}/forms/${id}`)).body.published as FormDefinition;

async function expectSameAsReference(id: string, query: Record<string, string[]> = {}) {
  const definition = await definitionOf(id);
  const filters = parseFilters(query, definition);
  const db = stack.services.database;
  const [actual, wanted] = [
    await summarize(db, id, definition, filters),
    await referenceSummary(db, id, definition, filters),
  ];
  expect(comparable(actual)).toEqual(comparable(wanted));
  // And what the route answers is this summary.
  const qs = new URLSearchParams(
    Object.entries(query).flatMap(([k, values]) => values.map((v): [string, string] => [k, v])),
  ).toString();
  const reply = await owner.get(`/orgs/${orgId}/forms/${id}/summary${qs ? `?${qs}` : ""}`);
  expect(comparable(reply.body)).toEqual(comparable(wanted));
  return actual;
}

const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
const point = seedPoint(77);
const FILTERS: Record<string, string[]>[] = [
  {},
  { from: [day(200)], to: [day(20)] },
  { "field.fruit": ["pear"] },
  { "field.tags": ["art"], "field.has_pet": ["true"] },
  { near: [`${point.lat},${point.lon},400000`] },
  { "field.fruit": ["pear", "apple"], "field.tags": ["art", "tech"] },
  { "contains.notes": ["VISIT 12"], "contains.name": ["son 1"] },
];

beforeAll(async () => {
  suite = await startFormSuite(scaleDefinition);
  ({ stack, owner, orgId, formId, slug } = suite);
  await seedSubmissions(suite.query, formId, 3000);
  // Stored answers no version of this form would accept, as older versions or other writers left.
  const awkward: Record<string, unknown>[] = [
    { fruit: null, age: "forty", income: 12.0, rating: null, tags: ["art", null, { name: "x" }, 7] },
    { fruit: ["apple", "pear"], colour: 5, has_pet: "yes", tags: "art", where: { lat: 1 } },
    { fruit: { odd: true }, consent: false, age: -0.5, household: 1e21, tags: [] },
    { status: "", age: 1.5e-7, rating: 5, where: [1, 2] },
    {},
  ];
  for (const answers of awkward) {
    await suite.query(
      "INSERT INTO submission (id, form_id, form_version, answers) VALUES (gen_random_uuid(), $1, 1, $2::jsonb)",
      [formId, JSON.stringify(answers)],
    );
  }
}, 300_000);
afterAll(() => suite?.stop());

describe("summary", () => {
  it.each(FILTERS.map((f) => [JSON.stringify(f), f] as const))(
    "is the same as before, filters %s",
    async (_, query) => {
      await expectSameAsReference(formId, query);
    },
  );

  it("stays exact under concurrent submissions and erasures", async () => {
    const respondent = new TestClient(stack.url);
    const ids = Array.from({ length: 120 }, () => randomUUID());
    const sent = await Promise.all(
      ids.map((id, i) =>
        respondent.post(`/public/forms/${slug}/submissions`, {
          id,
          answers: {
            name: `Concurrent ${i}`,
            fruit: ["apple", "mango"][i % 2],
            age: i % 7,
            rating: 1 + (i % 5),
            tags: i % 3 === 0 ? ["art"] : ["music", "books"],
            has_pet: i % 2 === 0,
            where: { ...seedPoint(i), accuracy: 3 },
          },
        }),
      ),
    );
    expect(sent.map((r) => r.status)).toEqual(sent.map(() => 201));
    const [erasures] = await Promise.all([
      Promise.all(
        ids.slice(0, 40).map((id) => owner.delete(`/orgs/${orgId}/forms/${formId}/submissions/${id}`)),
      ),
      // Rows erased straight in the database as well, while others arrive.
      stack.services.database.query(
        `DELETE FROM submission WHERE form_id = $1 AND id IN (
           SELECT id FROM submission WHERE form_id = $1 AND answers @> '{"fruit":"grape"}' LIMIT 100)`,
        [formId],
      ),
      Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          respondent.post(`/public/forms/${slug}/submissions`, {
            id: randomUUID(),
            answers: { name: `late ${i}`, age: 100 },
          }),
        ),
      ),
    ]);
    expect(erasures.map((r) => r.status)).toEqual(erasures.map(() => 204));
    for (const query of FILTERS) await expectSameAsReference(formId, query);
  });

  it("stays exact after a new version turns a text field into a choice and adds a number", async () => {
    const current = await definitionOf(formId);
    const [page] = current.pages;
    const fields = (page?.fields ?? []).map((f) =>
      f.id === "comment"
        ? {
            id: "comment",
            type: "single_choice" as const,
            label: "Comment",
            options: [{ value: "Call back", label: "Call back" }],
          }
        : f,
    );
    fields.push({ id: "score", type: "number", label: "Score" });
    const draft = { ...current, pages: [{ ...page, id: page?.id ?? "p1", fields }] };
    expect((await owner.put(`/orgs/${orgId}/forms/${formId}`, { draft })).status).toBe(200);
    expect((await owner.post(`/orgs/${orgId}/forms/${formId}/publish`)).status).toBe(200);
    const respondent = new TestClient(stack.url);
    for (let i = 0; i < 5; i++) {
      await respondent.post(`/public/forms/${slug}/submissions`, {
        id: randomUUID(),
        answers: { name: `v2 ${i}`, score: i * 10, comment: "Call back" },
      });
    }
    const summary = await expectSameAsReference(formId);
    const comment = summary.fields.find((f) => f.fieldId === "comment");
    // The 300 "Call back" texts stored before the change are counted as the choice they now are.
    expect(comment?.counts?.["Call back"]).toBeGreaterThanOrEqual(300);
    for (const query of FILTERS) await expectSameAsReference(formId, query);
  });

  it("reads a fixed number of statements whatever the number of fields, the tallies from submission_rollup", async () => {
    const db = stack.services.database;
    const small: FormDefinition = {
      schemaVersion: 1,
      title: "Small",
      pages: [
        {
          id: "p1",
          fields: [
            {
              id: "fruit",
              type: "single_choice",
              label: "Fruit",
              options: [{ value: "pear", label: "Pear" }],
            },
          ],
        },
      ],
    };
    const counted = async (definition: FormDefinition, query: Record<string, string[]>) => {
      const original = db.query.bind(db);
      const originalTransaction = db.db.transaction.bind(db.db);
      const statements: string[] = [];
      db.query = (async (text: string, params?: unknown[]) => {
        statements.push(text);
        return original(text, params);
      }) as typeof db.query;
      db.db.transaction = (async (...args: Parameters<typeof originalTransaction>) => {
        statements.push("transaction");
        return originalTransaction(...args);
      }) as typeof db.db.transaction;
      try {
        await summarize(db, formId, definition, parseFilters(query, definition));
      } finally {
        db.query = original;
        db.db.transaction = originalTransaction;
      }
      return statements;
    };
    const big = await definitionOf(formId);
    const queries: Record<string, string[]>[] = [{}, { "field.fruit": ["pear"] }];
    for (const query of queries) {
      expect((await counted(big, query)).length).toBe((await counted(small, query)).length + 1); // + geopoints
    }
    const unfiltered = await counted(big, {});
    expect(unfiltered).toHaveLength(2);
    expect(unfiltered[0]).toContain("FROM submission_rollup");
    expect(unfiltered[0]).not.toMatch(/FROM submission\b(?!_)/);
  });

  it("counts the rows of a definition whose fields the tallies do not track", async () => {
    // A draft that was never published: nothing tracks its fields, so the summary counts rows.
    const draftOnly = (
      await owner.post(`/orgs/${orgId}/forms`, { title: "Draft", definition: scaleDefinition })
    ).body.id;
    await seedSubmissions((text, params) => stack.services.database.query(text, params), draftOnly, 300);
    const definition = (await owner.get(`/orgs/${orgId}/forms/${draftOnly}`)).body.draft as FormDefinition;
    const db = stack.services.database;
    expect(comparable(await summarize(db, draftOnly, definition, { equals: {} }))).toEqual(
      comparable(await referenceSummary(db, draftOnly, definition, { equals: {} })),
    );
  });
});
