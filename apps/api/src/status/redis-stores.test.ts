import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRedisUrl } from "../../test/support/stack";
import { bucketIndex } from "./histogram";
import { SignalStore } from "./signals";
import { freePort } from "./testing/net";
import { type PrivateRedis, redisServerAvailable, startPrivateRedis } from "./testing/redis-server";
import { TimelineStore } from "./timeline";

const canRun = redisServerAvailable() || Boolean(testRedisUrl());

// Two "replicas" (two stores, two clients) on one Redis, as two API tasks would be.
describe.skipIf(!canRun)("signals and timeline in Redis", () => {
  let server: PrivateRedis | null = null;
  let url: string;
  const clients: Redis[] = [];
  const prefix = `coleta:test:${randomBytes(4).toString("hex")}:`;
  const client = () => {
    const redis = new Redis(url, { keyPrefix: prefix, maxRetriesPerRequest: 1 });
    redis.on("error", () => {});
    clients.push(redis);
    return redis;
  };

  beforeAll(async () => {
    if (redisServerAvailable()) {
      server = await startPrivateRedis();
      url = server.url;
    } else {
      url = testRedisUrl() as string;
    }
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.stop();
  });

  it("sums what every replica flushed over the window, p95 from the merged histogram", async () => {
    const a = new SignalStore({ redis: client(), replicaId: "a" });
    const b = new SignalStore({ redis: client(), replicaId: "b" });
    for (let i = 0; i < 90; i++) a.record("submissions", 201, 15);
    for (let i = 0; i < 10; i++) b.record("submissions", 503, 4_000);
    for (let i = 0; i < 4; i++) b.record("submissions", 429, 5);
    expect(await a.flush()).toBe(true);
    expect(await b.flush()).toBe(true);

    const seenByA = await a.read();
    expect(seenByA.scope).toBe("cluster");
    expect(seenByA.replicas).toBe(2);
    expect(seenByA.counts.submissions).toMatchObject({ requests: 104, errors: 10, rateLimited: 4 });
    expect(seenByA.counts.submissions.latency[bucketIndex(4_000)]).toBe(10);
    // Each replica alone would see something else.
    expect(a.readLocal().counts.submissions.requests).toBe(90);
    expect(b.readLocal().counts.submissions.errors).toBe(10);
    // Unflushed counts of the reading replica are included, flushed ones are not counted twice.
    a.record("submissions", 201, 15);
    expect((await a.read()).counts.submissions.requests).toBe(105);
    await a.flush();
    expect((await b.read()).counts.submissions.requests).toBe(105);
  });

  it("records a change seen by two replicas once, and publishes changes made while Redis was away", async () => {
    const a = new TimelineStore({ redis: client() });
    const b = new TimelineStore({ redis: client() });
    const at = Date.now() - 60_000;
    a.add({ component: "cache", from: "ok", to: "down", at });
    b.add({ component: "cache", from: "ok", to: "down", at: at + 7_000 });
    await a.publish();
    await b.publish();
    a.add({ component: "cache", from: "down", to: "ok", at: at + 30_000 });
    await a.publish();
    const seen = await b.read();
    expect(seen.scope).toBe("cluster");
    expect(seen.entries.map((e) => `${e.from}>${e.to}`)).toEqual(["down>ok", "ok>down"]);
    const raw = await client().lrange("status:v1:timeline", 0, -1);
    expect(raw).toHaveLength(2);
  });

  it("falls back to the replica's own numbers, quickly, when Redis does not answer", async () => {
    const dead = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    dead.on("error", () => {});
    clients.push(dead);
    const store = new SignalStore({ redis: dead, replicaId: "lonely", timeoutMs: 500 });
    store.record("public_forms", 200, 30);
    const started = Date.now();
    expect(await store.flush()).toBe(false);
    const view = await store.read();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(view).toMatchObject({ scope: "replica", replicas: 1 });
    expect(view.counts.public_forms.requests).toBe(1);

    const timeline = new TimelineStore({ redis: dead, timeoutMs: 500 });
    timeline.add({ component: "cache", from: "ok", to: "down", at: Date.now() });
    await timeline.publish();
    const local = await timeline.read();
    expect(local.scope).toBe("replica");
    expect(local.entries).toHaveLength(1);
  });
});
