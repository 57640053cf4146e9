import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { connect, createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { publishedForm } from "./support/fixtures";
import { startApi, type TestDatabase, type TestStack, testDatabase } from "./support/stack";

// A fault test: the API runs on its own private Redis, which the test pauses (a hung server),
// resumes, kills and restarts. Postgres stays healthy throughout, so everything must keep working.

const REDIS_BIN = "redis-server";
let redis: ChildProcess | undefined;
let redisPort = 0;
let database: TestDatabase;
let stack: TestStack;
let owner: TestClient;
let orgId: string;
let slug: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startRedis(): Promise<void> {
  redis = spawn(
    REDIS_BIN,
    ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = connect(redisPort, "127.0.0.1");
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      }),
    "redis to listen",
  );
}

async function waitFor(check: () => Promise<boolean>, what: string, limitMs = 15_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if (await check()) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

const redisReady = async () =>
  ((await owner.get("/health/ready")).body as { checks: { redis?: { status: string } } }).checks.redis
    ?.status === "ok";

beforeAll(async () => {
  redisPort = await freePort();
  await startRedis();
  database = await testDatabase();
  stack = await startApi(database, {
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    SHUTDOWN_TIMEOUT_MS: "500",
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "1000",
  });
  owner = new TestClient(stack.url);
  await owner.signUp();
  orgId = (await owner.post("/orgs", { name: "Outage" })).body.id;
  ({ slug } = await publishedForm(owner, orgId));
  await waitFor(redisReady, "the API to reach redis");
});
afterAll(async () => {
  redis?.kill("SIGCONT");
  redis?.kill("SIGKILL");
  await stack?.stop();
  await database?.drop();
});

const submit = () =>
  new TestClient(stack.url).post(`/public/forms/${slug}/submissions`, {
    id: randomUUID(),
    answers: { name: "R" },
  });

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
    const member = new TestClient(stack.url);
    const { email, userId } = await member.signUp();
    const invite = await owner.post(`/orgs/${orgId}/invitations`, { email, role: "editor" });
    expect((await member.post(`/invitations/${invite.body.token}/accept`)).status).toBe(200);
    expect((await member.get(`/orgs/${orgId}`)).status).toBe(200);
    const limitedBefore = await rateLimitedCount();

    // 1. Redis hangs (SIGSTOP): connections stay open but nothing answers.
    redis?.kill("SIGSTOP");
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
    redis?.kill("SIGCONT");
    const recovered = await waitFor(redisReady, "redis to be ready again");
    expect(recovered).toBeLessThan(5_000);
    await waitFor(async () => (await submit()).status === 201, "submissions after recovery");
    expect((await member.get(`/orgs/${orgId}`)).status).toBe(404);
    expect((await member.post(`/orgs/${orgId}/forms`, { title: "No" })).status).toBe(404);

    // 2. Redis dies (SIGKILL) and a new one starts on the same port.
    redis?.kill("SIGKILL");
    for (let i = 0; i < 3; i++) {
      const { value, ms } = await timed(submit);
      expect(value.status).toBe(201);
      expect(ms).toBeLessThan(2_000);
    }
    expect((await owner.get("/me")).status).toBe(200);
    await startRedis();
    const back = await waitFor(redisReady, "the new redis");
    expect(back).toBeLessThan(5_000);
    expect((await submit()).status).toBe(201);

    // Falling back is not being rate limited.
    expect(await rateLimitedCount()).toBe(limitedBefore);
  });
});
