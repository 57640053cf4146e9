import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { firstOrgId } from "./support/fixtures";
import { startApi, type TestDatabase, type TestStack, testDatabase } from "./support/stack";

/** A fresh install (its own database) for each describe block, stopped after it. */
function freshInstall(env: Record<string, string> = {}) {
  const install = {} as { database: TestDatabase; stack: TestStack };
  beforeAll(async () => {
    install.database = await testDatabase();
    install.stack = await startApi(install.database, env);
  });
  afterAll(async () => {
    await install.stack?.stop();
    await install.database?.drop();
  });
  return install;
}

describe("first run", () => {
  // The one test that needs an install nobody has signed up to yet has an install of its own.
  const install = freshInstall();

  it("makes the first account owner of a first organization", async () => {
    const { stack } = install;
    const anonymous = new TestClient(stack.url);
    expect((await anonymous.get("/setup")).body).toMatchObject({ needsOwner: true, signupMode: "open" });
    const owner = new TestClient(stack.url);
    await owner.signUp("owner@example.com", "Olga Owner");
    const me = await owner.get("/me");
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe("owner@example.com");
    expect(me.body.organizations).toHaveLength(1);
    expect(me.body.organizations[0].role).toBe("owner");
    expect((await anonymous.get("/setup")).body.needsOwner).toBe(false);

    const second = new TestClient(stack.url);
    await second.signUp("second@example.com");
    expect((await second.get("/me")).body.organizations).toEqual([]);
  });
});

describe("accounts and organizations (open sign-up)", () => {
  let database: TestDatabase;
  let stack: TestStack;
  beforeAll(async () => {
    database = await testDatabase();
    stack = await startApi(database);
    // The first account owns the install; the tests below make their own accounts.
    await new TestClient(stack.url).signUp();
  });
  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  it("signs in and out with cookie sessions, and answers auth errors as problem+json", async () => {
    const client = new TestClient(stack.url);
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
    const owner = new TestClient(stack.url);
    await owner.signUp();
    const orgId = (await owner.post("/orgs", { name: "Vera's team" })).body.id as string;
    const invite = await owner.post(`/orgs/${orgId}/invitations`, {
      email: "Vera@Example.com",
      role: "viewer",
    });
    expect(invite.status).toBe(201);
    expect(invite.body.acceptUrl).toContain(`/frontend/invite/${invite.body.token}`);
    expect(invite.body.email).toBe("vera@example.com");

    const peek = await new TestClient(stack.url).get(`/invitations/${invite.body.token}`);
    expect(peek.body).toMatchObject({ email: "vera@example.com", role: "viewer", status: "pending" });

    const stranger = new TestClient(stack.url);
    await stranger.signUp();
    expect((await stranger.post(`/invitations/${invite.body.token}/accept`)).status).toBe(403);

    const vera = new TestClient(stack.url);
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
    const owner = new TestClient(stack.url);
    const { userId: ownerId } = await owner.signUp();
    const org = await owner.post("/orgs", { name: "Acme Research" });
    expect(org.status).toBe(201);
    const orgId = org.body.id;
    const admin = new TestClient(stack.url);
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
  const install = freshInstall({ SIGNUP_MODE: mode });

  it("still lets the first owner in, then refuses strangers", async () => {
    const { stack } = install;
    const owner = new TestClient(stack.url);
    await owner.signUp("first@example.com");
    const stranger = new TestClient(stack.url);
    const reply = await stranger.post("/auth/sign-up/email", {
      email: "stranger@example.com",
      name: "S",
      password: "correct-horse-battery",
    });
    expect(reply.status).toBe(refused);
    expect(reply.body.code).toBe("signup_closed");

    const orgId = await firstOrgId(owner);
    await owner.post(`/orgs/${orgId}/invitations`, { email: "invited@example.com", role: "editor" });
    const invited = await new TestClient(stack.url).post("/auth/sign-up/email", {
      email: "invited@example.com",
      name: "I",
      password: "correct-horse-battery",
    });
    expect(invited.status).toBe(mode === "invite-only" ? 200 : refused);
  });
});
