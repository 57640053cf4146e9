import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SubmissionWriter } from "../src/submissions/writer";
import type { TestClient } from "./support/client";
import { publishedForm, surveyDefinition } from "./support/fixtures";
import type { TestStack } from "./support/stack";
import { type OwnerSuite, startOwnerSuite } from "./support/suite";

// The insert triggers append each statement's additions to submission_rollup_delta instead of
// adding them to shared rows (so concurrent batches of one form never wait for each other), and
// submission_rollup_fold() moves them into form.submission_count and submission_rollup. Counts and
// tallies must stay exact whatever runs at once: batches, folds racing each other, and a publish
// that starts tracking a field while batches are being written.

let suite: OwnerSuite, stack: TestStack, owner: TestClient, orgId: string;
beforeAll(async () => {
  suite = await startOwnerSuite();
  ({ stack, owner, orgId } = suite);
});
afterAll(() => suite?.stop());

/** Rows where the stored tallies (folded + deltas) differ from counting the form's submissions. */
async function tallyDifferences(formId: string) {
  return stack.services.database.query<{ field_id: string; kind: string; value: string }>(
    `WITH tracked AS (
       SELECT coalesce(array_agg(field_id) FILTER (WHERE kind = 'value'), '{}') AS valued,
              coalesce(array_agg(field_id) FILTER (WHERE kind = 'element'), '{}') AS listed
       FROM submission_rollup_field WHERE form_id = $1
     ), expected AS (
       SELECT x.field_id, x.kind, x.type, x.value, count(*) AS n
       FROM submission s CROSS JOIN tracked
       CROSS JOIN LATERAL submission_rollup_rows(s.answers, true, tracked.valued, tracked.listed) AS x
       WHERE s.form_id = $1 GROUP BY 1, 2, 3, 4
     ), actual AS (
       SELECT field_id, kind, type, value, sum(n) AS n FROM (
         SELECT field_id, kind, type, value, n FROM submission_rollup WHERE form_id = $1
         UNION ALL
         SELECT field_id, kind, type, value, n FROM submission_rollup_delta WHERE form_id = $1 AND kind <> 'count'
       ) AS t GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0
     )
     SELECT coalesce(e.field_id, a.field_id) AS field_id, coalesce(e.kind, a.kind) AS kind,
            coalesce(e.value, a.value) AS value
     FROM expected e FULL JOIN actual a USING (field_id, kind, type, value)
     WHERE e.n IS DISTINCT FROM a.n`,
    [formId],
  );
}

async function countDifference(formId: string) {
  const [row] = await stack.services.database.query<{ stored: number; actual: number }>(
    `SELECT (f.submission_count + coalesce((SELECT sum(n) FROM submission_rollup_delta d
                                            WHERE d.form_id = f.id AND d.kind = 'count'), 0))::int AS stored,
            (SELECT count(*) FROM submission s WHERE s.form_id = f.id)::int AS actual
     FROM form f WHERE f.id = $1`,
    [formId],
  );
  return row;
}

const deltaRows = async (formId: string) =>
  Number(
    (
      await stack.services.database.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM submission_rollup_delta WHERE form_id = $1",
        [formId],
      )
    )[0]?.n,
  );

describe("count and tally deltas", () => {
  it("stay exact under concurrent batches, racing folds and a publish that starts tracking a field", async () => {
    const a = await publishedForm(owner, orgId);
    const b = await publishedForm(owner, orgId);
    const writer = new SubmissionWriter(stack.services.database, 10, 4);
    const names = ["ana", "bia", "caio"];
    const write = (formId: string, i: number) =>
      writer.write({
        id: randomUUID(),
        formId,
        formVersion: 1,
        answers: { name: names[i % 3], age: i % 7, fruit: i % 2 ? "pear" : "apple", has_pet: i % 3 === 0 },
        point: null,
      });
    let writing = true;
    // Folds of both forms, several at once, for as long as the batches run.
    const folds = (async () => {
      let folded = 0;
      while (writing) {
        const results = await Promise.all(
          [a, b, a].map(({ formId }) =>
            stack.services.database.query<{ n: string }>("SELECT submission_rollup_fold($1) AS n", [formId]),
          ),
        );
        folded += results.reduce((sum, [row]) => sum + Number(row?.n ?? 0), 0);
      }
      return folded;
    })();
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) writes.push(write(a.formId, i), write(b.formId, i));
    // Meanwhile a new version makes `name` a choice: the tallies start counting its values, the
    // rows already stored by the publish's count, the later ones by their own statements.
    const draft = {
      ...surveyDefinition,
      pages: [
        {
          ...surveyDefinition.pages[0],
          fields: (surveyDefinition.pages[0]?.fields ?? []).map((f) =>
            f.id === "name"
              ? {
                  id: "name",
                  type: "single_choice" as const,
                  label: "Name",
                  options: names.map((n) => ({ value: n, label: n })),
                }
              : f,
          ),
        },
      ],
    };
    expect((await owner.put(`/orgs/${orgId}/forms/${a.formId}`, { draft })).status).toBe(200);
    const publishing = owner.post(`/orgs/${orgId}/forms/${a.formId}/publish`);
    for (let i = 300; i < 600; i++) writes.push(write(a.formId, i), write(b.formId, i));
    expect((await publishing).status).toBe(200);
    await Promise.all(writes);
    await writer.drain();
    writing = false;
    expect(await folds).toBeGreaterThan(0);

    for (const { formId } of [a, b]) {
      expect(await countDifference(formId)).toEqual({ stored: 600, actual: 600 });
      expect(await tallyDifferences(formId)).toEqual([]);
    }
    const tracked = await stack.services.database.query<{ n: number }>(
      `SELECT sum(n)::int AS n FROM (
         SELECT n FROM submission_rollup WHERE form_id = $1 AND field_id = 'name' AND kind = 'value' AND value = 'ana'
         UNION ALL
         SELECT n FROM submission_rollup_delta WHERE form_id = $1 AND field_id = 'name' AND kind = 'value' AND value = 'ana'
       ) AS t`,
      [a.formId],
    );
    expect(tracked[0]?.n).toBe(200);

    // Erasures are deltas too; a fold moves everything and changes no total.
    await stack.services.database.query(
      "DELETE FROM submission WHERE id IN (SELECT id FROM submission WHERE form_id = $1 LIMIT 25)",
      [b.formId],
    );
    expect(await countDifference(b.formId)).toEqual({ stored: 575, actual: 575 });
    await stack.services.database.query("SELECT submission_rollup_fold($1)", [b.formId]);
    expect(await deltaRows(b.formId)).toBe(0);
    expect(await countDifference(b.formId)).toEqual({ stored: 575, actual: 575 });
    expect(await tallyDifferences(b.formId)).toEqual([]);
  });

  it("are folded by the writer about once a second, so readers add up only a few", async () => {
    const form = await publishedForm(owner, orgId);
    const writer = new SubmissionWriter(stack.services.database, 5, 2);
    const write = () =>
      writer.write({
        id: randomUUID(),
        formId: form.formId,
        formVersion: 1,
        answers: { name: "x" },
        point: null,
      });
    // The first batch folds at once (nothing folded yet); the next ones within the second do not.
    await Promise.all(Array.from({ length: 40 }, write));
    await writer.drain();
    expect(await deltaRows(form.formId)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1_100));
    await write();
    await writer.drain();
    expect(await deltaRows(form.formId)).toBe(0);
    expect(await countDifference(form.formId)).toEqual({ stored: 41, actual: 41 });
  });
});
