import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/client";
import { migrationsFolder, runMigrations } from "../src/db/migrate";
import * as schema from "../src/db/schema";
import type { Database } from "../src/db/types";
import { createDatabase, testServerUrl } from "./support/postgres";

let database: Database;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const server = testServerUrl();
  if (server) {
    const empty = await createDatabase(server);
    database = await openDatabase(
      loadConfig({ DATABASE_URL: empty.url, AUTH_SECRET: "x".repeat(32), DATA_DIR: tmpdir() }).database,
    );
    cleanup = empty.drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), "coleta-migrate-"));
    database = await openDatabase({ kind: "pglite", dataDir: join(dir, "pglite") });
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
afterAll(async () => {
  await database?.close();
  await cleanup?.();
});

describe("migrations", () => {
  it("apply to an empty database, twice without harm, and produce exactly the Drizzle models", async () => {
    await runMigrations(database);
    await runMigrations(database);
    const tables = (Object.values(schema) as unknown[])
      .filter((v): v is PgTable => v instanceof PgTable)
      .map((t) => getTableConfig(t));
    const dbTables = await database.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'",
    );
    expect(dbTables.map((t) => t.name).sort()).toEqual(tables.map((t) => t.name).sort());
    const normalize = (type: string) =>
      ({ bigserial: "bigint", serial: "integer", "geography(point,4326)": "geography(Point,4326)" })[
        type.toLowerCase()
      ] ?? type;
    for (const table of tables) {
      const columns = await database.query<{ name: string; type: string; notnull: boolean }>(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relname = $1 AND a.attnum > 0 AND NOT a.attisdropped`,
        [table.name],
      );
      const actual = Object.fromEntries(
        columns.map((c) => [c.name, `${c.type}${c.notnull ? " not null" : ""}`]),
      );
      const wanted = Object.fromEntries(
        table.columns.map((c) => [
          c.name,
          `${normalize(c.getSQLType())}${c.notNull || c.primary ? " not null" : ""}`,
        ]),
      );
      expect({ table: table.name, columns: actual }).toEqual({ table: table.name, columns: wanted });
      const indexes = await database.query<{ name: string }>(
        "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1",
        [table.name],
      );
      const names = indexes.map((i) => i.name);
      for (const index of table.indexes) expect(names).toContain(index.config.name);
    }
  });

  it("are up to date with the models (drizzle-kit generate would add nothing)", async () => {
    const folder = migrationsFolder();
    const journal = JSON.parse(readFileSync(join(folder, "meta/_journal.json"), "utf8")) as {
      entries: { idx: number }[];
    };
    const last = journal.entries.at(-1)?.idx ?? 0;
    const snapshot = JSON.parse(
      readFileSync(join(folder, `meta/${String(last).padStart(4, "0")}_snapshot.json`), "utf8"),
    );
    const current = generateDrizzleJson(schema, snapshot.id);
    expect(await generateMigration(snapshot, current)).toEqual([]);
  });

  it("wait for each other under the advisory lock when replicas start together", async () => {
    if (database.kind !== "postgres") return;
    const order: string[] = [];
    const hold = database.withAdvisoryLock(4_242_001, async () => {
      order.push("first in");
      await new Promise((r) => setTimeout(r, 300));
      order.push("first out");
    });
    await new Promise((r) => setTimeout(r, 50));
    const second = runMigrations(database).then(() => order.push("second done"));
    await Promise.all([hold, second]);
    expect(order).toEqual(["first in", "first out", "second done"]);
  });
});
