import { randomUUID } from "node:crypto";
import { withFields } from "@coleta/forms/testing";
import { ACTION_ROLE, ACTIONS, type Action, ROLES, type Role, roleAtLeast } from "@coleta/permissions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestClient } from "./support/client";
import { publishedForm, surveyDefinition } from "./support/fixtures";
import { type ApiSuite, startSuite } from "./support/suite";
import { png, uploadFile } from "./support/uploads";

// Every organization-scoped route × every kind of caller → the status it must get. Each route names
// its action; the role it needs comes from @coleta/permissions (the table the API enforces and the
// web gates its controls with). A route added to the API without a row here fails the coverage test
// at the bottom, and an action no route uses fails the one before it.

type Caller = "anonymous" | "outsider" | Role;
const CALLERS: Caller[] = ["anonymous", "outsider", ...ROLES];

interface Target {
  orgId: string;
  formId: string;
  submissionId: string;
  memberId: string;
  invitationId: string;
  token: string;
}

interface RouteCase {
  /** The action the route performs, or "signed-in" for routes open to every signed-in user. */
  action: Action | "signed-in";
  ok: number;
  body?: (t: Target) => unknown;
  /** A fresh target for routes that consume or change what they act on. */
  fresh?: boolean;
}

/** Every route, keyed `METHOD path` (the OpenAPI template) as the coverage tests list them. */
const ROUTES: Record<string, RouteCase> = {
  "GET /me": { action: "signed-in", ok: 200 },
  "POST /orgs": { action: "signed-in", ok: 201, body: () => ({ name: "Another org" }) },
  "GET /orgs/{orgId}": { action: "org.view", ok: 200 },
  "PATCH /orgs/{orgId}": { action: "org.rename", ok: 200, body: () => ({ name: "Renamed" }) },
  "DELETE /orgs/{orgId}": { action: "org.delete", ok: 204, fresh: true },
  "GET /orgs/{orgId}/members": { action: "members.view", ok: 200 },
  "PATCH /orgs/{orgId}/members/{userId}": {
    action: "members.manage",
    ok: 200,
    body: () => ({ role: "editor" }),
    fresh: true,
  },
  "DELETE /orgs/{orgId}/members/{userId}": { action: "members.manage", ok: 204, fresh: true },
  "GET /orgs/{orgId}/invitations": { action: "invitations.manage", ok: 200 },
  "POST /orgs/{orgId}/invitations": {
    action: "invitations.manage",
    ok: 201,
    body: () => ({ email: `${randomUUID()}@example.com`, role: "viewer" }),
  },
  "DELETE /orgs/{orgId}/invitations/{invitationId}": { action: "invitations.manage", ok: 204, fresh: true },
  "POST /invitations/{token}/accept": { action: "signed-in", ok: 403 },
  "GET /orgs/{orgId}/forms": { action: "forms.view", ok: 200 },
  "POST /orgs/{orgId}/forms": { action: "form.create", ok: 201, body: () => ({ title: "New form" }) },
  "GET /orgs/{orgId}/forms/{formId}": { action: "forms.view", ok: 200 },
  "PUT /orgs/{orgId}/forms/{formId}": {
    action: "form.edit",
    ok: 200,
    body: () => ({ title: "Renamed form" }),
  },
  "POST /orgs/{orgId}/forms/{formId}/publish": { action: "form.publish", ok: 200 },
  "POST /orgs/{orgId}/forms/{formId}/close": { action: "form.close", ok: 200, fresh: true },
  "POST /orgs/{orgId}/forms/{formId}/reopen": { action: "form.close", ok: 200, fresh: true },
  "POST /orgs/{orgId}/forms/{formId}/duplicate": { action: "form.duplicate", ok: 201 },
  "DELETE /orgs/{orgId}/forms/{formId}": { action: "form.delete", ok: 204, fresh: true },
  "GET /orgs/{orgId}/forms/{formId}/submissions": { action: "submissions.view", ok: 200 },
  "GET /orgs/{orgId}/forms/{formId}/submissions/export": { action: "submissions.view", ok: 200 },
  "GET /orgs/{orgId}/forms/{formId}/summary": { action: "submissions.view", ok: 200 },
  "GET /orgs/{orgId}/forms/{formId}/submissions/map": { action: "submissions.view", ok: 200 },
  "GET /orgs/{orgId}/forms/{formId}/submissions/{submissionId}": { action: "submissions.view", ok: 200 },
  "DELETE /orgs/{orgId}/forms/{formId}/submissions/{submissionId}": {
    action: "submission.delete",
    ok: 204,
    fresh: true,
  },
  "GET /orgs/{orgId}/forms/{formId}/submissions/{submissionId}/files/{fieldId}": {
    action: "submissions.view",
    ok: 200,
  },
  "GET /orgs/{orgId}/forms/{formId}/submissions/{submissionId}/files/{fieldId}/{index}": {
    action: "submissions.view",
    ok: 200,
  },
  "GET /orgs/{orgId}/forms/{formId}/submissions/export.zip": { action: "submissions.view", ok: 200 },
};

// The survey plus a file question, so the file routes have a file to serve.
const matrixDefinition = withFields(surveyDefinition, { id: "photo", type: "file", label: "Photo" });

function expected(route: RouteCase, caller: Caller): number {
  if (caller === "anonymous") return 401;
  if (route.action === "signed-in") return route.ok;
  if (caller === "outsider") return 404;
  return roleAtLeast(caller, ACTION_ROLE[route.action]) ? route.ok : 403;
}

let suite: ApiSuite;
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
  const { formId, slug } = await publishedForm(owner, orgId, matrixDefinition);
  const photo = await uploadFile(suite.stack.url, slug, png());
  const submissionId = randomUUID();
  const answers = { name: "Ana", photo: [{ uploadId: photo.body.id }] };
  const submitted = await suite.client().submit(slug, answers, submissionId);
  if (submitted.status !== 201) throw new Error(submitted.text);
  const member = suite.client();
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

function methodAndPath(key: string): { method: string; path: string } {
  const [method = "", path = ""] = key.split(" ");
  return { method, path };
}

function fill(path: string, t: Target): string {
  return path
    .replace("{orgId}", t.orgId)
    .replace("{formId}", t.formId)
    .replace("{submissionId}", t.submissionId)
    .replace("{userId}", t.memberId)
    .replace("{invitationId}", t.invitationId)
    .replace("{token}", t.token)
    .replace("{fieldId}", "photo")
    .replace("{index}", "0");
}

beforeAll(async () => {
  suite = await startSuite();
  for (const caller of CALLERS) clients[caller] = suite.client();
  userIds.owner = (await clients.owner.signUp("owner@matrix.test")).userId;
  for (const caller of ["viewer", "editor", "admin"] as const) {
    userIds[caller] = (await clients[caller].signUp(`${caller}@matrix.test`)).userId;
  }
  await clients.outsider.signUp("outsider@matrix.test");
  shared = await makeTarget();
}, 180_000);

afterAll(() => suite?.stop());

describe("permission matrix", () => {
  for (const [key, route] of Object.entries(ROUTES)) {
    it(key, async () => {
      const { method, path } = methodAndPath(key);
      const seen: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const caller of CALLERS) {
        const target = route.fresh ? await makeTarget() : shared;
        const body = route.body?.(target) ?? (method === "GET" || method === "DELETE" ? undefined : {});
        const reply = await clients[caller].request(method, `/backend${fill(path, target)}`, body);
        seen[caller] = reply.status;
        want[caller] = expected(route, caller);
      }
      expect(seen).toEqual(want);
    });
  }

  it("checks every action of the shared permission table on some route", () => {
    const checked = new Set(Object.values(ROUTES).map((r) => r.action));
    expect(ACTIONS.filter((action) => !checked.has(action))).toEqual([]);
  });

  it("covers every organization route in the OpenAPI document", async () => {
    const doc = await suite.client().get("/openapi.json");
    const open = new Set(["/setup", "/status", "/health/live", "/health/ready", "/invitations/{token}"]);
    const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/^\/backend/, "")}`),
      )
      .filter((key) => !key.includes(" /public/") && !open.has(key.split(" ")[1] ?? ""));
    expect(documented.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it("documents 403 on exactly the routes whose action needs more than the weakest role", async () => {
    const doc = await suite.client().get("/openapi.json");
    const paths = doc.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    const documents403: Record<string, boolean> = {};
    const needsMore: Record<string, boolean> = {};
    for (const [key, route] of Object.entries(ROUTES)) {
      if (route.action === "signed-in") continue;
      const { method, path } = methodAndPath(key);
      const responses = paths[`/backend${path}`]?.[method.toLowerCase()]?.responses ?? {};
      documents403[key] = "403" in responses;
      needsMore[key] = ACTION_ROLE[route.action] !== ROLES[0];
    }
    expect(documents403).toEqual(needsMore);
  });
});
