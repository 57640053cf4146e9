import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { surveyDefinition } from "./support/fixtures";
import type { TestStack } from "./support/stack";
import { type OwnerSuite, startOwnerSuite } from "./support/suite";

let suite: OwnerSuite, stack: TestStack, owner: TestClient, orgId: string;
beforeAll(async () => {
  suite = await startOwnerSuite();
  ({ stack, owner, orgId } = suite);
});
afterAll(() => suite?.stop());

describe("forms", () => {
  it("creates a draft, saves it, and refuses an invalid definition with per-field errors", async () => {
    const created = await owner.post(`/orgs/${orgId}/forms`, { title: "Household survey" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "draft", publishedVersion: null, submissionCount: 0 });
    expect(created.body.slug).toMatch(/^household-survey-[0-9a-f]{6}$/);

    const bad = structuredClone(surveyDefinition) as any;
    bad.pages[0].fields[1].min = 200; // min > max
    bad.pages[0].fields.push({ id: "name", type: "email", label: "Duplicate id" });
    const rejected = await owner.put(`/orgs/${orgId}/forms/${created.body.id}`, { draft: bad });
    expect(rejected.status).toBe(422);
    const paths = rejected.body.errors.map((e: { path: string }) => e.path);
    expect(paths.every((p: string) => p.startsWith("draft."))).toBe(true);
    expect(paths.length).toBeGreaterThanOrEqual(2);

    const saved = await owner.put(`/orgs/${orgId}/forms/${created.body.id}`, { draft: surveyDefinition });
    expect(saved.status).toBe(200);
    expect(saved.body.title).toBe("Field survey");
    expect(saved.body.draft.pages[0].fields).toHaveLength(6);
  });

  it("publishes immutable versions and tracks unpublished changes", async () => {
    const { body: form } = await owner.post(`/orgs/${orgId}/forms`, {
      title: "Versioned",
      definition: surveyDefinition,
    });
    const empty = await owner.post(`/orgs/${orgId}/forms`, { title: "Empty" });
    expect((await owner.post(`/orgs/${orgId}/forms/${empty.body.id}/publish`)).status).toBe(422);

    const v1 = await owner.post(`/orgs/${orgId}/forms/${form.id}/publish`);
    expect(v1.body.version).toBe(1);
    const changed = structuredClone(surveyDefinition);
    changed.pages[0]?.fields.push({ id: "extra", type: "long_text", label: "Anything else?" });
    const edited = await owner.put(`/orgs/${orgId}/forms/${form.id}`, { draft: changed });
    expect(edited.body).toMatchObject({
      status: "published",
      publishedVersion: 1,
      hasUnpublishedChanges: true,
    });

    const publicV1 = await new TestClient(stack.url).get(`/public/forms/${form.slug}`);
    expect(publicV1.body.version).toBe(1);
    expect(publicV1.body.definition.pages[0].fields.map((f: { id: string }) => f.id)).not.toContain("extra");

    const v2 = await owner.post(`/orgs/${orgId}/forms/${form.id}/publish`);
    expect(v2.body.version).toBe(2);
    const publicV2 = await new TestClient(stack.url).get(`/public/forms/${form.slug}`);
    expect(publicV2.body.version).toBe(2);
    const after = await owner.get(`/orgs/${orgId}/forms/${form.id}`);
    expect(after.body.hasUnpublishedChanges).toBe(false);
    expect(after.body.published.pages[0].fields.map((f: { id: string }) => f.id)).toContain("extra");
  });

  it("keeps slugs unique, closes and reopens, duplicates and deletes", async () => {
    const a = await owner.post(`/orgs/${orgId}/forms`, {
      title: "A",
      slug: "my-census",
      definition: surveyDefinition,
    });
    expect(a.status).toBe(201);
    const clash = await owner.post(`/orgs/${orgId}/forms`, { title: "B", slug: "my-census" });
    expect(clash.status).toBe(409);
    expect(clash.body.errors[0].path).toBe("slug");
    const badSlug = await owner.post(`/orgs/${orgId}/forms`, { title: "C", slug: "Not OK!" });
    expect(badSlug.status).toBe(422);

    expect((await owner.post(`/orgs/${orgId}/forms/${a.body.id}/close`)).status).toBe(409); // still a draft
    await owner.post(`/orgs/${orgId}/forms/${a.body.id}/publish`);
    const anonymous = new TestClient(stack.url);
    expect((await anonymous.get("/public/forms/my-census")).status).toBe(200);
    const closed = await owner.post(`/orgs/${orgId}/forms/${a.body.id}/close`);
    expect(closed.body.status).toBe("closed");
    const gone = await anonymous.get("/public/forms/my-census");
    expect(gone.status).toBe(410);
    expect(gone.body.code).toBe("form_closed");
    const refused = await anonymous.post("/public/forms/my-census/submissions", {
      id: crypto.randomUUID(),
      answers: { name: "Late" },
    });
    expect(refused.status).toBe(410);
    await owner.post(`/orgs/${orgId}/forms/${a.body.id}/reopen`);
    expect((await anonymous.get("/public/forms/my-census")).status).toBe(200);

    const copy = await owner.post(`/orgs/${orgId}/forms/${a.body.id}/duplicate`);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ status: "draft", title: "A (copy)" });
    expect(copy.body.slug).not.toBe("my-census");

    expect((await owner.delete(`/orgs/${orgId}/forms/${a.body.id}`)).status).toBe(204);
    expect((await anonymous.get("/public/forms/my-census")).status).toBe(404);
    const list = await owner.get(`/orgs/${orgId}/forms`);
    expect(list.body.items.map((f: { id: string }) => f.id)).not.toContain(a.body.id);
  });
});
