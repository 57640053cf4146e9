import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Reply, TestClient } from "./support/client";
import { firstOrgId, publishedForm } from "./support/fixtures";
import { startApi, type TestStack, testDatabase } from "./support/stack";
import { type FormSuite, startFormSuite } from "./support/suite";

let suite: FormSuite, stack: TestStack, owner: TestClient, orgId: string, formId: string, slug: string;
let respondent: TestClient;

const submit = (answers: Record<string, unknown>, id: string = randomUUID()) =>
  respondent.post(`/public/forms/${slug}/submissions`, { id, answers });

beforeAll(async () => {
  suite = await startFormSuite();
  ({ stack, owner, orgId, formId, slug } = suite);
  respondent = suite.client();
});
afterAll(() => suite?.stop());

const countRows = async () =>
  Number((await stack.services.database.query<{ n: string }>("SELECT count(*) AS n FROM submission"))[0]?.n);

describe("public submissions", () => {
  it("serves the published form without authentication", async () => {
    const reply = await respondent.get(`/public/forms/${slug}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ slug, version: 1, title: "Field survey" });
    expect((await respondent.get("/public/forms/does-not-exist")).status).toBe(404);
  });

  it("rejects unknown fields, hidden fields with values, type and rule violations with 422 per field", async () => {
    const reply = await submit({
      name: "x".repeat(41),
      age: 12.5,
      fruit: "banana",
      has_pet: false,
      pet_name: "Rex",
      where: { lat: 120, lon: 0 },
      nickname: "?",
    });
    expect(reply.status).toBe(422);
    const byPath = Object.fromEntries(
      reply.body.errors.map((e: { path: string; code: string }) => [e.path, e.code]),
    );
    expect(byPath).toEqual({
      name: "too_long",
      age: "not_integer",
      fruit: "invalid_option",
      pet_name: "hidden_field",
      where: "invalid_geopoint",
      nickname: "unknown_field",
    });
    const missing = await submit({ has_pet: true });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["name", "pet_name"]);
    expect(await countRows()).toBe(0);
  });

  it("stores a valid submission and answers a retry with the original receipt", async () => {
    const id = randomUUID();
    const first = await submit({ name: "Ana", age: 31, has_pet: true, pet_name: "Rex" }, id);
    expect(first.status).toBe(201);
    expect(first.body.id).toBe(id);
    const retry = await submit({ name: "Ana", age: 31, has_pet: true, pet_name: "Rex" }, id);
    expect(first.body.duplicate).toBe(false);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ ...first.body, duplicate: true });
    const one = await owner.get(`/orgs/${orgId}/forms/${formId}/submissions/${id}`);
    expect(one.body).toMatchObject({
      id,
      formVersion: 1,
      answers: { name: "Ana", age: 31, has_pet: true, pet_name: "Rex" },
    });
  });

  it("never creates a second row under concurrent retries of one id", async () => {
    const before = await countRows();
    const id = randomUUID();
    const replies = await Promise.all(Array.from({ length: 25 }, () => submit({ name: "Racer" }, id)));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(24);
    expect(new Set(replies.map((r) => r.body.receivedAt)).size).toBe(1);
    expect(await countRows()).toBe(before + 1);
  });

  it("refuses an id already used by another form", async () => {
    const other = await publishedForm(owner, orgId);
    const id = randomUUID();
    expect((await submit({ name: "Once" }, id)).status).toBe(201);
    const reused = await respondent.post(`/public/forms/${other.slug}/submissions`, {
      id,
      answers: { name: "Twice" },
    });
    expect(reused.status).toBe(409);
  });

  it("stores geopoints in PostGIS and filters by radius, field value and date", async () => {
    const saoPaulo = { lat: -23.5505, lon: -46.6333, accuracy: 12 };
    const rio = { lat: -22.9068, lon: -43.1729 };
    await submit({ name: "SP", fruit: "apple", where: saoPaulo });
    await submit({ name: "Rio", fruit: "pear", where: rio });
    const [row] = await stack.services.database.query<{ d: number }>(
      "SELECT ST_Distance(location, ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326)::geography) AS d FROM submission WHERE answers->>'name' = 'SP'",
      [rio.lon, rio.lat],
    );
    expect(Number(row?.d)).toBeGreaterThan(350_000);
    expect(Number(row?.d)).toBeLessThan(365_000);

    const base = `/orgs/${orgId}/forms/${formId}/submissions`;
    const near = await owner.get(`${base}?near=${saoPaulo.lat},${saoPaulo.lon},50000`);
    expect(near.body.items.map((s: { answers: { name: string } }) => s.answers.name)).toEqual(["SP"]);
    const pear = await owner.get(`${base}?field.fruit=pear`);
    expect(pear.body.items.map((s: { answers: { name: string } }) => s.answers.name)).toEqual(["Rio"]);
    const future = await owner.get(`${base}?from=2999-01-01`);
    expect(future.body.items).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const todays = await owner.get(`${base}?from=${today}&to=${today}`);
    expect(todays.body.items.length).toBeGreaterThanOrEqual(2);
    const bad = await owner.get(`${base}?near=abc&field.nope=1&from=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "field.nope",
      "from",
      "near",
    ]);
  });

  it("applies any-of field values and text search to the list, summary, map and every export", async () => {
    const { formId: id, slug: searchSlug } = await publishedForm(owner, orgId);
    const saoPaulo = { lat: -23.55, lon: -46.63 };
    for (const answers of [
      { name: "Ana Souza", fruit: "apple", where: saoPaulo },
      { name: "ANA 50%_off", fruit: "pear", where: saoPaulo },
      { name: "Bruno", fruit: "pear", where: saoPaulo },
      { name: "Mariana", where: saoPaulo },
    ]) {
      const sent = await respondent.post(`/public/forms/${searchSlug}/submissions`, {
        id: randomUUID(),
        answers,
      });
      expect(sent.status).toBe(201);
    }
    const base = `/orgs/${orgId}/forms/${id}`;
    const names = async (query: string) =>
      (await owner.get(`${base}/submissions?${query}`)).body.items.map(
        (s: { answers: { name: string } }) => s.answers.name,
      );
    const query = "contains.name=aNa&field.fruit=apple&field.fruit=pear";
    expect(await names(query)).toEqual(["ANA 50%_off", "Ana Souza"]);
    expect(await names("contains.name=50%25")).toEqual(["ANA 50%_off"]);
    expect(await names("contains.name=_")).toEqual(["ANA 50%_off"]);
    expect(await names("field.fruit=pear&field.fruit=apple")).toEqual(["Bruno", "ANA 50%_off", "Ana Souza"]);
    expect((await owner.get(`${base}/summary?${query}`)).body.total).toBe(2);
    expect((await owner.get(`${base}/submissions/map?zoom=3&${query}`)).body.total).toBe(2);
    const csv = await owner.get(`${base}/submissions/export?format=csv&${query}`);
    expect(
      csv.text
        .trim()
        .split("\r\n")
        .slice(1)
        .map((line) => line.split(",")[3]),
    ).toEqual(["Ana Souza", "ANA 50%_off"]);
    const ndjson = await owner.get(`${base}/submissions/export?format=ndjson&${query}`);
    expect(
      ndjson.text
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).answers.name),
    ).toEqual(["Ana Souza", "ANA 50%_off"]);
    for (const format of ["xlsx", "parquet"]) {
      const all = await owner.get(`${base}/submissions/export?format=${format}`);
      const some = await owner.get(`${base}/submissions/export?format=${format}&${query}`);
      expect(some.status).toBe(200);
      expect(some.text.length).toBeLessThan(all.text.length);
    }
    // A bad text filter is refused the same way everywhere, each problem at its parameter.
    for (const path of ["submissions", "summary", "submissions/map", "submissions/export?format=xlsx"]) {
      const bad = await owner.get(
        `${base}/${path}${path.includes("?") ? "&" : "?"}contains.age=3&contains.name=`,
      );
      expect(bad.status, path).toBe(400);
      expect(
        bad.body.errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`).sort(),
      ).toEqual(["contains.age not_searchable", "contains.name empty_text"]);
    }
  });

  it("pages with a cursor without gaps or repeats, newest first", async () => {
    const { formId: pagedId, slug: pagedSlug } = await publishedForm(owner, orgId);
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      const id = randomUUID();
      ids.push(id);
      await respondent.post(`/public/forms/${pagedSlug}/submissions`, { id, answers: { name: `n${i}` } });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const reply: Reply<any> = await owner.get(
        `/orgs/${orgId}/forms/${pagedId}/submissions?limit=10${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...reply.body.items.map((s: { id: string }) => s.id));
      cursor = reply.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await owner.get(`/orgs/${orgId}/forms/${pagedId}/submissions?cursor=%%%`)).status).toBe(400);
  });

  it("summarises choices, numbers and points", async () => {
    const { formId: sumId, slug: sumSlug } = await publishedForm(owner, orgId);
    const post = (answers: Record<string, unknown>) =>
      respondent.post(`/public/forms/${sumSlug}/submissions`, { id: randomUUID(), answers });
    await post({ name: "a", fruit: "apple", age: 10, where: { lat: 1, lon: 2 } });
    await post({ name: "b", fruit: "apple", age: 20 });
    await post({ name: "c", fruit: "pear" });
    const summary = await owner.get(`/orgs/${orgId}/forms/${sumId}/summary`);
    expect(summary.body.total).toBe(3);
    const field = (id: string) => summary.body.fields.find((f: { fieldId: string }) => f.fieldId === id);
    expect(field("fruit").counts).toEqual({ apple: 2, pear: 1 });
    expect(field("age")).toMatchObject({ answered: 2, stats: { min: 10, max: 20, mean: 15 } });
    expect(field("where").points).toEqual([{ lat: 1, lon: 2 }]);
    const list = await owner.get(`/orgs/${orgId}/forms`);
    expect(list.body.items.find((f: { id: string }) => f.id === sumId).submissionCount).toBe(3);
  });

  it("erases a submission", async () => {
    const id = randomUUID();
    await submit({ name: "Forget me" }, id);
    expect((await owner.delete(`/orgs/${orgId}/forms/${formId}/submissions/${id}`)).status).toBe(204);
    expect((await owner.get(`/orgs/${orgId}/forms/${formId}/submissions/${id}`)).status).toBe(404);
    expect((await owner.delete(`/orgs/${orgId}/forms/${formId}/submissions/${id}`)).status).toBe(404);
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After past the per-IP budget", async () => {
    // Its own database: the embedded one accepts a single process at a time.
    const own = await testDatabase();
    const limited = await startApi(own, { RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "3" });
    try {
      const client = new TestClient(limited.url);
      await client.signUp();
      const { slug: limitedSlug } = await publishedForm(client, await firstOrgId(client));
      const statuses: number[] = [];
      let last: Reply<any> | undefined;
      for (let i = 0; i < 5; i++) {
        last = await client.post(`/public/forms/${limitedSlug}/submissions`, {
          id: randomUUID(),
          answers: { name: "r" },
        });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(last?.body.code).toBe("rate_limited");
    } finally {
      await limited.stop();
      await own.drop();
    }
  });
});
