import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { postgis } from "@electric-sql/pglite-postgis";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import * as schema from "./schema";
import type { Database, Db } from "./types";

export class DataDirLockedError extends Error {}

// Locks this process holds: a pid check alone cannot tell two openers inside one process apart.
const heldHere = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite is one process's private database: two processes on one data directory would corrupt it.
 * A lock file with our pid guards it; a lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = resolve(dirname(dataDir), "pglite.lock");
  mkdirSync(dirname(lockFile), { recursive: true });
  const locked = (holder: number) =>
    new DataDirLockedError(
      `The embedded database in ${dirname(dataDir)} is in use by another Coleta process (pid ${holder}). Stop it first, or set DATA_DIR to another folder.`,
    );
  if (heldHere.has(lockFile)) throw locked(process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      heldHere.add(lockFile);
      return () => {
        heldHere.delete(lockFile);
        rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(lockFile, "utf8"));
      if (holder && holder !== process.pid && pidAlive(holder)) throw locked(holder);
      rmSync(lockFile, { force: true });
    }
  }
  throw new DataDirLockedError(`Could not lock the embedded database in ${dirname(dataDir)}.`);
}

/**
 * PostgreSQL settings for the embedded database: one connection on a laptop, whose WebAssembly
 * memory never shrinks once touched, so every buffer sized for a server stays resident for good.
 * The server defaults (128 MB shared buffers, 64 MB for maintenance, 80 MB to 1 GB of WAL kept on
 * disk) cost about 120 MB of resident memory and 80 MB of disk here (docs/performance.md,
 * "Embedded mode"; `npm run bench:embedded` measures it).
 */
const EMBEDDED_SETTINGS = [
  "shared_buffers=16MB",
  "maintenance_work_mem=16MB",
  "wal_buffers=1MB",
  "min_wal_size=32MB",
  "max_wal_size=128MB",
];

/** How many migrations the database has applied (0 before the first). */
async function appliedMigrations(client: PGlite): Promise<number> {
  try {
    const result = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations",
    );
    return result.rows[0]?.n ?? 0;
  } catch {
    return 0;
  }
}

/** `dataDir` of "memory://" keeps everything in memory (tests). */
export async function openPglite(dataDir: string, loadFrom?: Blob): Promise<Database> {
  const inMemory = dataDir.startsWith("memory://");
  const unlock = inMemory ? () => {} : lockDataDir(dataDir);
  const open = (load?: Blob) =>
    PGlite.create(inMemory ? undefined : dataDir, {
      extensions: { postgis },
      startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((s) => ["-c", s])],
      ...(load ? { loadDataDir: load } : {}),
    });
  let client: PGlite;
  try {
    if (!inMemory) mkdirSync(dataDir, { recursive: true });
    client = await open(loadFrom);
  } catch (error) {
    unlock();
    throw error;
  }
  let engineDb = drizzle({ client, schema });
  // PGlite has one connection: callers never run two things on it at once, and a transaction must
  // only ever use its own `tx` (a query on `db` inside it would wait for itself forever).
  return {
    kind: "pglite",
    get db() {
      return engineDb as unknown as Db;
    },
    async query<T>(text: string, params?: unknown[]) {
      const result = await client.query<T>(text, params);
      return result.rows;
    },
    // One process owns the database, so there is nobody to lock against.
    withAdvisoryLock: (_key, fn) => fn(engineDb as unknown as Db),
    async migrate(migrationsFolder) {
      const before = await appliedMigrations(client);
      await migrate(engineDb, { migrationsFolder });
      if (inMemory || (await appliedMigrations(client)) === before) return;
      // WebAssembly memory only grows: what the migrations needed (all of them, on a first start)
      // would stay with the process for its whole life. Serving from a fresh instance of the same
      // folder gives it back (about 200 MiB on a first start; docs/performance.md, "Embedded").
      await client.exec("CHECKPOINT");
      await client.close();
      client = await open();
      engineDb = drizzle({ client, schema });
    },
    async ping() {
      await client.query("SELECT 1");
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    maxConcurrency: 1,
    async close() {
      try {
        if (!client.closed) {
          await client.exec("CHECKPOINT");
          await client.close();
        }
      } finally {
        unlock();
      }
    },
  };
}
