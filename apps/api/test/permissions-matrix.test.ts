import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { publishedForm, surveyDefinition } from "./support/fixtures";
import { startApi, type TestDatabase, type TestStack, testDatabase } from "./support/stack";

// Every organization-scoped route × every kind of caller → the status it must get. A route added to
// the API without a row here fails the coverage test at the bottom.

type Caller = "anonymous" | "outsider" | "viewer" | "editor" | "admin" | "owner";
const CALLERS: Caller[] = ["anonymous", "outsider", "viewer", "editor", "admin", "owner"];
const RANK: Record<Caller, number> = { anonymous: -1, outsider: 0, viewer: 1, editor: 2, admin: 3, owner: 4 };
type MinRole = "viewer" | "editor" | "admin" | "owner" | "signed-in";

interface Target {
  orgId: string;
  formId: string;
  submissionId: string;
  memberId: string;
  invitationId: string;
  token: string;
}

interface RouteCase {
  method: string;
  path: string; // OpenAPI template
  min: MinRole;
  ok: number;
  body?: (t: Target) => unknown;
  /** A fresh target for routes that consume or change what they act on. */
  fresh?: boolean;
}

const ROUTES: RouteCase[] = [
  { method: "GET", path: "/me", min: "signed-in", ok: 200 },
  { method: "POST", path: "/orgs", min: "signed-in", ok: 201, body: () => ({ name: "Another org" }) },
  { method: "GET", path: "/orgs/{orgId}", min: "viewer", ok: 200 },
  { method: "PATCH", path: "/orgs/{orgId}", min: "admin", ok: 200, body: () => ({ name: "Renamed" }) },
  { method: "DELETE", path: "/orgs/{orgId}", min: "owner", ok: 204, fresh: true },
  { method: "GET", path: "/orgs/{orgId}/members", min: "viewer", ok: 200 },
  {
    method: "PATCH",
    path: "/orgs/{orgId}/members/{userId}",
    min: "admin",
    ok: 200,
    body: () => ({ role: "editor" }),
    fresh: true,
  },
  { method: "DELETE", path: "/orgs/{orgId}/members/{userId}", min: "admin", ok: 204, fresh: true },
  { method: "GET", path: "/orgs/{orgId}/invitations", min: "admin", ok: 200 },
  {
    method: "POST",
    path: "/orgs/{orgId}/invitations",
    min: "admin",
    ok: 201,
    body: () => ({ email: `${randomUUID()}@example.com`, role: "viewer" }),
  },
  { method: "DELETE", path: "/orgs/{orgId}/invitations/{invitationId}", min: "admin", ok: 204, fresh: true },
  { method: "POST", path: "/invitations/{token}/accept", min: "signed-in", ok: 403 },
  { method: "GET", path: "/orgs/{orgId}/forms", min: "viewer", ok: 200 },
  {
    method: "POST",
    path: "/orgs/{orgId}/forms",
    min: "editor",
    ok: 201,
    body: () => ({ title: "New form" }),
  },
  { method: "GET", path: "/orgs/{orgId}/forms/{formId}", min: "viewer", ok: 200 },
  {
    method: "PUT",
    path: "/orgs/{orgId}/forms/{formId}",
    min: "editor",
    ok: 200,
    body: () => ({ title: "Renamed form" }),
  },
  { method: "POST", path: "/orgs/{orgId}/forms/{formId}/publish", min: "editor", ok: 200 },
  { method: "POST", path: "/orgs/{orgId}/forms/{formId}/close", min: "editor", ok: 200, fresh: true },
  { method: "POST", path: "/orgs/{orgId}/forms/{formId}/reopen", min: "editor", ok: 200, fresh: true },
  { method: "POST", path: "/orgs/{orgId}/forms/{formId}/duplicate", min: "editor", ok: 201 },
  { method: "DELETE", path: "/orgs/{orgId}/forms/{formId}", min: "admin", ok: 204, fresh: true },
  { method: "GET", path: "/orgs/{orgId}/forms/{formId}/submissions", min: "viewer", ok: 200 },
  { method: "GET", path: "/orgs/{orgId}/forms/{formId}/submissions/export", min: "viewer", ok: 200 },
  { method: "GET", path: "/orgs/{orgId}/forms/{formId}/summary", min: "viewer", ok: 200 },
  { method: "GET", path: "/orgs/{orgId}/forms/{formId}/submissions/{submissionId}", min: "viewer", ok: 200 },
  {
    method: "DELETE",
    path: "/orgs/{orgId}/forms/{formId}/submissions/{submissionId}",
    min: "editor",
    ok: 204,
    fresh: true,
  },
];

function expected(route: RouteCase, caller: Caller): number {
  if (caller === "anonymous") return 401;
  if (route.min === "signed-in") return route.ok;
  if (caller === "outsider") return 404;
  return RANK[caller] >= RANK[route.min] ? route.ok : 403;
}

let database: TestDatabase;
let stack: TestStack;
const clients = {} as Record<Caller, TestClient>;
const userIds = {} as Record<Caller, string>;
let shared: Target;

async function makeTarget(): Promise<Target> {
  const owner = clients.owner;
  const org = await owner.post("/orgs", { name: `Matrix ${randomUUID().slice(0, 6)}` });
  const orgId = org.body.id as string;
  for (const role of ["viewer", "editor", "admin"] as const) {
    const inv = await owner.post(`/orgs/${orgId}/invitations`, { email: `${role}@matrix.test`, role });
    const accepted = await clients[role].post(`/invitations/${inv.body.token}/accept`);
    if (accepted.status !== 200) throw new Error(accepted.text);
  }
  const { formId, slug } = await publishedForm(owner, orgId, surveyDefinition);
  const submissionId = randomUUID();
  await new TestClient(stack.url).post(`/public/forms/${slug}/submissions`, {
    id: submissionId,
    answers: { name: "Ana" },
  });
  const member = new TestClient(stack.url);
  const account = await member.signUp();
  const memberInv = await owner.post(`/orgs/${orgId}/invitations`, { email: account.email, role: "viewer" });
  await member.post(`/invitations/${memberInv.body.token}/accept`);
  // An invitation for someone else: accepting it as any signed-in caller must be refused (403).
  const pending = await owner.post(`/orgs/${orgId}/invitations`, {
    email: `${randomUUID()}@example.com`,
    role: "viewer",
  });
  return {
    orgId,
    formId,
    submissionId,
    memberId: account.userId,
    invitationId: pending.body.id,
    token: pending.body.token,
  };
}

function fill(path: string, t: Target): string {
  return path
    .replace("{orgId}", t.orgId)
    .replace("{formId}", t.formId)
    .replace("{submissionId}", t.submissionId)
    .replace("{userId}", t.memberId)
    .replace("{invitationId}", t.invitationId)
    .replace("{token}", t.token);
}

beforeAll(async () => {
  database = await testDatabase();
  stack = await startApi(database);
  for (const caller of CALLERS) clients[caller] = new TestClient(stack.url);
  userIds.owner = (await clients.owner.signUp("owner@matrix.test")).userId;
  for (const caller of ["viewer", "editor", "admin"] as const) {
    userIds[caller] = (await clients[caller].signUp(`${caller}@matrix.test`)).userId;
  }
  await clients.outsider.signUp("outsider@matrix.test");
  shared = await makeTarget();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await database?.drop();
});

describe("permission matrix", () => {
  for (const route of ROUTES) {
    it(`${route.method} ${route.path}`, async () => {
      const seen: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const caller of CALLERS) {
        const target = route.fresh ? await makeTarget() : shared;
        const body =
          route.body?.(target) ?? (route.method === "GET" || route.method === "DELETE" ? undefined : {});
        const reply = await clients[caller].request(
          route.method,
          `/backend${fill(route.path, target)}`,
          body,
        );
        seen[caller] = reply.status;
        want[caller] = expected(route, caller);
      }
      expect(seen).toEqual(want);
    });
  }

  it("covers every organization route in the OpenAPI document", async () => {
    const doc = await new TestClient(stack.url).get("/openapi.json");
    const open = new Set(["/setup", "/status", "/health/live", "/health/ready", "/invitations/{token}"]);
    const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/^\/backend/, "")}`),
      )
      .filter((key) => !key.includes(" /public/") && !open.has(key.split(" ")[1] ?? ""));
    const covered = ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(documented.sort()).toEqual([...covered].sort());
  });
});
