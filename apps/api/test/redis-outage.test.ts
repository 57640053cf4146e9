import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil as waitFor } from "../src/status/testing/net";
import { type PrivateRedis, startPrivateRedis } from "../src/status/testing/redis-server";
import type { TestClient } from "./support/client";
import { type FormSuite, startFormSuite } from "./support/suite";

// A fault test: the API runs on its own private Redis, which the test pauses (a hung server),
// resumes, kills and restarts. Postgres stays healthy throughout, so everything must keep working.

let redis: PrivateRedis;
let suite: FormSuite, owner: TestClient, orgId: string, slug: string;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

const redisReady = async () =>
  ((await owner.get("/health/ready")).body as { checks: { redis?: { status: string } } }).checks.redis
    ?.status === "ok";

beforeAll(async () => {
  redis = await startPrivateRedis();
  suite = await startFormSuite(undefined, {
    env: {
      REDIS_URL: redis.url,
      SHUTDOWN_TIMEOUT_MS: "500",
      RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "1000",
    },
  });
  ({ owner, orgId, slug } = suite);
  await waitFor(redisReady, "the API to reach redis");
});
afterAll(async () => {
  await suite?.stop();
  await redis?.stop();
});

const submit = () => suite.client().submit(slug, { name: "R" });

async function rateLimitedCount(): Promise<number> {
  const text = (await owner.get("/metrics")).text;
  const line = text
    .split("\n")
    .find((l) => l.startsWith('coleta_submissions_rejected_total{reason="rate_limited"}'));
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("when Redis hangs or dies, the API degrades instead of failing", () => {
  it("keeps answering quickly, honours changes made meanwhile, and recovers at once", async () => {
    // A member whose role is cached in Redis before the outage.
    const member = suite.client();
    const { email, userId } = await member.signUp();
    const invite = await owner.post(`/orgs/${orgId}/invitations`, { email, role: "editor" });
    expect((await member.post(`/invitations/${invite.body.token}/accept`)).status).toBe(200);
    expect((await member.get(`/orgs/${orgId}`)).status).toBe(200);
    const limitedBefore = await rateLimitedCount();

    // 1. Redis hangs (SIGSTOP): connections stay open but nothing answers.
    redis.pause();
    for (let i = 0; i < 5; i++) {
      const { value, ms } = await timed(submit);
      expect(value.status).toBe(201);
      expect(ms).toBeLessThan(2_000);
    }
    const me = await timed(() => owner.get("/me"));
    expect(me.value.status).toBe(200);
    expect(me.ms).toBeLessThan(2_000);
    // A change made during the outage...
    expect((await owner.delete(`/orgs/${orgId}/members/${userId}`)).status).toBe(204);
    expect((await member.get(`/orgs/${orgId}`)).status).toBe(404);
    expect((await owner.get("/health/ready")).status).toBe(503);

    // ...still holds after Redis comes back with its old (stale) entries.
    redis.resume();
    const recovered = await waitFor(redisReady, "redis to be ready again");
    expect(recovered).toBeLessThan(5_000);
    await waitFor(async () => (await submit()).status === 201, "submissions after recovery");
    expect((await member.get(`/orgs/${orgId}`)).status).toBe(404);
    expect((await member.post(`/orgs/${orgId}/forms`, { title: "No" })).status).toBe(404);

    // 2. Redis dies (SIGKILL) and a new one starts on the same port.
    await redis.kill();
    for (let i = 0; i < 3; i++) {
      const { value, ms } = await timed(submit);
      expect(value.status).toBe(201);
      expect(ms).toBeLessThan(2_000);
    }
    expect((await owner.get("/me")).status).toBe(200);
    await redis.restart();
    const back = await waitFor(redisReady, "the new redis");
    expect(back).toBeLessThan(5_000);
    expect((await submit()).status).toBe(201);

    // Falling back is not being rate limited.
    expect(await rateLimitedCount()).toBe(limitedBefore);
  });
});
