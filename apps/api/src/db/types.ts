import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

// The database as the rest of the API sees it, whichever engine is behind it. Types only: the
// engines (pglite.ts, postgres.ts) and the factory (client.ts) import this module, never each other.

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Database {
  kind: "pglite" | "postgres";
  db: Db;
  /**
   * Rows of a raw query; used where Drizzle's builder would cost more than it gives (hot paths).
   * A `name` prepares the statement once per connection, so PostgreSQL parses and plans it once
   * instead of at every call: for the few fixed statements run many times a second (the
   * submission writer's). PGlite ignores it.
   */
  query<T>(text: string, params?: unknown[], name?: string): Promise<T[]>;
  /** Runs fn while holding a Postgres advisory lock, on one connection. */
  withAdvisoryLock<T>(key: number, fn: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Applies the pending migrations of `migrationsFolder` with this engine's migrator. Replicas
   * starting together queue on one advisory lock: the first applies, the rest find nothing to do.
   */
  migrate(migrationsFolder: string): Promise<void>;
  ping(): Promise<void>;
  poolStats(): PoolStats;
  /** How many writes can usefully run at once (1 for PGlite's single connection). */
  maxConcurrency: number;
  close(): Promise<void>;
}
