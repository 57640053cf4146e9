import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { publishedForm } from "./support/fixtures";
import {
  type PrivatePostgres,
  privatePostgresAvailable,
  startPrivatePostgres,
} from "./support/private-postgres";
import { startApi, type TestStack } from "./support/stack";

// A fault test under load: the database the API uses crashes (SIGKILL) while respondents submit,
// and comes back. Nothing acknowledged may be lost or duplicated, no request may get a 500, and
// the phones' retries (same ids) must all end stored exactly once.

let postgres: PrivatePostgres;
let stack: TestStack;
let slug: string;

beforeAll(async () => {
  if (!privatePostgresAvailable()) return;
  postgres = await startPrivatePostgres();
  stack = await startApi(
    { env: { DATABASE_URL: postgres.url }, kind: "postgres", drop: async () => {} },
    { SHUTDOWN_TIMEOUT_MS: "500", DATABASE_POOL_SIZE: "8" },
  );
  const owner = new TestClient(stack.url);
  await owner.signUp();
  const orgId = (await owner.post("/orgs", { name: "Crash" })).body.id;
  ({ slug } = await publishedForm(owner, orgId));
});
afterAll(async () => {
  await stack?.stop();
  await postgres?.stop();
});

describe.skipIf(!privatePostgresAvailable())("a database crash under load", () => {
  it("answers 503 (never 500) while it is down, loses nothing acknowledged, and stores every retry once", async () => {
    const respondent = new TestClient(stack.url);
    const acknowledged = new Set<string>();
    const pending = new Set<string>();
    const statuses = new Map<number, number>();
    const send = async (id: string) => {
      const reply = await respondent.post(`/public/forms/${slug}/submissions`, { id, answers: { name: id } });
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      if (reply.status === 201 || reply.status === 200) {
        acknowledged.add(id);
        pending.delete(id);
      } else {
        pending.add(id);
      }
      return reply.status;
    };

    // Bounded load: 8 concurrent senders for about 6 seconds; the database dies at 1.5 s and
    // comes back at 3.5 s.
    const deadline = Date.now() + 6_000;
    const crash = setTimeout(() => postgres.kill(), 1_500);
    const restart = new Promise<void>((resolve, reject) =>
      setTimeout(() => postgres.start().then(resolve, reject), 3_500),
    );
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (Date.now() < deadline) await send(randomUUID());
      }),
    );
    clearTimeout(crash);
    await restart;

    // The phones retry what was not acknowledged, with the same ids, until it is (bounded).
    for (let round = 0; round < 40 && pending.size > 0; round++) {
      for (const id of [...pending]) await send(id);
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 250));
    }

    expect(statuses.get(500) ?? 0).toBe(0);
    expect(statuses.get(503) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(0);
    expect(pending.size).toBe(0);
    const rows = await stack.services.database.query<{ id: string; n: string }>(
      "SELECT id, count(*) OVER () AS n FROM submission",
    );
    const stored = new Set(rows.map((r) => r.id));
    for (const id of acknowledged) expect(stored.has(id), id).toBe(true);
    expect(rows.length).toBe(acknowledged.size);
  });
});
