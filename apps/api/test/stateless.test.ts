import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { firstOrgId, publishedForm } from "./support/fixtures";
import { type TestStack, testRedisUrl } from "./support/stack";
import { type ReplicaSuite, startReplicas } from "./support/suite";

const redisUrl = testRedisUrl();

// Two API processes on one Postgres + Redis must behave as one. Needs Redis (CI provides it).
describe.skipIf(!redisUrl || (!process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL))(
  "two API processes",
  () => {
    const prefix = `coleta:test:${randomBytes(4).toString("hex")}:`;
    let replicas: ReplicaSuite, a: TestStack, b: TestStack;
    beforeAll(async () => {
      replicas = await startReplicas({
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: prefix,
        RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "4",
      });
      ({ a, b } = replicas);
    });
    afterAll(async () => {
      await replicas?.stop();
      const redis = new Redis(redisUrl as string);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    });

    it("shares sessions, survives a Redis flush, and shares the rate limit", async () => {
      const onA = new TestClient(a.url);
      await onA.signUp();
      const onB = new TestClient(b.url);
      (onB as unknown as { cookies: Map<string, string> }).cookies = (
        onA as unknown as { cookies: Map<string, string> }
      ).cookies;
      const me = await onB.get("/me");
      expect(me.status).toBe(200);

      const redis = new Redis(redisUrl as string);
      const keys = await redis.keys(`${prefix}auth:*`);
      expect(keys.length).toBeGreaterThan(0); // sessions are cached in Redis…
      await redis.del(...keys);
      await redis.quit();
      expect((await onB.get("/me")).status).toBe(200); // …and kept in Postgres: a flush logs nobody out.

      const orgId = await firstOrgId(onA);
      const { slug } = await publishedForm(onA, orgId);
      const statuses: number[] = [];
      for (const stack of [a, b, a, b, a, b]) {
        statuses.push((await new TestClient(stack.url).submit(slug, { name: "x" })).status);
      }
      expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
    });

    it("shares the permission cache invalidation across processes", async () => {
      const owner = new TestClient(a.url);
      await owner.signUp();
      const org = await owner.post("/orgs", { name: "Shared" });
      const member = new TestClient(b.url);
      const account = await member.signUp();
      const inv = await owner.post(`/orgs/${org.body.id}/invitations`, {
        email: account.email,
        role: "admin",
      });
      await member.post(`/invitations/${inv.body.token}/accept`);
      expect((await member.get(`/orgs/${org.body.id}/invitations`)).status).toBe(200); // cached as admin on B
      await owner.patch(`/orgs/${org.body.id}/members/${account.userId}`, { role: "viewer" }); // changed on A
      expect((await member.get(`/orgs/${org.body.id}/invitations`)).status).toBe(403);
    });
  },
);
