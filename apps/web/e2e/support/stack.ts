import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { API_START_FILE, DIST_DIR } from "./paths";

export interface Stack {
  /** Origin of the server, e.g. http://127.0.0.1:41234 (web at /frontend/, API at /backend/). */
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

type StartColeta = (
  env: Record<string, string | undefined>,
) => Promise<{ url: string; close(): Promise<void> }>;

/** Waits (up to waitMs) for apps/api/src/start.ts, so suites can be written before the API lands. */
async function loadStart(waitMs: number): Promise<StartColeta> {
  const deadline = Date.now() + waitMs;
  while (!existsSync(API_START_FILE)) {
    if (Date.now() >= deadline) {
      throw new Error(`The API entry ${API_START_FILE} does not exist yet (startColeta).`);
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
  const mod = (await import(pathToFileURL(API_START_FILE).href)) as { startColeta?: StartColeta };
  if (typeof mod.startColeta !== "function") throw new Error(`${API_START_FILE} does not export startColeta`);
  return mod.startColeta;
}

/** A port that was free a moment ago (the API's trusted origin must name the real port). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export function apiIsAvailable(): boolean {
  return existsSync(API_START_FILE);
}

/**
 * Starts the real API in-process on a random port with a fresh data directory, serving the built
 * web (apps/web/dist). `env` overrides/extends the defaults.
 */
export async function startStack(
  env: Record<string, string | undefined> = {},
  options: { waitForApiMs?: number } = {},
): Promise<Stack> {
  const startColeta = await loadStart(
    options.waitForApiMs ?? Number(process.env.COLETA_E2E_WAIT_API_MS ?? 0),
  );
  const dataDir = await mkdtemp(join(tmpdir(), "coleta-e2e-"));
  // PORT 0 would leave PUBLIC_URL (and so the trusted origin for cookie POSTs) at localhost:0, so pick
  // the port here and tell the API its public URL.
  const port = env.PORT && env.PORT !== "0" ? Number(env.PORT) : await freePort();
  const server = await startColeta({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    WEB_DIST_DIR: DIST_DIR,
    LOG_LEVEL: "silent",
    SIGNUP_MODE: "open",
    NODE_ENV: "test",
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "10000",
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_FORM: "100000",
    ...env,
  });
  const url = server.url.replace(/\/$/, "");
  return {
    url,
    dataDir,
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
