import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import type { EnvInput } from "../../src/config";
import { type RunningColeta, startColeta } from "../../src/start";
import { createDatabase } from "./postgres";

export const TEST_SECRET = "test-secret-for-coleta-at-least-32-chars";

export interface TestDatabase {
  env: EnvInput;
  kind: "postgres" | "pglite";
  drop(): Promise<void>;
}

/** A private, migrated database for one test file: a clone of the template, or a PGlite folder. */
export async function testDatabase(): Promise<TestDatabase> {
  const template = inject("pgTemplate");
  if (template) {
    const db = await createDatabase(template.adminUrl, template.name);
    return { env: { DATABASE_URL: db.url }, kind: "postgres", drop: db.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), "coleta-pglite-"));
  return {
    env: { DATA_DIR: dir },
    kind: "pglite",
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const testRedisUrl = () => process.env.TEST_REDIS_URL || process.env.REDIS_URL || undefined;

export interface TestStack extends RunningColeta {
  stop(): Promise<void>;
}

/** Starts the real API on a free port against `database`; stop() leaves the database in place. */
export async function startApi(database: TestDatabase, env: EnvInput = {}): Promise<TestStack> {
  const dataDir = database.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), "coleta-data-"));
  const running = await startColeta({
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "silent",
    AUTH_SECRET: TEST_SECRET,
    DATA_DIR: dataDir,
    WEB_DIST_DIR: "/nonexistent-web-dist",
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "100000",
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_FORM: "1000000",
    ...database.env,
    ...env,
  });
  return { ...running, stop: () => running.close() };
}
