import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLambdaHandler, ORIGIN_VERIFY_ENV } from "../src/lambda/handler";
import { SECRET_ENV_VARIABLE } from "../src/lambda/secrets";
import { httpApiEvent, LambdaClient, lambdaContext, lambdaTestEnv } from "./lambda-events";
import { errorsByPath, surveyDefinition } from "./support/fixtures";
import { TEST_SECRET, type TestDatabase, testDatabase, testRedisUrl } from "./support/stack";

// The Lambda entry, driven the way API Gateway drives it: HTTP API payload-format-2.0 events in,
// structured results out, against the suite's real PostgreSQL (and Redis when there is one).

const usesPostgres = Boolean(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL);
const AUTH_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:coleta/test/auth-secret-AbCdEf";

let database: TestDatabase;
let sql: pg.Client;
let owner: LambdaClient;
let respondent: LambdaClient;
let orgId: string;
let formId: string;
let slug: string;
const secretReads: string[] = [];

const countRows = async (id: string) =>
  Number((await sql.query("SELECT count(*)::int AS n FROM submission WHERE id = $1", [id])).rows[0].n);

describe.skipIf(!usesPostgres)("the API as a Lambda function behind an HTTP API", () => {
  beforeAll(async () => {
    database = await testDatabase();
    sql = new pg.Client({ connectionString: database.env.DATABASE_URL });
    await sql.connect();
    const handler = createLambdaHandler(
      {
        ...lambdaTestEnv(database.env, testRedisUrl()),
        // As deployed: the session key is a Secrets Manager reference, read once per environment.
        [SECRET_ENV_VARIABLE]: JSON.stringify({ AUTH_SECRET: AUTH_SECRET_ARN }),
      },
      {
        readSecret: async (id) => {
          secretReads.push(id);
          if (id !== AUTH_SECRET_ARN) throw new Error(`unexpected secret ${id}`);
          return TEST_SECRET;
        },
      },
    );
    owner = new LambdaClient(handler);
    respondent = new LambdaClient(handler);
  });
  afterAll(async () => {
    await sql?.end();
    await database?.drop();
  });

  it("signs up, signs out and signs in again with session cookies in the event's cookies", async () => {
    const email = `owner-${randomUUID().slice(0, 8)}@example.com`;
    const signUp = await owner.post("/auth/sign-up/email", {
      email,
      name: "Owner",
      password: "correct-horse-battery",
    });
    expect(signUp.status, signUp.text).toBe(200);
    expect(signUp.result.cookies?.some((c) => /HttpOnly/i.test(c))).toBe(true);
    expect((await owner.post("/auth/sign-out")).status).toBe(200);
    expect((await owner.get("/me")).status).toBe(401);

    const wrong = await owner.post("/auth/sign-in/email", { email, password: "wrong-password-123" });
    expect(wrong.status).toBe(401);
    const signIn = await owner.post("/auth/sign-in/email", { email, password: "correct-horse-battery" });
    expect(signIn.status, signIn.text).toBe(200);
    const me = await owner.get("/me");
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(email);
    orgId = me.body.organizations[0].id;
    // The secret was read once for the execution environment, not once per invocation.
    expect(secretReads).toEqual([AUTH_SECRET_ARN]);
  });

  it("creates and publishes a form", async () => {
    const created = await owner.post(`/orgs/${orgId}/forms`, {
      title: "Field survey",
      definition: surveyDefinition,
    });
    expect(created.status, created.text).toBe(201);
    formId = created.body.id;
    slug = created.body.slug;
    const published = await owner.post(`/orgs/${orgId}/forms/${formId}/publish`);
    expect(published.status, published.text).toBe(200);
    const form = await respondent.get(`/public/forms/${slug}`);
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ slug, version: 1, title: "Field survey" });
  });

  it("stores a submission before the invocation returns, and answers a retry with the original receipt", async () => {
    const id = randomUUID();
    const answers = {
      name: "Ana",
      age: 31,
      has_pet: true,
      pet_name: "Rex",
      where: { lat: -23.55, lon: -46.63 },
    };
    const first = await respondent.post(`/public/forms/${slug}/submissions`, { id, answers });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ id, duplicate: false });
    // Committed already: read through another connection right after the handler returned.
    expect(await countRows(id)).toBe(1);

    const retry = await respondent.post(`/public/forms/${slug}/submissions`, { id, answers });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ ...first.body, duplicate: true });
    expect(await countRows(id)).toBe(1);

    const stored = await owner.get(`/orgs/${orgId}/forms/${formId}/submissions/${id}`);
    expect(stored.status).toBe(200);
    expect(stored.body.answers).toEqual(answers);
  });

  it("answers invalid answers with 422 problem+json and per-field errors", async () => {
    const id = randomUUID();
    const reply = await respondent.post(`/public/forms/${slug}/submissions`, {
      id,
      answers: { name: "x".repeat(41), age: 12.5, fruit: "banana", nickname: "?" },
    });
    expect(reply.status).toBe(422);
    expect(reply.headers["content-type"]).toContain("application/problem+json");
    expect(errorsByPath(reply.body)).toEqual({
      name: "too_long",
      age: "not_integer",
      fruit: "invalid_option",
      nickname: "unknown_field",
    });
    expect(await countRows(id)).toBe(0);
  });

  it("refuses a body over BODY_LIMIT_BYTES with 413, plain or base64-encoded by API Gateway", async () => {
    const id = randomUUID();
    const body = { id, answers: { name: "Ana", note: "x".repeat(1024 * 1024) } };
    const plain = await respondent.post(`/public/forms/${slug}/submissions`, body);
    expect(plain.status).toBe(413);
    expect(plain.body).toMatchObject({ status: 413, code: "payload_too_large" });
    const encoded = await respondent.request("POST", `/public/forms/${slug}/submissions`, body, {
      base64: true,
    });
    expect(encoded.status).toBe(413);
    // Just under the limit is read and validated (422 for the unknown field), not refused for size.
    const under = { id, answers: { name: "Ana", note: "x".repeat(1024 * 1024 - 200) } };
    const accepted = await respondent.post(`/public/forms/${slug}/submissions`, under);
    expect(accepted.status).toBe(422);
    expect(await countRows(id)).toBe(0);
  });

  it("refuses a write without our Origin (the same CSRF guard as the server)", async () => {
    const reply = await owner.request(
      "POST",
      `/orgs/${orgId}/forms`,
      { title: "x", definition: surveyDefinition },
      {
        headers: { origin: "https://evil.example.com" },
      },
    );
    expect(reply.status).toBe(403);
  });

  it("refuses requests that did not come through CloudFront (no or a wrong X-Origin-Verify)", async () => {
    const verified = createLambdaHandler({
      ...lambdaTestEnv(database.env),
      AUTH_SECRET: TEST_SECRET,
      [ORIGIN_VERIFY_ENV]: "the-value-only-cloudfront-sends-0123456789",
    });
    const live = (headers: Record<string, string>) =>
      verified(httpApiEvent("GET", "/backend/health/live", { headers }), lambdaContext());
    expect(await live({})).toMatchObject({ statusCode: 403, body: "Forbidden" });
    expect(await live({ "x-origin-verify": "the-value-only-cloudfront-sends-012345678X" })).toMatchObject({
      statusCode: 403,
    });
    expect(await live({ "x-origin-verify": "the-value-only-cloudfront-sends-0123456789" })).toMatchObject({
      statusCode: 200,
    });
  });
});
