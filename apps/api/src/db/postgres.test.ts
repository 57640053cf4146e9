import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config";
import { postgresPoolConfig } from "./postgres";

const configFor = (env: Record<string, string>) => {
  const config = loadConfig({ AUTH_SECRET: "x".repeat(32), DATA_DIR: tmpdir(), ...env });
  if (config.database.kind !== "postgres") throw new Error("expected postgres");
  return postgresPoolConfig(config.database);
};

/** verify-full with a CA bundle file (read, never used to verify here), plus `env`. */
const verifyFull = (env: Record<string, string>) => {
  const ca = join(mkdtempSync(join(tmpdir(), "coleta-ca-")), "bundle.pem");
  writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  return configFor({ DATABASE_SSL_MODE: "verify-full", DATABASE_SSL_CA_FILE: ca, ...env });
};

describe("PostgreSQL connection options", () => {
  it("connects in clear text by default and takes the pool size from config", () => {
    const pool = configFor({ DATABASE_URL: "postgres://u:p@db:5432/coleta", DATABASE_POOL_SIZE: "7" });
    expect(pool.ssl).toBe(false);
    expect(pool.max).toBe(7);
  });

  it("encrypts without checking the certificate with require, and overrides sslmode in the URL", () => {
    const pool = configFor({
      DATABASE_URL: "postgres://u:p@db:5432/coleta?sslmode=disable",
      DATABASE_SSL_MODE: "require",
    });
    expect(pool.ssl).toEqual({ rejectUnauthorized: false });
    expect(pool.connectionString).not.toContain("sslmode");
  });

  it("checks the certificate chain and host name against the CA bundle with verify-full", () => {
    const pool = verifyFull({
      DATABASE_HOST: "coleta.abc.us-east-1.rds.amazonaws.com",
      DATABASE_USER: "coleta",
      DATABASE_PASSWORD: "secret",
    });
    expect(pool).toMatchObject({
      host: "coleta.abc.us-east-1.rds.amazonaws.com",
      user: "coleta",
      database: "coleta",
      port: 5432,
    });
    expect(pool.ssl).toMatchObject({
      rejectUnauthorized: true,
      ca: expect.stringContaining("BEGIN CERTIFICATE"),
    });
  });

  it("checks the certificate against DATABASE_SSL_SERVERNAME instead of the host it dials", () => {
    const pool = verifyFull({
      DATABASE_HOST: "db.internal.coleta.example.com",
      DATABASE_USER: "coleta_app",
      DATABASE_SSL_SERVERNAME: "coleta-prod.abc.us-east-1.rds.amazonaws.com",
    });
    expect(pool.host).toBe("db.internal.coleta.example.com");
    expect(pool.ssl).toMatchObject({
      rejectUnauthorized: true,
      servername: "coleta-prod.abc.us-east-1.rds.amazonaws.com",
      checkServerIdentity: expect.any(Function),
    });
    // (postgres.server.test.ts proves it against a real server and certificate.)
  });
});

describe("database settings: server name and role bootstrap", () => {
  const base = { AUTH_SECRET: "x".repeat(32), DATA_DIR: tmpdir() };
  const fail = (env: Record<string, string>) => {
    try {
      loadConfig({ ...base, ...env });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).not.toContain("\n");
      return (error as Error).message;
    }
    throw new Error("expected a configuration error");
  };
  const host = { DATABASE_HOST: "db.internal.example.org", DATABASE_USER: "coleta_migrator" };
  const roles = { DATABASE_ADMIN_USER: "coleta", DATABASE_APP_USER: "coleta_app" };

  it("stops with one line naming the variable on a bad combination", () => {
    expect(
      fail({ ...host, DATABASE_SSL_MODE: "require", DATABASE_SSL_SERVERNAME: "x.rds.amazonaws.com" }),
    ).toBe("Invalid configuration: DATABASE_SSL_SERVERNAME: only used with DATABASE_SSL_MODE=verify-full");
    expect(fail({ ...host, DATABASE_SSL_SERVERNAME: "not a host" })).toMatch(
      /^Invalid configuration: DATABASE_SSL_SERVERNAME: expected a host name/,
    );
    expect(fail({ ...host, DATABASE_APP_USER: "coleta_app" })).toBe(
      "Invalid configuration: DATABASE_APP_USER: only used with DATABASE_ADMIN_USER (the role bootstrap)",
    );
    expect(fail({ ...host, DATABASE_ADMIN_USER: "coleta" })).toBe(
      "Invalid configuration: DATABASE_APP_USER: required when DATABASE_ADMIN_USER is set",
    );
    expect(fail({ ...roles })).toBe(
      "Invalid configuration: DATABASE_ADMIN_USER: needs a PostgreSQL server (DATABASE_URL or DATABASE_HOST)",
    );
    expect(fail({ ...host, ...roles, DATABASE_ADMIN_USER: "coleta_migrator" })).toBe(
      "Invalid configuration: DATABASE_ADMIN_USER: must differ from DATABASE_USER (the migrator role)",
    );
    expect(fail({ DATABASE_URL: "postgres://coleta_app@h/db", ...roles })).toBe(
      "Invalid configuration: DATABASE_APP_USER: must differ from DATABASE_USER and DATABASE_ADMIN_USER",
    );
    expect(fail({ ...host, ...roles, DATABASE_APP_USER: "Coleta-App" })).toMatch(
      /^Invalid configuration: DATABASE_APP_USER: expected a role name/,
    );
  });

  it("hands the bootstrap the administrator and the app role; without them there is none", () => {
    const config = loadConfig({
      ...base,
      ...host,
      ...roles,
      DATABASE_ADMIN_PASSWORD: "admin-pw",
      DATABASE_APP_PASSWORD: "app-pw",
    });
    expect(config.database).toMatchObject({
      kind: "postgres",
      user: "coleta_migrator",
      roles: { adminUser: "coleta", adminPassword: "admin-pw", appUser: "coleta_app", appPassword: "app-pw" },
    });
    const plain = loadConfig({ ...base, ...host });
    expect(plain.database).not.toHaveProperty("roles");
  });
});
