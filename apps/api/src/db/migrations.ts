import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

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
