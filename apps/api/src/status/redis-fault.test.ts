import { randomBytes } from "node:crypto";
import { DEPENDENCY_TIMEOUT_MS, STATUS_CACHE_SECONDS } from "@coleta/monitoring";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../../test/support/client";
import type { TestStack } from "../../test/support/stack";
import { type ApiSuite, startSuite } from "../../test/support/suite";
import type { StatusDocument } from "./schemas";
import { type PrivateRedis, redisServerAvailable, startPrivateRedis } from "./testing/redis-server";

const PROBE_MS = 2_000;
// A change must show within one probe round, the check's own timeout, the board's cache and
// ioredis' reconnect back-off (≤ 2 s), plus slack for a busy 2-core machine.
const BOUND_MS = PROBE_MS + DEPENDENCY_TIMEOUT_MS + STATUS_CACHE_SECONDS * 1000 + 2_000 + 10_000;

async function board(api: TestStack): Promise<StatusDocument> {
  const reply = await new TestClient(api.url).request<StatusDocument>("GET", "/backend/status?lang=en");
  expect(reply.status).toBe(200);
  return reply.body;
}

async function waitFor(api: TestStack, what: string, done: (doc: StatusDocument) => boolean) {
  const started = Date.now();
  let last: StatusDocument | null = null;
  while (Date.now() - started < BOUND_MS) {
    last = await board(api);
    if (done(last)) return { doc: last, ms: Date.now() - started };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not within ${BOUND_MS} ms; last board: ${JSON.stringify(last?.components)}`);
}

const level = (doc: StatusDocument, id: string) => doc.components.find((c) => c.id === id)?.status;

// Kills a private redis-server under a running API and brings it back.
describe.skipIf(!redisServerAvailable())("the cache light follows Redis", () => {
  let redis: PrivateRedis;
  let suite: ApiSuite, api: TestStack;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    suite = await startSuite({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `coleta:test:${randomBytes(4).toString("hex")}:`,
      STATUS_PROBE_INTERVAL_MS: String(PROBE_MS),
      TEAM_PLATFORM_CONTACT: "platform-oncall@example.org",
    });
    api = suite.stack;
  });
  afterAll(async () => {
    await suite?.stop();
    await redis?.stop();
  });

  it("turns red when Redis dies, only the cache, and green again when it is back", async () => {
    await waitFor(api, "green at start", (d) => d.status === "ok");

    await redis.kill();
    const red = await waitFor(api, "cache red", (d) => level(d, "cache") === "down");
    console.info(`cache red ${red.ms} ms after redis-server was killed (bound ${BOUND_MS} ms)`);
    const cache = red.doc.components.find((c) => c.id === "cache");
    expect(cache?.message).toMatch(
      /^The cache is unreachable.* since \d\d:\d\d — call the platform team: platform-oncall@example.org$/,
    );
    expect(cache?.call?.id).toBe("platform");
    // The API keeps working on local fallbacks: the database and the HTTP components are not red.
    for (const id of ["database", "public_forms", "submissions", "workspace", "exports"]) {
      expect(level(red.doc, id), id).not.toBe("down");
    }
    expect(red.doc.scope).toBe("this-replica"); // the numbers could not come from Redis
    const metrics = await new TestClient(api.url).request("GET", "/backend/metrics");
    expect(metrics.text).toContain('coleta_dependency_up{dependency="cache"} 0');
    expect(metrics.text).toContain('coleta_status_level{component="cache"} 2');
    expect(metrics.text).toMatch(/coleta_dependency_checks_total\{dependency="cache",result="fail"\} [1-9]/);

    await redis.restart();
    const green = await waitFor(api, "cache green again", (d) => level(d, "cache") === "ok");
    console.info(`cache green ${green.ms} ms after redis-server restarted`);
    // The change made while Redis was away reaches the shared timeline once Redis is back.
    const shared = await waitFor(
      api,
      "timeline shared",
      (d) => d.scope === "all-replicas" && d.timeline.length >= 2,
    );
    expect(
      shared.doc.timeline.filter((t) => t.component === "cache").map((t) => `${t.from}>${t.to}`),
    ).toEqual(["down>ok", "ok>down"]);
  });
});
