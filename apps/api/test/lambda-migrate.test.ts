import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigrationHandler } from "../src/lambda/migrate";
import { SECRET_ENV_VARIABLE, withSecrets } from "../src/lambda/secrets";
import { lambdaConfig } from "../src/lambda/services";
import { createDatabase, testServerUrl } from "./support/postgres";

// The migration function (run by a CloudFormation custom resource before traffic moves) on an
// empty database of the suite's PostgreSQL, and how the functions read their secrets.

const server = testServerUrl();
const MIGRATOR_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:coleta/test/db-migrator-AbCdEf";

describe("secrets for the functions", () => {
  it("fills variables from whole secrets and from JSON fields, reading each secret once", async () => {
    const reads: string[] = [];
    const env = await withSecrets(
      {
        LOG_LEVEL: "info",
        [SECRET_ENV_VARIABLE]: JSON.stringify({
          DATABASE_USER: `${MIGRATOR_ARN}#username`,
          DATABASE_PASSWORD: `${MIGRATOR_ARN}#password`,
          AUTH_SECRET: "arn:aws:secretsmanager:us-east-1:123456789012:secret:auth",
        }),
      },
      async (id) => {
        reads.push(id);
        return id === MIGRATOR_ARN
          ? JSON.stringify({ username: "coleta_migrator", password: "s3cr3t" })
          : "k".repeat(40);
      },
    );
    expect(env).toEqual({
      LOG_LEVEL: "info",
      DATABASE_USER: "coleta_migrator",
      DATABASE_PASSWORD: "s3cr3t",
      AUTH_SECRET: "k".repeat(40),
    });
    expect(reads.sort()).toEqual(
      [MIGRATOR_ARN, "arn:aws:secretsmanager:us-east-1:123456789012:secret:auth"].sort(),
    );
  });

  it("names the variable and field of a bad reference, never a secret's value", async () => {
    const env = { [SECRET_ENV_VARIABLE]: JSON.stringify({ DATABASE_PASSWORD: `${MIGRATOR_ARN}#pasword` }) };
    const error = await withSecrets(env, async () => JSON.stringify({ password: "s3cr3t" })).catch(
      (e: Error) => e,
    );
    expect(String(error)).toContain('DATABASE_PASSWORD: the secret has no field "pasword"');
    expect(String(error)).not.toContain("s3cr3t");
    await expect(withSecrets({ [SECRET_ENV_VARIABLE]: "[1]" }, async () => "")).rejects.toThrow(
      SECRET_ENV_VARIABLE,
    );
  });

  it("refuses what cannot work on Lambda: the embedded database, a missing AUTH_SECRET", () => {
    expect(() => lambdaConfig({ AUTH_SECRET: "k".repeat(40) })).toThrow(
      /DATABASE_URL or DATABASE_HOST: required on Lambda/,
    );
    expect(() => lambdaConfig({ DATABASE_URL: "postgres://u@db/coleta" })).toThrow(
      /AUTH_SECRET: required on Lambda/,
    );
  });
});

describe.skipIf(!server)("the migration function", () => {
  let database: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    database = await createDatabase(server as string);
  });
  afterAll(async () => {
    await database?.drop();
  });

  const tables = async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const rows = await client.query(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('submission', 'form', 'organization')",
      );
      const applied = await client
        .query("SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations")
        .catch(() => ({
          rows: [{ n: 0 }],
        }));
      return { tables: rows.rows[0].n as number, applied: applied.rows[0].n as number };
    } finally {
      await client.end();
    }
  };

  it("migrates an empty database on Create, is a no-op on a repeated Update, and leaves data on Delete", async () => {
    expect(await tables()).toEqual({ tables: 0, applied: 0 });
    const migrate = createMigrationHandler({ DATABASE_URL: database.url, LOG_LEVEL: "silent" });
    const created = await migrate({ RequestType: "Create" });
    expect(created).toEqual({
      PhysicalResourceId: "coleta-database-migrations",
      Data: { applied: "postgres" },
    });
    const after = await tables();
    expect(after.tables).toBe(3);
    expect(after.applied).toBeGreaterThan(0);

    const updated = await migrate({
      RequestType: "Update",
      PhysicalResourceId: "coleta-database-migrations",
    });
    expect(updated.PhysicalResourceId).toBe("coleta-database-migrations");
    expect(await tables()).toEqual(after);

    await migrate({ RequestType: "Delete", PhysicalResourceId: "coleta-database-migrations" });
    expect(await tables()).toEqual(after);
  });

  it("fails the deploy (throws) when the database cannot be reached", async () => {
    const migrate = createMigrationHandler({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    await expect(migrate({ RequestType: "Update" })).rejects.toThrow();
  });
});
