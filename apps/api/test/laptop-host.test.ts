import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { TEST_SECRET, type TestDatabase, testDatabase } from "./support/stack";
import { startSuite, useSuite } from "./support/suite";

// Issue 12, laptop security: a fresh install listens on loopback only; once HOST exposes it, the
// first sign-up (the future owner) needs the one-time code the server prints in its console.

/** This machine's first non-loopback IPv4 address: how a neighbour on the network would reach us. */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

describe("default HOST (loopback)", () => {
  const suite = useSuite(() => startSuite({ HOST: undefined }));

  it("listens on 127.0.0.1 only", async () => {
    const { stack } = suite;
    expect(stack.config.env.HOST).toBe("127.0.0.1");
    expect(await canConnect("127.0.0.1", stack.port)).toBe(true);
    if (lanAddress) expect(await canConnect(lanAddress, stack.port)).toBe(false);
  });

  it("lets the first visitor create the owner without a setup code", async () => {
    const client = suite.client();
    expect((await client.get("/setup")).body).toMatchObject({ needsOwner: true, setupCodeRequired: false });
    expect(suite.stack.setupCode).toBeNull();
    await client.signUp();
    expect((await client.get("/setup")).body).toMatchObject({ needsOwner: false });
  });
});

describe("HOST exposed to the network (the CLI)", () => {
  let database: TestDatabase;
  let server: ChildProcess;
  let output = "";
  let port = 0;

  beforeAll(async () => {
    database = await testDatabase();
    const entry = fileURLToPath(new URL("../src/server.ts", import.meta.url));
    server = spawn(process.execPath, ["--import", "tsx", entry], {
      env: {
        PATH: process.env.PATH,
        ...database.env,
        NODE_ENV: "test",
        HOST: "0.0.0.0",
        PORT: "0",
        LOG_LEVEL: "silent",
        AUTH_SECRET: TEST_SECRET,
        WEB_DIST_DIR: "/nonexistent-web-dist",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    server.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
      const check = () => {
        if (/setup code on the sign-up page: \S+/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      server.stdout?.on("data", check);
      server.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    });
    port = Number(/running: http:\/\/localhost:(\d+)/.exec(output)?.[1]);
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
    await database?.drop();
  });

  const printedCode = () => /setup code on the sign-up page: (\S+)/.exec(output)?.[1] ?? "";
  const signUp = (client: TestClient, extra: Record<string, unknown>) =>
    client.post("/auth/sign-up/email", {
      email: "owner@example.com",
      name: "Owner",
      password: "correct-horse-battery",
      ...extra,
    });

  it("prints a one-time setup code and is reachable from the network", async () => {
    expect(printedCode()).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    if (lanAddress) expect(await canConnect(lanAddress, port)).toBe(true);
    const client = new TestClient(`http://127.0.0.1:${port}`);
    expect((await client.get("/setup")).body).toMatchObject({ needsOwner: true, setupCodeRequired: true });
  });

  it("refuses the first sign-up without the code or with a wrong one, naming the field", async () => {
    const client = new TestClient(`http://127.0.0.1:${port}`);
    for (const extra of [{}, { setupCode: "AAAA-AAAA-AAAA" }]) {
      const reply = await signUp(client, extra);
      expect(reply.status).toBe(403);
      expect(reply.headers.get("content-type")).toContain("application/problem+json");
      expect(reply.body).toMatchObject({ code: "setup_code_invalid", errors: [{ path: "setupCode" }] });
    }
    expect((await client.get("/setup")).body).toMatchObject({ needsOwner: true });
  });

  it("creates the owner with the printed code; later sign-ups need none", async () => {
    const owner = new TestClient(`http://127.0.0.1:${port}`);
    const reply = await signUp(owner, {
      setupCode: printedCode().toLowerCase(),
      organizationName: "Organização de Owner",
    });
    expect(reply.status).toBe(200);
    expect((await owner.get("/setup")).body).toMatchObject({ needsOwner: false, setupCodeRequired: false });
    const me = await owner.get("/me");
    expect(me.body.organizations).toMatchObject([{ name: "Organização de Owner", role: "owner" }]);
    await new TestClient(`http://127.0.0.1:${port}`).signUp();
  });
});
