import type { DatabaseConfig } from "../config";
import { openDatabase } from "./client";
import { migrationsFolder } from "./migrations";
import { ensureRoles } from "./roles";
import type { Database } from "./types";

export { migrationsFolder } from "./migrations";

/** Applies pending migrations (each engine knows its own migrator; see Database.migrate). */
export async function runMigrations(database: Database): Promise<void> {
  await database.migrate(migrationsFolder());
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
