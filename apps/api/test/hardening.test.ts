import { randomUUID } from "node:crypto";
import type { FormDefinition } from "@coleta/forms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../src/errors/app-error";
import { SubmissionWriter } from "../src/submissions/writer";
import { TestClient } from "./support/client";
import { publishedForm, surveyDefinition } from "./support/fixtures";
import type { TestStack } from "./support/stack";
import { type FormSuite, startFormSuite } from "./support/suite";

// Each test here reproduces one way a single hostile or unlucky request used to hurt others (issue
// "Hardening"), and asserts the behaviour that replaced it.

let suite: FormSuite, stack: TestStack, owner: TestClient, orgId: string, formId: string, slug: string;
beforeAll(async () => {
  suite = await startFormSuite();
  ({ stack, owner, orgId, formId, slug } = suite);
});
afterAll(() => suite?.stop());

const submit = (
  client: TestClient,
  formSlug: string,
  answers: Record<string, unknown>,
  id: string = randomUUID(),
) => client.post(`/public/forms/${formSlug}/submissions`, { id, answers });

const rows = async (sql: string, params: unknown[] = []) =>
  stack.services.database.query<Record<string, unknown>>(sql, params);

async function member(role: "viewer" | "editor" | "admin" | "owner", org = orgId) {
  const client = new TestClient(stack.url);
  const { email, userId } = await client.signUp();
  const invite = await owner.post(`/orgs/${org}/invitations`, { email, role });
  expect(invite.status).toBe(201);
  expect((await client.post(`/invitations/${invite.body.token}/accept`)).status).toBe(200);
  return { client, userId, email };
}

describe("text that cannot be stored never fails anyone else", () => {
  it("answers 422 for NUL and lone surrogates while every other submission in the same batch is stored", async () => {
    const respondent = new TestClient(stack.url);
    const other = await publishedForm(owner, orgId, { ...surveyDefinition, title: "Other form" });
    const bad = ["Ana\u0000", "\ud800", "x\udc00y"];
    const requests = Array.from({ length: 60 }, (_, i) =>
      i % 6 === 0
        ? submit(respondent, slug, { name: bad[i % bad.length] })
        : submit(respondent, i % 2 ? slug : other.slug, { name: `person ${i}` }),
    );
    const replies = await Promise.all(requests);
    const refused = replies.filter((_, i) => i % 6 === 0);
    const innocent = replies.filter((_, i) => i % 6 !== 0);
    expect(innocent.map((r) => r.status)).toEqual(innocent.map(() => 201));
    for (const reply of refused) {
      expect(reply.status).toBe(422);
      expect(reply.headers.get("content-type")).toContain("application/problem+json");
      expect(reply.body.errors[0]).toMatchObject({ path: "answers.name", code: "invalid_text" });
    }
  });

  it("splits a failing group commit so only the row that cannot be stored fails", async () => {
    // Straight at the writer, past the HTTP guard: the safety net for any value Postgres refuses.
    const writer = new SubmissionWriter(stack.services.database, 200);
    const write = (answers: Record<string, unknown>) =>
      writer.write({ id: randomUUID(), formId, formVersion: 1, answers, point: null });
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => write({ name: i === 17 ? "bad\u0000" : `ok ${i}` })),
    );
    const failed = results.flatMap((r, i) => (r.status === "rejected" ? [{ i, reason: r.reason }] : []));
    expect(failed.map((f) => f.i)).toEqual([17]);
    expect(failed[0]?.reason).toBeInstanceOf(AppError);
    expect((failed[0] as { reason: AppError }).reason.status).toBe(422);
    await writer.drain();
  });

  it("refuses unstorable text in every body, path and query with a 4xx, never a 500", async () => {
    const badName = { name: "Org\u0000" };
    expect((await owner.post("/orgs", badName)).status).toBe(422);
    expect((await owner.post("/orgs", { name: "\udfff" })).status).toBe(422);
    expect((await owner.post(`/orgs/${orgId}/forms`, { title: "T\u0000" })).status).toBe(422);
    const labelled: FormDefinition = structuredClone(surveyDefinition);
    const fruit = labelled.pages[0]?.fields[2] as unknown as { options: { value: string; label: string }[] };
    fruit.options[0] = { value: "apple", label: "Ap\u0000ple" };
    const put = await owner.put(`/orgs/${orgId}/forms/${formId}`, { draft: labelled });
    expect(put.status).toBe(422);
    expect(put.body.errors[0].path).toMatch(/^draft\.pages\.0\.fields\.2\.options\.0\.label$/);
    const anon = new TestClient(stack.url);
    for (const path of [
      "/public/forms/%00",
      "/public/forms/a%ED%A0%80b",
      "/public/forms/%E0%A4%A",
      `/orgs/${orgId}/forms/${formId}/submissions?field.name=%00`,
    ]) {
      const reply = await owner.get(path);
      expect(reply.status, path).toBe(400);
      expect(reply.body.code, path).toBe("malformed_url");
    }
    expect((await anon.request("GET", "/frontend/%E0%A4%A")).status).toBe(400);
    const signUp = await anon.post("/auth/sign-up/email", {
      email: "nul@example.com",
      name: "N\u0000",
      password: "correct-horse-battery",
    });
    expect(signUp.status).toBe(422);
    const longName = await anon.post("/auth/sign-up/email", {
      email: "long@example.com",
      name: "n".repeat(5000),
      password: "correct-horse-battery",
    });
    expect(longName.status).toBe(422);
  });

  it("refuses dates PostgreSQL cannot hold, impossible dates and reversed ranges in filters", async () => {
    for (const query of [
      "from=0000-01-01",
      "to=%2B275760-09-13",
      "from=2026-02-31",
      "from=99999-01-01",
      "from=2026-01-01T25:00",
      "from=2026-03-01&to=2026-02-01",
    ]) {
      const reply = await owner.get(`/orgs/${orgId}/forms/${formId}/submissions?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.body.errors?.length, query).toBeGreaterThan(0);
    }
    expect((await owner.get(`/orgs/${orgId}/forms/${formId}/submissions?from=0001-01-01`)).status).toBe(200);
    expect((await owner.get(`/orgs/${orgId}/forms/${formId}/summary?to=9999-12-31`)).status).toBe(200);
  });
});

describe("an editor-set pattern cannot freeze the process", () => {
  it("checks catastrophic-backtracking patterns in linear time", async () => {
    const definition: FormDefinition = {
      schemaVersion: 1,
      title: "Patterns",
      pages: [
        {
          id: "p1",
          fields: [
            { id: "a", type: "short_text", label: "A", pattern: "(a|a)*b", maxLength: 5000 },
            { id: "b", type: "short_text", label: "B", pattern: "(a|aa)*c", maxLength: 5000 },
          ],
        },
      ],
    };
    const form = await publishedForm(owner, orgId, definition);
    const started = performance.now();
    const reply = await submit(new TestClient(stack.url), form.slug, {
      a: "a".repeat(4000),
      b: "a".repeat(4000),
    });
    const elapsed = performance.now() - started;
    expect(reply.status).toBe(422);
    expect(reply.body.errors.map((e: { code: string }) => e.code)).toEqual(["pattern", "pattern"]);
    // A backtracking engine needs ~2^4000 steps here; linear time is milliseconds. The bound is
    // generous so a busy CI machine cannot make it flaky.
    expect(elapsed).toBeLessThan(5_000);
  });
});

describe("ids are canonical", () => {
  it("accepts upper-case submission ids and answers their retries with the same receipt", async () => {
    const respondent = new TestClient(stack.url);
    const id = randomUUID().toUpperCase();
    const first = await submit(respondent, slug, { name: "Upper" }, id);
    expect(first.status).toBe(201);
    expect(first.body.id).toBe(id.toLowerCase());
    const retry = await submit(respondent, slug, { name: "Upper" }, id);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ ...first.body, duplicate: true });
    const lower = await submit(respondent, slug, { name: "Upper" }, id.toLowerCase());
    expect(lower.status).toBe(200);
    expect((await owner.get(`/orgs/${orgId}/forms/${formId}/submissions/${id}`)).status).toBe(200);
  });

  it("forgets a removed member's role under every spelling of the organization id", async () => {
    const { client, userId } = await member("editor");
    const upper = orgId.toUpperCase();
    // Warm the role cache through the upper-case spelling, then remove the member.
    expect((await client.get(`/orgs/${upper}`)).status).toBe(200);
    expect((await owner.delete(`/orgs/${orgId}/members/${userId}`)).status).toBe(204);
    expect((await client.post(`/orgs/${upper}/forms`, { title: "Should not exist" })).status).toBe(404);
    expect((await client.get(`/orgs/${upper}/forms`)).status).toBe(404);
  });

  it("forgets a demoted admin's role under every spelling of the organization id", async () => {
    const { client, userId } = await member("admin");
    const upper = orgId.toUpperCase();
    expect((await client.get(`/orgs/${upper}/invitations`)).status).toBe(200);
    expect((await owner.patch(`/orgs/${orgId}/members/${userId}`, { role: "viewer" })).status).toBe(200);
    const invite = await client.post(`/orgs/${upper}/invitations`, { email: "x@example.com", role: "admin" });
    expect(invite.status).toBe(403);
  });
});

describe("a retry of a stored id gets its original receipt, whatever happened since", () => {
  it("after answers change, a new version adds a required field, the form closes, and the submission is erased", async () => {
    const form = await publishedForm(owner, orgId, { ...surveyDefinition, title: "Retries" });
    const respondent = new TestClient(stack.url);
    const id = randomUUID();
    const first = await submit(respondent, form.slug, { name: "Original" }, id);
    expect(first.status).toBe(201);
    const same = { ...first.body, duplicate: true };

    const changed = await submit(respondent, form.slug, { name: "Changed" }, id);
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual(same);
    const stored = await owner.get(`/orgs/${orgId}/forms/${form.formId}/submissions/${id}`);
    expect(stored.body.answers).toEqual({ name: "Original" });

    const v2: FormDefinition = structuredClone(surveyDefinition);
    v2.pages[0]?.fields.push({ id: "required_now", type: "short_text", label: "New", required: true });
    expect((await owner.put(`/orgs/${orgId}/forms/${form.formId}`, { draft: v2 })).status).toBe(200);
    expect((await owner.post(`/orgs/${orgId}/forms/${form.formId}/publish`)).status).toBe(200);
    const afterVersion = await submit(respondent, form.slug, { name: "Original" }, id);
    expect(afterVersion.status).toBe(200);
    expect(afterVersion.body).toEqual(same);
    expect((await submit(respondent, form.slug, { name: "New person" })).status).toBe(422);

    expect((await owner.post(`/orgs/${orgId}/forms/${form.formId}/close`)).status).toBe(200);
    const afterClose = await submit(respondent, form.slug, { name: "Original" }, id);
    expect(afterClose.status).toBe(200);
    expect(afterClose.body).toEqual(same);
    expect((await submit(respondent, form.slug, { name: "Late" })).status).toBe(410);

    expect((await owner.post(`/orgs/${orgId}/forms/${form.formId}/reopen`)).status).toBe(200);
    expect((await owner.delete(`/orgs/${orgId}/forms/${form.formId}/submissions/${id}`)).status).toBe(204);
    const afterErase = await submit(
      respondent,
      form.slug,
      { name: "Original", required_now: "yes" },
      id.toUpperCase(),
    );
    expect(afterErase.status).toBe(200);
    expect(afterErase.body).toEqual(same);
    expect((await owner.get(`/orgs/${orgId}/forms/${form.formId}/submissions/${id}`)).status).toBe(404);
    const tombstone = await rows("SELECT * FROM submission_tombstone WHERE id = $1", [id]);
    expect(tombstone).toHaveLength(1);
    // Only the id, the form and the times: nothing the respondent wrote.
    expect(Object.keys(tombstone[0] ?? {}).sort()).toEqual(["erased_at", "form_id", "id", "received_at"]);
    expect(await rows("SELECT id FROM submission WHERE id = $1", [id])).toHaveLength(0);
  });
});

describe("owner invariants under concurrency", () => {
  it("never leaves an organization without an owner when two owners demote or remove each other at once", async () => {
    for (let round = 0; round < 8; round++) {
      const created = await owner.post("/orgs", { name: `Race ${round}` });
      const org = created.body.id as string;
      const other = await member("owner", org);
      const me = (await owner.get("/me")).body.user.id as string;
      const [a, b] =
        round % 2 === 0
          ? await Promise.all([
              owner.patch(`/orgs/${org}/members/${other.userId}`, { role: "viewer" }),
              other.client.patch(`/orgs/${org}/members/${me}`, { role: "viewer" }),
            ])
          : await Promise.all([
              owner.delete(`/orgs/${org}/members/${other.userId}`),
              other.client.delete(`/orgs/${org}/members/${me}`),
            ]);
      for (const reply of [a, b]) expect([200, 204, 403, 404, 409]).toContain(reply.status);
      const owners = await rows(
        "SELECT user_id FROM membership WHERE organization_id = $1 AND role = 'owner'",
        [org],
      );
      expect(owners.length, `round ${round}: ${a.status} ${b.status}`).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("invitations", () => {
  it("accepts one invitation concurrently without a 500, and refuses to revoke an accepted one", async () => {
    const client = new TestClient(stack.url);
    const { email } = await client.signUp();
    const invite = await owner.post(`/orgs/${orgId}/invitations`, { email, role: "viewer" });
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => client.post(`/invitations/${invite.body.token}/accept`)),
    );
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
    const memberships = await rows(
      'SELECT role FROM membership m JOIN "user" u ON u.id = m.user_id WHERE u.email = $1',
      [email],
    );
    expect(memberships).toHaveLength(1);
    const revoke = await owner.delete(`/orgs/${orgId}/invitations/${invite.body.id}`);
    expect(revoke.status).toBe(409);
    const listed = await owner.get(`/orgs/${orgId}/invitations`);
    const row = listed.body.items.find((i: { id: string }) => i.id === invite.body.id);
    expect(row.status).toBe("accepted");

    const pending = await owner.post(`/orgs/${orgId}/invitations`, {
      email: "later@example.com",
      role: "viewer",
    });
    expect((await owner.delete(`/orgs/${orgId}/invitations/${pending.body.id}`)).status).toBe(204);
    expect((await owner.delete(`/orgs/${orgId}/invitations/${pending.body.id}`)).status).toBe(204);
  });
});
