import { describe, expect, it } from "vitest";
import { firstOrgId } from "./support/fixtures";
import { startOwnerSuite, startSuite, useSuite } from "./support/suite";

// Each describe block has a fresh install (its own database), stopped after it.

describe("first run", () => {
  // The one test that needs an install nobody has signed up to yet has an install of its own.
  const install = useSuite(() => startSuite());

  it("makes the first account owner of a first organization", async () => {
    const anonymous = install.client();
    expect((await anonymous.get("/setup")).body).toMatchObject({ needsOwner: true, signupMode: "open" });
    const owner = install.client();
    await owner.signUp("owner@example.com", "Olga Owner");
    const me = await owner.get("/me");
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe("owner@example.com");
    expect(me.body.organizations).toHaveLength(1);
    expect(me.body.organizations[0].role).toBe("owner");
    expect((await anonymous.get("/setup")).body.needsOwner).toBe(false);

    const second = install.client();
    await second.signUp("second@example.com");
    expect((await second.get("/me")).body.organizations).toEqual([]);
  });
});

describe("accounts and organizations (open sign-up)", () => {
  // The first account owns the install; the tests below make their own accounts.
  const install = useSuite(() => startOwnerSuite());

  it("signs in and out with cookie sessions, and answers auth errors as problem+json", async () => {
    const client = install.client();
    const { email } = await client.signUp();
    await client.post("/auth/sign-out");
    expect((await client.get("/me")).status).toBe(401);
    const wrong = await client.post("/auth/sign-in/email", { email, password: "wrong-password-here" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("content-type")).toContain("application/problem+json");
    expect(wrong.body.detail).toBeTruthy();
    await client.signIn(email);
    expect((await client.get("/me")).status).toBe(200);
  });

  it("invites by link, checks the address, and joins with the invited role", async () => {
    // Its own owner and organization: no test here depends on another having run first.
    const owner = install.client();
    await owner.signUp();
    const orgId = (await owner.post("/orgs", { name: "Vera's team" })).body.id as string;
    const invite = await owner.post(`/orgs/${orgId}/invitations`, {
      email: "Vera@Example.com",
      role: "viewer",
    });
    expect(invite.status).toBe(201);
    expect(invite.body.acceptUrl).toContain(`/frontend/invite/${invite.body.token}`);
    expect(invite.body.email).toBe("vera@example.com");

    const peek = await install.client().get(`/invitations/${invite.body.token}`);
    expect(peek.body).toMatchObject({ email: "vera@example.com", role: "viewer", status: "pending" });

    const stranger = install.client();
    await stranger.signUp();
    expect((await stranger.post(`/invitations/${invite.body.token}/accept`)).status).toBe(403);

    const vera = install.client();
    await vera.signUp("vera@example.com", "Vera");
    const accepted = await vera.post(`/invitations/${invite.body.token}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ organizationId: orgId, role: "viewer" });
    // Accepting again (a double click, a second tab) answers the same result instead of an error.
    const again = await vera.post(`/invitations/${invite.body.token}/accept`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ organizationId: orgId, role: "viewer" });
    const members = await owner.get(`/orgs/${orgId}/members`);
    expect(members.body.items.map((m: { email: string }) => m.email)).toContain("vera@example.com");
    const listed = await owner.get(`/orgs/${orgId}/invitations`);
    expect(listed.body.items[0].status).toBe("accepted");
    expect(JSON.stringify(listed.body)).not.toContain(invite.body.token);
  });

  it("guards the owner role: admins cannot grant it, the last owner stays", async () => {
    const owner = install.client();
    const { userId: ownerId } = await owner.signUp();
    const org = await owner.post("/orgs", { name: "Acme Research" });
    expect(org.status).toBe(201);
    const orgId = org.body.id;
    const admin = install.client();
    const adminAccount = await admin.signUp();
    const inv = await owner.post(`/orgs/${orgId}/invitations`, { email: adminAccount.email, role: "admin" });
    await admin.post(`/invitations/${inv.body.token}/accept`);

    expect(
      (await admin.patch(`/orgs/${orgId}/members/${adminAccount.userId}`, { role: "owner" })).status,
    ).toBe(403);
    expect((await admin.delete(`/orgs/${orgId}/members/${ownerId}`)).status).toBe(403);
    const demote = await owner.patch(`/orgs/${orgId}/members/${ownerId}`, { role: "admin" });
    expect(demote.status).toBe(409);
    expect(demote.body.code).toBe("last_owner");
    // Role changes take effect at once, despite the permission cache.
    expect((await admin.get(`/orgs/${orgId}/invitations`)).status).toBe(200);
    expect(
      (await owner.patch(`/orgs/${orgId}/members/${adminAccount.userId}`, { role: "viewer" })).status,
    ).toBe(200);
    expect((await admin.get(`/orgs/${orgId}/invitations`)).status).toBe(403);
    expect(
      (await admin.patch(`/orgs/${orgId}/members/${adminAccount.userId}`, { role: "admin" })).status,
    ).toBe(403);
  });
});

describe.each([
  ["closed", 403],
  ["invite-only", 403],
])("sign-up mode %s", (mode, refused) => {
  const install = useSuite(() => startSuite({ SIGNUP_MODE: mode }));

  it("still lets the first owner in, then refuses strangers", async () => {
    const owner = install.client();
    await owner.signUp("first@example.com");
    const stranger = install.client();
    const reply = await stranger.post("/auth/sign-up/email", {
      email: "stranger@example.com",
      name: "S",
      password: "correct-horse-battery",
    });
    expect(reply.status).toBe(refused);
    expect(reply.body.code).toBe("signup_closed");

    const orgId = await firstOrgId(owner);
    await owner.post(`/orgs/${orgId}/invitations`, { email: "invited@example.com", role: "editor" });
    const invited = await install.client().post("/auth/sign-up/email", {
      email: "invited@example.com",
      name: "I",
      password: "correct-horse-battery",
    });
    expect(invited.status).toBe(mode === "invite-only" ? 200 : refused);
  });
});
