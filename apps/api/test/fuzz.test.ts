import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestClient } from "./support/client";
import { surveyDefinition } from "./support/fixtures";
import { type FormSuite, startFormSuite } from "./support/suite";

// Property-based hostile input at every route of the OpenAPI document (plus the account routes
// Better-Auth serves): whatever arrives in the path, the query or the body, the answer is a clear
// 4xx problem or a success — never a 500, never a hang. Seeded, bounded in runs and time.

let suite: FormSuite;
let owner: TestClient;
let ids: Record<string, string>;

interface Operation {
  method: string;
  path: string;
  query: string[];
}

beforeAll(async () => {
  suite = await startFormSuite(surveyDefinition, { env: { SHUTDOWN_TIMEOUT_MS: "500" } });
  const { orgId, formId, slug, ownerId } = suite;
  owner = suite.owner;
  const submission = crypto.randomUUID();
  await suite.client().submit(slug, { name: "Fuzz" }, submission);
  const invitation = await owner.post(`/orgs/${orgId}/invitations`, {
    email: "fz@example.com",
    role: "viewer",
  });
  ids = {
    orgId,
    formId,
    slug,
    userId: ownerId,
    submissionId: submission,
    invitationId: invitation.body.id,
    token: invitation.body.token,
  };
});
afterAll(() => suite?.stop());

const hostileText = fc.oneof(
  fc.constantFrom(
    "",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "\udfff",
    "😀",
    "%",
    "%00",
    "%E0%A4%A",
    "%ED%A0%80",
    "../../etc/passwd",
    "..%2F..%2F",
    "' OR 1=1 --",
    "$1",
    "null",
    "0000-01-01",
    "+275760-09-13",
    "1e400",
    "-0",
    "NaN",
    "x".repeat(5000),
    "A1B2C3D4-E5F6-4789-ABCD-EF0123456789",
    "00000000-0000-0000-0000-000000000000",
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
);

const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record(
    {
      name: hostileText,
      title: hostileText,
      email: hostileText,
      role: fc.constantFrom("owner", "admin", "editor", "viewer", "god", "", "\u0000"),
      id: fc.oneof(fc.uuid(), hostileText),
      answers: fc.dictionary(
        fc.constantFrom("name", "age", "fruit", "where", "x\u0000"),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      draft: fc.jsonValue({ maxDepth: 5 }),
      slug: hostileText,
      password: hostileText,
    },
    { requiredKeys: [] },
  ),
);

/** Any text as a URL component: what a client could put on the wire, encoding errors included. */
function component(text: string): string {
  if (/^%|%[0-9A-F]/i.test(text) || text.includes("..")) return text;
  try {
    return encodeURIComponent(text);
  } catch {
    // Lone surrogates cannot be encoded: send them percent-encoded as the raw (invalid) bytes.
    return "%ED%A0%80";
  }
}

async function operations(): Promise<Operation[]> {
  const doc = (await owner.get("/openapi.json")).body as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
  };
  const ops: Operation[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      ops.push({
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
      });
    }
  }
  for (const path of ["sign-up/email", "sign-in/email", "sign-out", "update-user", "change-password"]) {
    ops.push({ method: "POST", path: `/backend/auth/${path}`, query: [] });
  }
  ops.push({ method: "GET", path: "/backend/auth/get-session", query: [] });
  ops.push({ method: "GET", path: "/frontend/{rest}", query: [] });
  return ops;
}

describe("hostile input at every route", () => {
  it("never answers 5xx, always answers errors as problem+json, and never hangs", async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(25);
    const anonymous = suite.client();
    const failures: string[] = [];

    const request = fc.record({
      op: fc.constantFrom(...ops),
      params: fc.dictionary(
        fc.constantFrom("orgId", "formId", "slug", "userId", "submissionId", "invitationId", "token", "rest"),
        fc.constant(null),
      ),
      queryValues: fc.array(
        fc.tuple(
          fc.constantFrom(
            "from",
            "to",
            "near",
            "limit",
            "cursor",
            "format",
            "field.name",
            "field.age",
            "field.where",
            "field.x",
          ),
          hostileText,
        ),
        { maxLength: 3 },
      ),
      body: jsonBody,
      signedIn: fc.boolean(),
      seedValues: fc.array(hostileText, { minLength: 8, maxLength: 8 }),
      choose: fc.array(fc.nat(4), { minLength: 8, maxLength: 8 }),
    });

    await fc.assert(
      fc.asyncProperty(request, async ({ op, queryValues, body, signedIn, seedValues, choose }) => {
        let i = 0;
        const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
          const pick = choose[i] ?? 0;
          const value =
            pick === 0
              ? (ids[name] ?? "x")
              : pick === 1
                ? (ids[name] ?? "x").toUpperCase()
                : (seedValues[i] ?? "");
          i++;
          return component(value);
        });
        const query = queryValues.map(([k, v]) => `${k}=${component(v)}`).join("&");
        const url = `${path}${query ? `?${query}` : ""}`;
        const client = signedIn ? owner : anonymous;
        const hasBody = op.method !== "GET" && op.method !== "DELETE";
        const started = performance.now();
        const reply = await client.request(op.method, url, hasBody ? JSON.stringify(body) : undefined);
        const elapsed = performance.now() - started;
        const contentType = reply.headers.get("content-type") ?? "";
        if (reply.status >= 500) failures.push(`${reply.status} ${op.method} ${url.slice(0, 200)}`);
        else if (
          reply.status >= 400 &&
          !contentType.includes("problem+json") &&
          !url.startsWith("/frontend")
        ) {
          failures.push(`${reply.status} without problem+json: ${op.method} ${url.slice(0, 200)}`);
        }
        if (elapsed > 5_000)
          failures.push(`slow (${Math.round(elapsed)} ms): ${op.method} ${url.slice(0, 200)}`);
        return true;
      }),
      { numRuns: 400, seed: 20261201, endOnFailure: true, interruptAfterTimeLimit: 90_000 },
    );
    expect(failures).toEqual([]);
  });
});
