import { afterAll, beforeAll, inject } from "vitest";
import { openPglite } from "../../src/db/pglite";
import { openPostgres } from "../../src/db/postgres";
import type { Database } from "../../src/db/types";

/**
 * Both database engines the API runs on, bare (no migrations): embedded PGlite in memory always,
 * and the test PostgreSQL server when one is configured. For statements that need no tables.
 */
export function useEngines(): { name: string; database: () => Database }[] {
  const engines: { name: string; open: () => Promise<Database>; db?: Database }[] = [
    { name: "pglite", open: () => openPglite("memory://") },
  ];
  const template = inject("pgTemplate");
  if (template) {
    engines.push({
      name: "postgres",
      open: () =>
        openPostgres({
          kind: "postgres",
          connectionString: template.adminUrl,
          port: 5432,
          database: "postgres",
          poolSize: 2,
          ssl: { mode: "disable" },
        }),
    });
  }
  beforeAll(async () => {
    for (const engine of engines) engine.db = await engine.open();
  }, 60_000);
  afterAll(async () => {
    for (const engine of engines) await engine.db?.close();
  });
  return engines.map((engine) => ({
    name: engine.name,
    database: () => {
      if (!engine.db) throw new Error(`${engine.name} is not open`);
      return engine.db;
    },
  }));
}
