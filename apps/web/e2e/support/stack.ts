import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, startColeta } from "@coleta/api/testing";
import { DIST_DIR } from "./paths";

export interface Stack {
  /** Origin of the server, e.g. http://127.0.0.1:41234 (web at /frontend/, API at /backend/). */
  url: string;
  dataDir: string;
  /** A statement on the stack's own database (seeding many rows at once). */
  query<T = unknown>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * Starts the real API in-process on a free port, serving the built web (apps/web/dist). With
 * TEST_DATABASE_URL (CI) it gets its own fresh PostgreSQL database; otherwise embedded PGlite in a
 * fresh folder. `env` overrides the defaults.
 */
export async function startStack(env: Record<string, string | undefined> = {}): Promise<Stack> {
  const dataDir = await mkdtemp(join(tmpdir(), "coleta-e2e-"));
  const server = process.env.TEST_DATABASE_URL ? await createDatabase(process.env.TEST_DATABASE_URL) : null;
  const running = await startColeta({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    ...(server ? { DATABASE_URL: server.url } : {}),
    WEB_DIST_DIR: DIST_DIR,
    LOG_LEVEL: "silent",
    SIGNUP_MODE: "open",
    NODE_ENV: "test",
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "10000",
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_FORM: "100000",
    ...env,
  });
  return {
    url: running.url.replace(/\/$/, ""),
    dataDir,
    query: (text, params) => running.services.database.query(text, params),
    async close() {
      await running.close();
      await server?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
