import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { migrate as migratePostgres } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { DatabaseConfig } from "../config";
import { type Database, openDatabase } from "./client";
import { ensureRoles } from "./roles";

// Any constant works as long as every Coleta process uses the same one.
export const MIGRATION_LOCK_KEY = 4_242_001;

export function migrationsFolder(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/db → apps/api/drizzle when run from source; dist/ → dist/drizzle in the bundle.
  for (const candidate of [resolve(here, "../../drizzle"), resolve(here, "drizzle")]) {
    if (existsSync(resolve(candidate, "meta/_journal.json"))) return candidate;
  }
  throw new Error("Migrations folder not found (expected apps/api/drizzle or dist/drizzle).");
}

/**
 * Applies pending migrations. N replicas starting together queue on the advisory lock; the first
 * applies, the rest find nothing to do.
 */
export async function runMigrations(database: Database): Promise<void> {
  const folder = migrationsFolder();
  await database.withAdvisoryLock(MIGRATION_LOCK_KEY, async (db) => {
    if (database.kind === "pglite") {
      // biome-ignore lint/suspicious/noExplicitAny: the migrator wants the engine-specific type.
      await migratePglite(db as any, { migrationsFolder: folder });
    } else {
      // biome-ignore lint/suspicious/noExplicitAny: as above.
      await migratePostgres(db as any, { migrationsFolder: folder });
    }
  });
}

/**
 * The migration task: ensure the database roles (only when administrator credentials are given),
 * then connect as this process's own user (the migrator) and apply the migrations.
 */
export async function migrateDatabase(config: DatabaseConfig): Promise<Database["kind"]> {
  if (config.kind === "postgres") await ensureRoles(config);
  const database = await openDatabase(config);
  try {
    await runMigrations(database);
    return database.kind;
  } finally {
    await database.close();
  }
}
