import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { postgresPoolConfig } from "./postgres";

const configFor = (env: Record<string, string>) => {
  const config = loadConfig({ AUTH_SECRET: "x".repeat(32), DATA_DIR: tmpdir(), ...env });
  if (config.database.kind !== "postgres") throw new Error("expected postgres");
  return postgresPoolConfig(config.database);
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
    const ca = join(mkdtempSync(join(tmpdir(), "coleta-ca-")), "bundle.pem");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    const pool = configFor({
      DATABASE_HOST: "coleta.abc.us-east-1.rds.amazonaws.com",
      DATABASE_USER: "coleta",
      DATABASE_PASSWORD: "secret",
      DATABASE_SSL_MODE: "verify-full",
      DATABASE_SSL_CA_FILE: ca,
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
});
