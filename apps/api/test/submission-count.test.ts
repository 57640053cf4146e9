import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "../src/db/migrate";
import { SubmissionWriter } from "../src/submissions/writer";
import type { TestClient } from "./support/client";
import { publishedForm, surveyDefinition } from "./support/fixtures";
import type { TestDatabase, TestStack } from "./support/stack";
import { type OwnerSuite, startOwnerSuite } from "./support/suite";

// form.submission_count replaces a count(*) per form in the forms list and GET form. It must equal
// the rows in `submission` after anything the API (or anyone) does: concurrent batches sharing
// forms, retries of one id racing each other, ids erased and then retried, a new form version,
// a batch split around a value the database refuses.

let suite: OwnerSuite, database: TestDatabase, stack: TestStack, owner: TestClient, orgId: string;
let respondent: TestClient;
const forms: { formId: string; slug: string }[] = [];

beforeAll(async () => {
  suite = await startOwnerSuite();
  ({ database, stack, owner, orgId } = suite);
  respondent = suite.client();
  for (let i = 0; i < 3; i++) forms.push(await publishedForm(owner, orgId));
});
afterAll(() => suite?.stop());

const submit = (slug: string, answers: Record<string, unknown>, id: string = randomUUID()) =>
  respondent.post(`/public/forms/${slug}/submissions`, { id, answers });

/** Every form's counter as the API shows it (list and GET form), next to count(*). */
async function expectExactCounts() {
  const rows = await stack.services.database.query<{ id: string; n: number }>(
    "SELECT f.id, (SELECT count(*)::int FROM submission s WHERE s.form_id = f.id) AS n FROM form f",
  );
  const actual = new Map(rows.map((r) => [r.id, r.n]));
  const list = await owner.get<{ items: { id: string; submissionCount: number }[] }>(`/orgs/${orgId}/forms`);
  expect(list.status).toBe(200);
  for (const item of list.body.items) expect(item.submissionCount, item.id).toBe(actual.get(item.id));
  for (const { formId } of forms) {
    const one = await owner.get<{ submissionCount: number }>(`/orgs/${orgId}/forms/${formId}`);
    expect(one.body.submissionCount).toBe(actual.get(formId));
  }
  return actual;
}

describe("submissionCount", () => {
  it("is exact under concurrent batches over several forms, racing retries and refused rows", async () => {
    const [a, b, c] = forms as [(typeof forms)[0], (typeof forms)[0], (typeof forms)[0]];
    const retried = Array.from({ length: 20 }, () => randomUUID());
    const requests: Promise<{ status: number }>[] = [];
    for (let i = 0; i < 240; i++) {
      const form = [a, b, c][i % 3] as (typeof forms)[0];
      if (i % 12 === 0)
        requests.push(submit(form.slug, { name: "x".repeat(41) })); // 422
      else if (i % 4 === 1) requests.push(submit(a.slug, { name: "retry" }, retried[i % 20]));
      else requests.push(submit(form.slug, { name: `person ${i}` }));
    }
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const counts = await expectExactCounts();
    expect((counts.get(a.formId) ?? 0) + (counts.get(b.formId) ?? 0) + (counts.get(c.formId) ?? 0)).toBe(
      statuses.filter((s) => s === 201).length,
    );
  });

  it("is exact when batches written at once share forms in every order (no deadlock, no lost increment)", async () => {
    // Straight at the group-commit writer: batches of up to 25 rows over three forms, four in
    // flight, duplicates of one id inside a batch, and one value the database refuses.
    const writer = new SubmissionWriter(stack.services.database, 25, 4);
    const ids = Array.from({ length: 400 }, () => randomUUID());
    const writes = ids.map((id, i) => {
      // Every tenth write repeats the id (and form) of the one before it, in the same batch.
      const repeat = i % 10 === 5;
      const form = forms[((repeat ? i - 1 : i) * 7) % 3] as (typeof forms)[0];
      const name = i === 123 ? "bad\u0000" : `w${i}`;
      return writer.write({
        id: repeat ? (ids[i - 1] as string) : id,
        formId: form.formId,
        formVersion: 1,
        answers: { name },
        point: null,
      });
    });
    const results = await Promise.allSettled(writes);
    await writer.drain();
    const failed = results.flatMap((r, i) => (r.status === "rejected" ? [i] : []));
    expect(failed).toEqual([123]);
    const created = results.filter((r) => r.status === "fulfilled" && r.value.created).length;
    expect(created).toBe(400 - 40 - 1);
    await expectExactCounts();
  });

  it("is exact after erasures, erased ids retried, and a new version of the form", async () => {
    const form = forms[0] as (typeof forms)[0];
    const ids = Array.from({ length: 12 }, () => randomUUID());
    for (const id of ids) expect((await submit(form.slug, { name: "to erase" }, id)).status).toBe(201);
    const before = (await expectExactCounts()).get(form.formId) ?? 0;
    // Erase half, twice at once each (one 204, one 404), while retries of the same ids arrive
    // (a retry meeting the erasure mid-commit is the next test's case).
    const erased = ids.slice(0, 6);
    const racing = await Promise.all(
      erased.flatMap((id) => [
        owner.delete(`/orgs/${orgId}/forms/${form.formId}/submissions/${id}`),
        owner.delete(`/orgs/${orgId}/forms/${form.formId}/submissions/${id}`),
        submit(form.slug, { name: "to erase" }, id),
      ]),
    );
    const deletes = racing.filter((_, i) => i % 3 !== 2).map((r) => r.status);
    expect(deletes.filter((s) => s === 204)).toHaveLength(6);
    expect(deletes.filter((s) => s === 404)).toHaveLength(6);
    // An erased id retried later stays erased: receipt, no row, no count.
    for (const id of erased) expect((await submit(form.slug, { name: "to erase" }, id)).status).toBe(200);
    expect((await expectExactCounts()).get(form.formId)).toBe(before - 6);

    // A new version: old rows still count, new ones add to the same counter.
    const draft = {
      ...surveyDefinition,
      pages: [
        {
          ...surveyDefinition.pages[0],
          fields: [
            ...(surveyDefinition.pages[0]?.fields ?? []),
            { id: "extra", type: "short_text", label: "Extra" },
          ],
        },
      ],
    };
    expect((await owner.put(`/orgs/${orgId}/forms/${form.formId}`, { draft })).status).toBe(200);
    const published = await owner.post(`/orgs/${orgId}/forms/${form.formId}/publish`);
    expect(published.body.version).toBe(2);
    const [v2] = await Promise.all([
      submit(form.slug, { name: "v2", extra: "yes" }),
      submit(form.slug, { name: "v2 again" }),
      submit(form.slug, { name: "retry after the new version" }, ids[8]),
    ]);
    expect(v2.status).toBe(201);
    expect((await expectExactCounts()).get(form.formId)).toBe(before - 6 + 2);
  });

  it("keeps an id erased when its retry arrives while the erasure is committing", async () => {
    // Needs a second connection holding the erasure open: only with a real PostgreSQL.
    if (database.kind !== "postgres" || !database.env.DATABASE_URL) return;
    const form = forms[1] as (typeof forms)[0];
    const id = randomUUID();
    expect((await submit(form.slug, { name: "racing erasure" }, id)).status).toBe(201);
    const before = (await expectExactCounts()).get(form.formId) ?? 0;
    const eraser = new pg.Client({ connectionString: database.env.DATABASE_URL });
    await eraser.connect();
    try {
      await eraser.query("BEGIN");
      await eraser.query(
        `WITH erased AS (DELETE FROM submission WHERE id = $1 RETURNING id, form_id, received_at)
         INSERT INTO submission_tombstone (id, form_id, received_at) SELECT id, form_id, received_at FROM erased`,
        [id],
      );
      // The retry's INSERT reaches the row being erased and waits for the erasure to end.
      const retry = submit(form.slug, { name: "racing erasure" }, id);
      let waiting = 0;
      for (let i = 0; i < 200 && waiting === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const [blocked] = (
          await eraser.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO submission %'`,
          )
        ).rows;
        waiting = blocked?.n ?? 0;
      }
      expect(waiting).toBe(1);
      await eraser.query("COMMIT");
      const reply = await retry;
      expect(reply.status).toBe(200);
      expect(reply.body.duplicate).toBe(true);
    } finally {
      await eraser.end();
    }
    const [row] = await stack.services.database.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM submission WHERE id = $1",
      [id],
    );
    expect(row?.n).toBe(0);
    expect((await expectExactCounts()).get(form.formId)).toBe(before - 1);
  });

  it("counts rows stored before the upgrade (the migration's recount)", async () => {
    const db = stack.services.database;
    const form = forms[2] as (typeof forms)[0];
    await db.query("UPDATE form SET submission_count = 0");
    const migration = readFileSync(join(migrationsFolder(), "0003_data_at_scale.sql"), "utf8");
    const recount =
      migration
        .split("--> statement-breakpoint")
        .find((statement) => statement.includes("SET submission_count = c.n")) ?? "";
    expect(recount).toContain('UPDATE "form"');
    await db.query(recount);
    const counts = await expectExactCounts();
    expect(counts.get(form.formId)).toBeGreaterThan(0);
  });

  it("follows bulk statements and a deleted form", async () => {
    const db = stack.services.database;
    const form = forms[1] as (typeof forms)[0];
    await db.query(
      `INSERT INTO submission (id, form_id, form_version, answers)
       SELECT gen_random_uuid(), $1, 1, '{"name":"bulk"}' FROM generate_series(1, 500)`,
      [form.formId],
    );
    await expectExactCounts();
    await db.query(`DELETE FROM submission WHERE form_id = $1 AND answers @> '{"name":"bulk"}'`, [
      form.formId,
    ]);
    await expectExactCounts();
    const spare = await publishedForm(owner, orgId);
    await submit(spare.slug, { name: "gone with the form" });
    expect((await owner.delete(`/orgs/${orgId}/forms/${spare.formId}`)).status).toBe(204);
    await expectExactCounts();
  });
});
