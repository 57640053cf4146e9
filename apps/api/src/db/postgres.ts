import { readFileSync } from "node:fs";
import { checkServerIdentity } from "node:tls";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import type { DatabaseConfig } from "../config";
import { MIGRATION_LOCK_KEY } from "./migrations";
import * as schema from "./schema";
import { runOn, sql } from "./sql";
import type { Database, Db } from "./types";

export type PostgresConfig = Extract<DatabaseConfig, { kind: "postgres" }>;

function sslOptions(ssl: PostgresConfig["ssl"]): pg.PoolConfig["ssl"] {
  if (ssl.mode === "disable") return false;
  // `require` encrypts without checking who answers (libpq semantics); `verify-full` checks the
  // certificate chain against the given CA bundle and the host name.
  if (ssl.mode === "require") return { rejectUnauthorized: false };
  const ca = ssl.caFile ? readFileSync(ssl.caFile, "utf8") : undefined;
  const serverName = ssl.serverName;
  if (!serverName) return { rejectUnauthorized: true, ca };
  // We dial our own name (db.internal.<domain>), the certificate names the server (the RDS
  // endpoint). pg overwrites tls `servername` with the host it dials, so the identity check itself
  // is replaced: the chain is still checked against the CA bundle, the name against serverName
  // instead of the host. (servername only reaches SNI when the host is an IP address.)
  return {
    rejectUnauthorized: true,
    ca,
    servername: serverName,
    checkServerIdentity: (_host, cert) => checkServerIdentity(serverName, cert),
  };
}

// An sslmode in the URL would override our TLS options inside pg; DATABASE_SSL_MODE is the one switch.
function withoutSslParams(connectionString: string): string {
  const url = new URL(connectionString);
  for (const key of ["sslmode", "sslrootcert", "sslcert", "sslkey", "ssl"]) url.searchParams.delete(key);
  return url.toString();
}

export function postgresPoolConfig(config: PostgresConfig): pg.PoolConfig {
  return {
    ...(config.connectionString
      ? { connectionString: withoutSslParams(config.connectionString) }
      : {
          host: config.host,
          port: config.port,
          database: config.database,
          user: config.user,
          password: config.password,
        }),
    max: config.poolSize,
    ssl: sslOptions(config.ssl),
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: "coleta-api",
  };
}

export async function openPostgres(config: PostgresConfig): Promise<Database> {
  const pool = new pg.Pool(postgresPoolConfig(config));
  // An idle client that loses its connection emits 'error'; without a listener that kills the process.
  pool.on("error", () => {});
  const db = drizzle({ client: pool, schema }) as unknown as Db;
  /** Runs fn on one pooled connection that holds the advisory lock `key` meanwhile. */
  async function onLockedConnection<T>(key: number, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await runOn(client, sql`SELECT pg_advisory_lock(${key})`);
      try {
        return await fn(client);
      } finally {
        await runOn(client, sql`SELECT pg_advisory_unlock(${key})`);
      }
    } finally {
      client.release();
    }
  }
  return {
    kind: "postgres",
    db,
    async query<T>(text: string, params?: unknown[], name?: string) {
      const result = await (name ? pool.query({ name, text, values: params }) : pool.query(text, params));
      return result.rows as T[];
    },
    withAdvisoryLock: (key, fn) =>
      onLockedConnection(key, (client) => fn(drizzle({ client, schema }) as unknown as Db)),
    async migrate(migrationsFolder) {
      await onLockedConnection(MIGRATION_LOCK_KEY, (client) =>
        migrate(drizzle({ client, schema }), { migrationsFolder }),
      );
    },
    async ping() {
      await pool.query("SELECT 1");
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    maxConcurrency: Math.max(1, config.poolSize - 2),
    close: () => pool.end(),
  };
}
