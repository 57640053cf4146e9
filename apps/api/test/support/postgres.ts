import { randomBytes } from "node:crypto";
import pg from "pg";
import { loadConfig } from "../../src/config";
import { openDatabase } from "../../src/db/client";
import { runMigrations } from "../../src/db/migrate";

export function testServerUrl(): string | null {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || null;
}

export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(base: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(
  base: string,
  template?: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `coleta_t_${randomBytes(5).toString("hex")}`;
  await admin(base, (c) => c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`));
  return {
    url: databaseUrl(base, name),
    drop: () => admin(base, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

export async function prepareTemplateDatabase(): Promise<{
  adminUrl: string;
  name: string;
  drop(): Promise<void>;
} | null> {
  const base = testServerUrl();
  if (!base) return null;
  const created = await createDatabase(base);
  const config = loadConfig({
    DATABASE_URL: created.url,
    DATA_DIR: "/tmp/coleta-test-template",
    AUTH_SECRET: "x".repeat(32),
  });
  const database = await openDatabase(config.database);
  try {
    await runMigrations(database);
  } finally {
    await database.close();
  }
  return { adminUrl: base, name: new URL(created.url).pathname.slice(1), drop: created.drop };
}
