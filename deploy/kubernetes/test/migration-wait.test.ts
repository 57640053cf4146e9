// The ordering mechanism, run for real: the API pods' init container script against a stand-in
// Kubernetes API server (plain HTTP on localhost; in the cluster it is HTTPS with the pod's CA).
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATION_WAIT_SCRIPT, migrationJobName } from "../src/migration-wait.ts";

type Reply = { status: number; body?: unknown };

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** Serves `replies` in order (the last one repeats), recording every request. */
async function fakeApiServer(replies: Reply[]) {
  const requests: IncomingMessage[] = [];
  let i = 0;
  const server = createServer((req, res) => {
    requests.push(req);
    const reply = replies[Math.min(i++, replies.length - 1)] as Reply;
    res.writeHead(reply.status, { "content-type": "application/json" });
    res.end(JSON.stringify(reply.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/** Runs the script; kills it after `timeoutMs`, or as soon as its output matches `killWhen`. */
function runWaiter(
  apiUrl: string,
  timeoutMs = 20_000,
  killWhen?: RegExp,
): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), "kube-api-"));
  writeFileSync(join(dir, "token"), "test-token\n");
  const child = spawn(process.execPath, ["-e", MIGRATION_WAIT_SCRIPT], {
    env: {
      PATH: process.env.PATH,
      KUBE_API_URL: apiUrl,
      KUBE_API_CREDENTIALS_DIR: dir,
      NAMESPACE: "coleta-api",
      JOB_NAME: "coleta-migrate-abc",
      POLL_INTERVAL_MS: "20",
    },
  });
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
    if (killWhen?.test(output)) child.kill("SIGKILL");
  });
  child.stderr.on("data", (d) => (output += d));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const job = (conditions: Array<{ type: string; status: string }>) => ({ status: { conditions } });

describe("wait-for-migration init container", () => {
  it("waits while the Job is missing or running, then lets the API start once it completed", async () => {
    const api = await fakeApiServer([
      { status: 404 },
      { status: 200, body: job([]) },
      { status: 200, body: job([{ type: "Complete", status: "True" }]) },
    ]);
    const { code, output } = await runWaiter(api.url);
    expect(code).toBe(0);
    expect(api.requests.length).toBe(3);
    expect(api.requests[0]?.url).toBe("/apis/batch/v1/namespaces/coleta-api/jobs/coleta-migrate-abc");
    expect(api.requests[0]?.headers.authorization).toBe("Bearer test-token");
    expect(output).toMatch(/complete/);
  });

  it("fails (and so stops the rollout) when the migration Job failed", async () => {
    const api = await fakeApiServer([{ status: 200, body: job([{ type: "Failed", status: "True" }]) }]);
    const { code, output } = await runWaiter(api.url);
    expect(code).toBe(1);
    expect(output).toMatch(/failed/);
  });

  it("keeps waiting while the API server cannot be reached", async () => {
    // Killed once it has said it is waiting a few times (no exit of its own in between).
    const { code, output } = await runWaiter(
      "http://127.0.0.1:9",
      30_000,
      /(waiting for the API server[^\n]*\n){3}/,
    );
    expect(code).toBeNull();
    expect(output).toMatch(/waiting for the API server/);
  });
});

describe("migration Job name", () => {
  it("is one per image digest and refuses images without one", () => {
    const digest = "0123456789ab".padEnd(64, "c");
    expect(migrationJobName(`r/coleta-api@sha256:${digest}`)).toBe("coleta-migrate-0123456789ab");
    expect(() => migrationJobName("r/coleta-api:latest")).toThrow(/digest/);
  });
});
