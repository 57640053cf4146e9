import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppEnv } from "../src/context";
import { errorHandler } from "../src/http/errors";
import { createOrganizationWithOwner } from "../src/orgs/service";
import type { TestClient } from "./support/client";
import type { TestStack } from "./support/stack";
import { type OwnerSuite, startOwnerSuite } from "./support/suite";

// Organizations, members and invitations through the real API and database. Each test makes the
// accounts it needs; only the owner (the first account) is shared, created in beforeAll.

let suite: OwnerSuite, stack: TestStack, owner: TestClient, ownerId: string, orgId: string;
beforeAll(async () => {
  suite = await startOwnerSuite({ email: "orgs-owner@example.com", name: "Olga Owner" });
  ({ stack, owner, ownerId, orgId } = suite);
});
afterAll(() => suite?.stop());

/** A new account that accepted an invitation to the owner's organization with `role`. */
async function member(role: "viewer" | "editor" | "admin") {
  const client = suite.client();
  const { email, userId } = await client.signUp();
  const invite = await owner.post(`/orgs/${orgId}/invitations`, { email, role });
  expect((await client.post(`/invitations/${invite.body.token}/accept`)).status).toBe(200);
  return { client, userId };
}

describe("unique link names", () => {
  it("answers 409 slug_taken on the slug field when a form's link name is in use", async () => {
    const first = await owner.post(`/orgs/${orgId}/forms`, { title: "Census", slug: "census-2026" });
    expect(first.status).toBe(201);
    const again = await owner.post(`/orgs/${orgId}/forms`, { title: "Other", slug: "census-2026" });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    expect(again.body.code).toBe("slug_taken");
    expect(again.body.errors).toEqual([expect.objectContaining({ path: "slug", code: "slug_taken" })]);
    const other = await owner.post(`/orgs/${orgId}/forms`, { title: "Other" });
    const renamed = await owner.put(`/orgs/${orgId}/forms/${other.body.id}`, { slug: "census-2026" });
    expect(renamed.status).toBe(409);
    expect(renamed.body.code).toBe("slug_taken");
  });

  it("answers an organization slug collision with 409 organization_slug_taken, not 500, and creates nothing", async () => {
    // The slug is random, so the collision is forced through the service with the error handler
    // every route uses; the database's own unique violation is what gets mapped.
    const { db } = stack.services.database;
    const app = new Hono<AppEnv>();
    app.post("/orgs", async (c) => {
      const org = await createOrganizationWithOwner(db, { name: "Twin", slug: "twin-collision" }, ownerId);
      return c.json({ id: org.id }, 201);
    });
    app.onError(errorHandler(stack.services));
    expect((await app.request("/orgs", { method: "POST" })).status).toBe(201);
    const collision = await app.request("/orgs", { method: "POST" });
    expect(collision.status).toBe(409);
    expect(collision.headers.get("content-type")).toContain("application/problem+json");
    expect(((await collision.json()) as { code: string }).code).toBe("organization_slug_taken");
    const twins = await stack.services.database.query<{ id: string }>(
      "SELECT id FROM organization WHERE name = 'Twin'",
    );
    expect(twins).toHaveLength(1);
  });
});

describe("invitations that are no longer pending", () => {
  it("a revoked invitation shows as revoked and cannot be accepted", async () => {
    const invitee = suite.client();
    const { email } = await invitee.signUp();
    const invite = await owner.post(`/orgs/${orgId}/invitations`, { email, role: "editor" });
    expect((await owner.delete(`/orgs/${orgId}/invitations/${invite.body.id}`)).status).toBe(204);
    expect((await invitee.get(`/invitations/${invite.body.token}`)).body.status).toBe("revoked");
    const accept = await invitee.post(`/invitations/${invite.body.token}/accept`);
    expect(accept.status).toBe(409);
    expect(accept.body.code).toBe("invitation_revoked");
    expect((await invitee.get("/me")).body.organizations).toEqual([]);
    expect((await invitee.get(`/orgs/${orgId}`)).status).toBe(404);
  });

  it("an expired invitation shows as expired, cannot be accepted, and can still be revoked", async () => {
    const invitee = suite.client();
    const { email } = await invitee.signUp();
    const invite = await owner.post(`/orgs/${orgId}/invitations`, { email, role: "viewer" });
    await stack.services.database.query(
      "UPDATE invitation SET expires_at = now() - interval '1 minute' WHERE id = $1",
      [invite.body.id],
    );
    expect((await invitee.get(`/invitations/${invite.body.token}`)).body.status).toBe("expired");
    const listed = await owner.get(`/orgs/${orgId}/invitations`);
    expect(listed.body.items.find((i: { id: string }) => i.id === invite.body.id).status).toBe("expired");
    const accept = await invitee.post(`/invitations/${invite.body.token}/accept`);
    expect(accept.status).toBe(409);
    expect(accept.body.code).toBe("invitation_expired");
    expect((await invitee.get("/me")).body.organizations).toEqual([]);
    expect((await owner.delete(`/orgs/${orgId}/invitations/${invite.body.id}`)).status).toBe(204);
    expect((await invitee.get(`/invitations/${invite.body.token}`)).body.status).toBe("revoked");
  });
});

describe("organization lifecycle", () => {
  it("renames, lists members by name, and on delete every member loses access at once", async () => {
    const other = suite.client();
    await other.signUp();
    const created = await other.post("/orgs", { name: "Short-lived" });
    expect(created.status).toBe(201);
    expect(created.body.role).toBe("owner");
    const shortLivedId = created.body.id as string;
    const viewer = suite.client();
    const { email } = await viewer.signUp();
    const invite = await other.post(`/orgs/${shortLivedId}/invitations`, { email, role: "viewer" });
    await viewer.post(`/invitations/${invite.body.token}/accept`);

    const renamed = await other.patch(`/orgs/${shortLivedId}`, { name: "Renamed org" });
    expect(renamed.body.name).toBe("Renamed org");
    const members = await viewer.get(`/orgs/${shortLivedId}/members`);
    expect(members.body.items.map((m: { role: string }) => m.role).sort()).toEqual(["owner", "viewer"]);
    // The viewer's role is now cached; the delete must drop that entry for every member.
    expect((await viewer.get(`/orgs/${shortLivedId}`)).status).toBe(200);
    expect((await other.delete(`/orgs/${shortLivedId}`)).status).toBe(204);
    expect((await viewer.get(`/orgs/${shortLivedId}`)).status).toBe(404);
    expect((await other.get(`/orgs/${shortLivedId}`)).status).toBe(404);
    const memberships = await stack.services.database.query(
      "SELECT 1 FROM membership WHERE organization_id = $1",
      [shortLivedId],
    );
    expect(memberships).toEqual([]);
  });

  it("changes a member's role and removes a member, refreshing their access", async () => {
    const { client, userId } = await member("viewer");
    expect((await client.post(`/orgs/${orgId}/forms`, { title: "Nope" })).status).toBe(403);
    const changed = await owner.patch(`/orgs/${orgId}/members/${userId}`, { role: "editor" });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ userId, role: "editor" });
    expect((await client.post(`/orgs/${orgId}/forms`, { title: "Now allowed" })).status).toBe(201);
    expect((await owner.delete(`/orgs/${orgId}/members/${userId}`)).status).toBe(204);
    expect((await client.get(`/orgs/${orgId}`)).status).toBe(404);
  });
});
