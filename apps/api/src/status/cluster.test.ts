import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../../test/support/client";
import { firstOrgId, publishedForm } from "../../test/support/fixtures";
import { type TestStack, testRedisUrl } from "../../test/support/stack";
import { type ReplicaSuite, startReplicas } from "../../test/support/suite";
import type { StatusDocument } from "./schemas";
import { type PrivateRedis, redisServerAvailable, startPrivateRedis } from "./testing/redis-server";

const hasPostgres = Boolean(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL);
const hasRedis = redisServerAvailable() || Boolean(testRedisUrl());

/** Polls GET /backend/status on `api` until `done` holds (bounded). */
async function waitForBoard(api: TestStack, done: (doc: StatusDocument) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last: StatusDocument | null = null;
  while (Date.now() < deadline) {
    const reply = await new TestClient(api.url).request<StatusDocument>("GET", "/backend/status?lang=en");
    last = reply.body;
    if (reply.status === 200 && done(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`board did not get there in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

// Two API processes on one Postgres and one Redis: the board sums both replicas' traffic.
describe.skipIf(!hasPostgres || !hasRedis)("status board across two API replicas", () => {
  let server: PrivateRedis | null = null;
  let replicas: ReplicaSuite, a: TestStack, b: TestStack;

  beforeAll(async () => {
    server = redisServerAvailable() ? await startPrivateRedis() : null;
    replicas = await startReplicas({
      REDIS_URL: server?.url ?? testRedisUrl(),
      REDIS_KEY_PREFIX: `coleta:test:${randomBytes(4).toString("hex")}:`,
      STATUS_PROBE_INTERVAL_MS: "1000",
    });
    ({ a, b } = replicas);
  });
  afterAll(async () => {
    await replicas?.stop();
    await server?.stop();
  });

  it("shows the sum of both replicas' requests on either replica", async () => {
    const owner = new TestClient(a.url);
    await owner.signUp();
    const { slug } = await publishedForm(owner, await firstOrgId(owner));
    for (let i = 0; i < 7; i++)
      expect((await new TestClient(a.url).get(`/public/forms/${slug}`)).status).toBe(200);
    for (let i = 0; i < 6; i++)
      expect((await new TestClient(b.url).get(`/public/forms/${slug}`)).status).toBe(200);

    // Each replica on its own saw only its part…
    const forms = (doc: StatusDocument) => doc.components.find((c) => c.id === "public_forms");
    const onlyA = a.services.status.document(await a.services.status.refresh(), "en");
    expect(forms(onlyA)?.signals.requests).toBe(7); // A's own, not yet flushed counts; B's are still in B
    // …and after the periodic flush (every few seconds) both boards show all 13.
    for (const api of [a, b]) {
      const doc = await waitForBoard(api, (d) => forms(d)?.signals.requests === 13 && d.replicas === 2);
      expect(doc.scope).toBe("all-replicas");
      expect(doc.status).toBe("ok");
    }
  });
});
