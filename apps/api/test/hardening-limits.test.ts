import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import type { EnvInput } from "../src/config";
import { startFormSuite, startOwnerSuite, startSuite, useSuite } from "./support/suite";

// Limits that keep one client from locking others out or starving them: sign-in buckets per
// client, failed passwords per account, exports per process and organization, slow connections.

const PASSWORD = "correct-horse-battery";
const from = (ip: string) => ({ "x-forwarded-for": ip });
/** `env` over what every API of this file has: a quick shutdown. */
const withQuickStop = (env: EnvInput = {}) => ({ SHUTDOWN_TIMEOUT_MS: "500", ...env });

describe("sign-in rate limits are per client, behind proxies too", () => {
  // One trusted proxy: the client is the right-most X-Forwarded-For entry, whatever it prepends.
  const api = useSuite(() =>
    startOwnerSuite({ env: withQuickStop({ AUTH_RATE_LIMIT_ENABLED: "true", TRUST_PROXY_HOPS: "1" }) }),
  );

  it("limits one client without locking out anyone else, and ignores forged entries", async () => {
    const client = api.client();
    const signIn = (ip: string, password = "wrong-password-1") =>
      client.request("POST", "/backend/auth/sign-in/email", { email: api.ownerEmail, password }, from(ip));
    let limited = false;
    for (let i = 0; i < 10 && !limited; i++) limited = (await signIn("203.0.113.7")).status === 429;
    expect(limited).toBe(true);
    // The same client forging a fresh left-most entry is still the same client.
    expect((await signIn(`198.51.100.${Math.floor(Math.random() * 200)}, 203.0.113.7`)).status).toBe(429);
    // Somebody else signs in normally.
    expect((await signIn("203.0.113.8", PASSWORD)).status).toBe(200);
  });
});

describe("submission rate limits are per client address without a proxy", () => {
  const api = useSuite(() =>
    startFormSuite(undefined, {
      env: withQuickStop({ TRUST_PROXY_HOPS: "0", RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "3" }),
    }),
  );

  /** Submits from a chosen loopback source address (127.0.0.0/8 is all ours). */
  const submitFrom = (localAddress: string, forged?: string) =>
    new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ id: randomUUID(), answers: { name: "x" } });
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port: api.stack.port,
          localAddress,
          method: "POST",
          path: `/backend/public/forms/${api.slug}/submissions`,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            ...(forged ? { "x-forwarded-for": forged } : {}),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  it("gives every socket address its own budget, and ignores X-Forwarded-For", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await submitFrom("127.0.0.1", `10.9.9.${i}`));
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(await submitFrom("127.0.0.2")).toBe(201);
  });
});

describe("failed passwords are throttled per account", () => {
  const api = useSuite(() =>
    startOwnerSuite({
      env: withQuickStop({
        AUTH_RATE_LIMIT_ENABLED: "false",
        TRUST_PROXY_HOPS: "1",
        AUTH_FAILED_SIGNIN_LIMIT_PER_ACCOUNT_AND_IP: "3",
        AUTH_FAILED_SIGNIN_LIMIT_PER_ACCOUNT: "6",
      }),
    }),
  );

  it("blocks one address after a few wrong passwords, and every address after many", async () => {
    const client = api.client();
    const email = api.ownerEmail;
    const signIn = (ip: string, password: string, who = email) =>
      client.request("POST", "/backend/auth/sign-in/email", { email: who, password }, from(ip));
    for (let i = 0; i < 3; i++) expect((await signIn("192.0.2.1", `wrong-${i}-password`)).status).toBe(401);
    const blocked = await signIn("192.0.2.1", PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe("too_many_failed_sign_ins");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // The owner, from elsewhere, still gets in; the case of the address does not matter.
    expect((await signIn("192.0.2.2", PASSWORD, email.toUpperCase())).status).toBe(200);
    // A distributed guess: wrong passwords from many addresses lock the account for everyone.
    for (let i = 0; i < 6; i++) await signIn(`192.0.2.${10 + i}`, `wrong-${i}-again`);
    expect((await signIn("192.0.2.99", PASSWORD)).status).toBe(429);
    // Another account is not affected.
    const second = await api.client().signUp(`other-${randomUUID().slice(0, 6)}@example.com`);
    expect((await signIn("192.0.2.1", PASSWORD, second.email)).status).toBe(200);
  });
});

describe("exports", () => {
  const api = useSuite(() => startFormSuite(undefined, { env: withQuickStop() }));
  beforeAll(async () => {
    // More rows than one export page, written straight to the table.
    await api.query(
      `INSERT INTO submission (id, form_id, form_version, answers)
       SELECT gen_random_uuid(), $1, 1, jsonb_build_object('name', 'row ' || n) FROM generate_series(1, 1500) n`,
      [api.formId],
    );
  });

  /** Makes the export's page queries fail or wait, the way a database failover would. */
  function interceptPages(onPage: (page: number) => Promise<void>) {
    const database = api.stack.services.database;
    const original = database.query.bind(database);
    let page = 0;
    database.query = (async (text: string, params?: unknown[]) => {
      if (/ORDER BY received_at ASC/.test(text)) await onPage(page++);
      return original(text, params);
    }) as typeof database.query;
    return () => {
      database.query = original;
    };
  }
  const exportUrl = () =>
    `${api.stack.url}/backend/orgs/${api.orgId}/forms/${api.formId}/submissions/export?format=csv`;
  const get = (signal?: AbortSignal) =>
    fetch(exportUrl(), { headers: { cookie: api.owner.cookieHeader }, signal });

  it("answers an error status, not an empty 200, when the export fails before its first row", async () => {
    const restore = interceptPages(async () => {
      throw new Error("connection terminated unexpectedly");
    });
    try {
      const reply = await get();
      expect(reply.status).toBe(503);
      expect(reply.headers.get("content-type")).toContain("application/problem+json");
    } finally {
      restore();
    }
  });

  it("aborts the download detectably when the export fails midway", async () => {
    const restore = interceptPages(async (page) => {
      if (page >= 1) throw new Error("connection terminated unexpectedly");
    });
    try {
      const reply = await get();
      expect(reply.status).toBe(200);
      await expect(reply.text()).rejects.toThrow();
    } finally {
      restore();
    }
    // The slot was released: the next export runs to the end.
    const full = await get();
    expect(full.status).toBe(200);
    expect((await full.text()).trim().split("\r\n")).toHaveLength(1501);
  });

  it("limits concurrent exports per organization with 429 and Retry-After, and frees the slot on disconnect", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const restore = interceptPages(async (page) => {
      if (page === 1) await held;
    });
    const abort = new AbortController();
    try {
      const first = await get(abort.signal);
      expect(first.status).toBe(200);
      const second = await get();
      expect(second.status).toBe(429);
      expect(((await second.json()) as { code: string }).code).toBe("too_many_exports");
      expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
      abort.abort();
      release();
      // Once the first client is gone its slot is free again (bounded wait).
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        const next = await get();
        status = next.status;
        await next.body?.cancel();
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      release();
      restore();
    }
  });
});

describe("slow clients cannot hold connections for long", () => {
  const api = useSuite(() =>
    startSuite(withQuickStop({ HTTP_HEADERS_TIMEOUT_MS: "1000", HTTP_REQUEST_TIMEOUT_MS: "2000" })),
  );

  /** Opens a raw connection, writes `data`, and resolves with how long until the server closes it. */
  function heldFor(data: string, limitMs = 10_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const socket = connect(api.stack.port, "127.0.0.1", () => socket.write(data));
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`still open after ${limitMs} ms`));
      }, limitMs);
      socket.on("data", () => {});
      socket.on("error", () => {});
      socket.on("close", () => {
        clearTimeout(timer);
        resolve(performance.now() - started);
      });
    });
  }

  it("closes a connection that never finishes its headers", async () => {
    const held = await heldFor("GET /backend/health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
    expect(held).toBeLessThan(8_000);
  });

  it("closes a connection that never finishes its body", async () => {
    const held = await heldFor(
      "POST /backend/orgs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
    );
    expect(held).toBeLessThan(8_000);
  });

  it("still keeps idle keep-alive connections open between requests", async () => {
    const agentless = await new Promise<string>((resolve, reject) => {
      const socket = connect(api.stack.port, "127.0.0.1");
      let seen = "";
      socket.on("data", (chunk) => {
        seen += chunk.toString();
        if ((seen.match(/HTTP\/1\.1 200/g) ?? []).length === 2) {
          socket.destroy();
          resolve(seen);
        }
      });
      socket.on("error", reject);
      const request = "GET /backend/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n";
      socket.write(request);
      // Idle for longer than the header timeout, then reuse the connection.
      setTimeout(() => socket.write(request), 2_500);
      setTimeout(() => reject(new Error(`no second answer: ${seen.slice(0, 200)}`)), 9_000);
    });
    expect(agentless).toContain("HTTP/1.1 200");
  });
});
