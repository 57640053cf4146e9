import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { DatabaseConfig } from "../config";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** What the rest of the API knows about the database, whichever engine is behind it. */
export interface Database {
  kind: "pglite" | "postgres";
  db: Db;
  /** Rows of a raw query; used where Drizzle's builder would cost more than it gives (hot paths). */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs fn while holding a Postgres advisory lock, on one connection. */
  withAdvisoryLock<T>(key: number, fn: (db: Db) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  poolStats(): PoolStats;
  /** How many writes can usefully run at once (1 for PGlite's single connection). */
  maxConcurrency: number;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === "pglite") {
    const { openPglite } = await import("./pglite");
    return openPglite(config.dataDir);
  }
  const { openPostgres } = await import("./postgres");
  return openPostgres(config);
}

export { schema };
