// The PostgreSQL connection options and the role bootstrap, against a real server started for this
// file: initdb + pg_ctl in a temporary folder on a free port, `ssl = on` with a certificate made
// here by openssl for "rds-endpoint.test" (signed by a CA made here too), and a pg_hba.conf that
// admits TCP connections only over TLS (as rds.force_ssl=1 does). The server stands in for RDS: the
// API dials another name (localhost / 127.0.0.1, in AWS db.internal.<domain>) and must still check
// the certificate of the name it expects. An administrator role with CREATEROLE (not a superuser)
// owns the databases, like the RDS master user.
//
// Needs the PostgreSQL server binaries (POSTGRES_BIN_DIR, or /usr/lib/postgresql/<version>/bin),
// openssl and PostGIS for that version; skipped with a notice when they are missing, except in CI.
import { execFileSync, spawnSync } from "node:child_process";
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { freePort } from "../status/testing/net";
import { openDatabase } from "./client";
import { migrateDatabase } from "./migrate";
import { postgresPoolConfig } from "./postgres";
import { scramSha256Verifier } from "./roles";

const SERVER_NAME = "rds-endpoint.test";
const ADMIN = { user: "coleta_admin", password: "admin-Secret_1" };

function postgresBinDir(): string | null {
  const candidates = process.env.POSTGRES_BIN_DIR
    ? [process.env.POSTGRES_BIN_DIR]
    : existsSync("/usr/lib/postgresql")
      ? readdirSync("/usr/lib/postgresql")
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : [];
  return candidates.find((dir) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) ?? null;
}

const BIN = postgresBinDir();
const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;
const postgisControl = (() => {
  if (!BIN) return false;
  const share = spawnSync(join(BIN, "pg_config"), ["--sharedir"], { encoding: "utf8" }).stdout?.trim();
  return Boolean(share) && existsSync(join(share, "extension", "postgis.control"));
})();
const missing = !BIN
  ? "PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql or set POSTGRES_BIN_DIR"
  : !hasOpenssl
    ? "openssl not found"
    : !postgisControl
      ? "PostGIS is not installed for this PostgreSQL"
      : null;
const run = !missing || process.env.CI === "true";
if (!run) console.warn(`api postgres.server test skipped: ${missing}.`);

/** postgres refuses to run as root: as root, the server runs as the `postgres` (or `nobody`) user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync("/etc/passwd", "utf8").split("\n");
  for (const name of ["postgres", "nobody"]) {
    const fields = passwd.find((line) => line.startsWith(`${name}:`))?.split(":");
    if (fields) return { uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw new Error("running as root and found no postgres or nobody user to run the server as");
}

let dir = "";
let port = 0;
let started = false;
const owner = serverUser();
const file = (name: string) => join(dir, name);

function asServer(command: string, args: string[]): string {
  const result = spawnSync(join(BIN as string, command), args, {
    cwd: dir,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, LC_ALL: "C", LANG: "C" },
    ...(owner ?? {}),
  });
  if (result.status !== 0) {
    const log = existsSync(file("server.log")) ? readFileSync(file("server.log"), "utf8").slice(-2000) : "";
    throw new Error(`${command} failed (${result.status}): ${result.stderr}${result.stdout}\n${log}`);
  }
  return result.stdout;
}

const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });

/** A CA (key + self-signed certificate) and a server certificate for `name` signed by it. */
function makeCertificates(prefix: string, name: string) {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  // A new P-256 key in `key`, and in `out` a self-signed certificate (-x509) or a request (-new).
  const newKey = (kind: "-x509" | "-new", key: string, out: string, subject: string, ...more: string[]) =>
    openssl("req", kind, ...ec, "-keyout", key, "-out", out, "-subj", subject, ...more);
  newKey(
    "-x509",
    `${prefix}ca.key`,
    `${prefix}ca.crt`,
    `/CN=Coleta test CA ${prefix}`,
    "-days",
    "2",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  newKey("-new", `${prefix}server.key`, `${prefix}server.csr`, `/CN=${name}`);
  writeFileSync(
    file(`${prefix}server.ext`),
    `subjectAltName=DNS:${name}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  );
  openssl(
    "x509",
    "-req",
    "-in",
    `${prefix}server.csr`,
    "-CA",
    `${prefix}ca.crt`,
    "-CAkey",
    `${prefix}ca.key`,
    "-CAcreateserial",
    "-out",
    `${prefix}server.crt`,
    "-days",
    "2",
    "-extfile",
    `${prefix}server.ext`,
  );
}

/** The superuser, over the Unix socket (pg_hba: local trust). */
async function superuser<T>(database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: dir, port, user: "postgres", database });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (!run) return;
  dir = mkdtempSync(join(tmpdir(), "coleta-pg-tls-"));
  port = await freePort();
  makeCertificates("", SERVER_NAME);
  makeCertificates("other-", SERVER_NAME); // same name, another CA: must be refused
  writeFileSync(file("pwfile"), "superuser-Secret_1\n");
  if (owner) {
    for (const name of ["", ...readdirSync(dir)]) chownSync(join(dir, name), owner.uid, owner.gid);
  }
  asServer("initdb", [
    "-D",
    file("data"),
    "-U",
    "postgres",
    "--pwfile",
    file("pwfile"),
    "--auth-local=trust",
    "--auth-host=scram-sha-256",
    "-E",
    "UTF8",
    "--locale=C",
    "-N",
  ]);
  writeFileSync(
    file("data/postgresql.auto.conf"),
    [
      `port = ${port}`,
      "listen_addresses = 'localhost'",
      `unix_socket_directories = '${dir}'`,
      "ssl = on",
      `ssl_cert_file = '${file("server.crt")}'`,
      `ssl_key_file = '${file("server.key")}'`,
      "fsync = off",
      "max_connections = 40",
      "",
    ].join("\n"),
  );
  // TCP only over TLS (rds.force_ssl=1), password checked with SCRAM.
  writeFileSync(
    file("data/pg_hba.conf"),
    [
      "local all all trust",
      "hostssl all all 127.0.0.1/32 scram-sha-256",
      "hostssl all all ::1/128 scram-sha-256",
      "",
    ].join("\n"),
  );
  if (owner) {
    for (const name of ["data/postgresql.auto.conf", "data/pg_hba.conf", "server.key", "server.crt"]) {
      chownSync(file(name), owner.uid, owner.gid);
    }
  }
  asServer("pg_ctl", ["-D", file("data"), "-l", file("server.log"), "-w", "-t", "30", "start"]);
  started = true;
  await superuser("postgres", async (c) => {
    // Like the RDS master user: may create roles and owns the application databases, no superuser.
    await c.query(`CREATE ROLE ${ADMIN.user} LOGIN CREATEROLE PASSWORD '${ADMIN.password}'`);
    for (const db of ["coleta", "fresh", "legacy"])
      await c.query(`CREATE DATABASE ${db} OWNER ${ADMIN.user}`);
  });
  // On RDS the master user may install PostGIS (rds_superuser); here only a superuser may.
  for (const db of ["fresh", "legacy"]) await superuser(db, (c) => c.query("CREATE EXTENSION postgis"));
}, 120_000);

afterAll(() => {
  if (started) {
    try {
      asServer("pg_ctl", ["-D", file("data"), "-m", "immediate", "-w", "-t", "30", "stop"]);
    } catch (error) {
      console.warn(String(error));
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The variables the ECS task definition sets, pointed at the local server. */
const tlsEnv = (overrides: Record<string, string | undefined> = {}) => ({
  AUTH_SECRET: "x".repeat(32),
  DATA_DIR: tmpdir(),
  DATABASE_HOST: "localhost",
  DATABASE_PORT: String(port),
  DATABASE_NAME: "coleta",
  DATABASE_USER: ADMIN.user,
  DATABASE_PASSWORD: ADMIN.password,
  DATABASE_SSL_MODE: "verify-full",
  DATABASE_SSL_CA_FILE: file("ca.crt"),
  DATABASE_SSL_SERVERNAME: SERVER_NAME,
  ...overrides,
});

function postgresConfig(env: Record<string, string | undefined>) {
  const config = loadConfig(env);
  if (config.database.kind !== "postgres") throw new Error("expected postgres");
  return config.database;
}

/** Connects with exactly the API's pool options and says how the session is protected. */
async function connect(env: Record<string, string | undefined>) {
  const client = new pg.Client(postgresPoolConfig(postgresConfig(env)));
  client.on("error", () => {});
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT ssl, current_user AS user FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE pid = pg_backend_pid()",
    );
    return rows[0] as { ssl: boolean; user: string };
  } finally {
    await client.end();
  }
}

async function refusal(env: Record<string, string | undefined>): Promise<NodeJS.ErrnoException> {
  try {
    await connect(env);
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
  throw new Error("expected the connection to be refused");
}

describe.runIf(run)("verify-full when the API dials another name than the certificate's", () => {
  it("connects to localhost and to 127.0.0.1 when DATABASE_SSL_SERVERNAME names the certificate", async () => {
    expect(await connect(tlsEnv())).toEqual({ ssl: true, user: ADMIN.user });
    expect(await connect(tlsEnv({ DATABASE_HOST: "127.0.0.1" }))).toEqual({ ssl: true, user: ADMIN.user });
    // The API's own open path (pool + ping) too.
    const database = await openDatabase(postgresConfig(tlsEnv()));
    try {
      await database.ping();
    } finally {
      await database.close();
    }
  });

  it("fails on the host name without the override (the certificate names rds-endpoint.test)", async () => {
    const byName = await refusal(tlsEnv({ DATABASE_SSL_SERVERNAME: undefined }));
    expect(byName.code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(byName.message).toMatch(/Host: localhost\. is not in the cert's altnames: DNS:rds-endpoint\.test/);
    const byIp = await refusal(tlsEnv({ DATABASE_HOST: "127.0.0.1", DATABASE_SSL_SERVERNAME: undefined }));
    expect(byIp.code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(byIp.message).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
  });

  it("still checks the name and the chain with the override: a wrong name or another CA is refused", async () => {
    const wrongName = await refusal(tlsEnv({ DATABASE_SSL_SERVERNAME: "other-endpoint.test" }));
    expect(wrongName.code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(wrongName.message).toMatch(/other-endpoint\.test\. is not in the cert's altnames/);
    const otherCa = await refusal(tlsEnv({ DATABASE_SSL_CA_FILE: file("other-ca.crt") }));
    expect(otherCa.code).toMatch(/^UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)$/);
  });

  it("is refused in clear text, like RDS with rds.force_ssl=1", async () => {
    const clear = await refusal(tlsEnv({ DATABASE_SSL_MODE: "disable", DATABASE_SSL_SERVERNAME: undefined }));
    expect(clear.message).toMatch(/no pg_hba\.conf entry .*no encryption/);
  });
});

/** The migration task's variables: migrator as the process's user, the admin and the app role. */
const migrationEnv = (database: string, suffix: string, overrides: Record<string, string> = {}) =>
  tlsEnv({
    DATABASE_NAME: database,
    DATABASE_USER: `coleta_migrator${suffix}`,
    DATABASE_PASSWORD: `migrator-Secret_${suffix}`,
    DATABASE_ADMIN_USER: ADMIN.user,
    DATABASE_ADMIN_PASSWORD: ADMIN.password,
    DATABASE_APP_USER: `coleta_app${suffix}`,
    DATABASE_APP_PASSWORD: `app-Secret_${suffix}`,
    ...overrides,
  });

/** What the migration task does: bootstrap the roles, open as the migrator, migrate, close. */
async function migrationTask(env: Record<string, string | undefined>) {
  await migrateDatabase(postgresConfig(env));
}

/** A client as `user` over TLS with the API's options. */
async function as<T>(database: string, user: string, password: string, fn: (c: pg.Client) => Promise<T>) {
  const client = new pg.Client(
    postgresPoolConfig(
      postgresConfig(tlsEnv({ DATABASE_NAME: database, DATABASE_USER: user, DATABASE_PASSWORD: password })),
    ),
  );
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function sqlError(client: pg.Client, text: string): Promise<string> {
  try {
    await client.query(text);
  } catch (error) {
    return `${(error as { code?: string }).code} ${(error as Error).message}`;
  }
  throw new Error(`expected an error from: ${text}`);
}

const ownersOf = (db: string) =>
  superuser(db, async (c) => {
    const { rows } = await c.query(
      `SELECT n.nspname || '.' || c.relname AS name, pg_get_userbyid(c.relowner) AS owner
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('public', 'drizzle') AND c.relkind IN ('r', 'S') AND c.relname <> 'spatial_ref_sys'`,
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.owner])) as Record<string, string>;
  });

/** DML the API does, as the app role: organization → form → submission (bigserial seq). */
async function appWrites(client: pg.Client, slug: string) {
  const org = await client.query("INSERT INTO organization (name, slug) VALUES ('Org', $1) RETURNING id", [
    slug,
  ]);
  const form = await client.query(
    `INSERT INTO form (organization_id, slug, title, draft) VALUES ($1, $2, 'F', '{}') RETURNING id`,
    [org.rows[0].id, slug],
  );
  const submission = await client.query(
    `INSERT INTO submission (id, form_id, form_version, answers) VALUES (gen_random_uuid(), $1, 1, '{}') RETURNING seq`,
    [form.rows[0].id],
  );
  await client.query("UPDATE form SET title = 'G' WHERE id = $1", [form.rows[0].id]);
  const read = await client.query("SELECT count(*)::int AS n FROM submission WHERE form_id = $1", [
    form.rows[0].id,
  ]);
  await client.query("DELETE FROM submission WHERE form_id = $1", [form.rows[0].id]);
  return { seq: Number(submission.rows[0].seq), read: read.rows[0].n as number };
}

describe.runIf(run)("database roles: the migrator runs DDL, the app only DML", () => {
  it("bootstraps both roles on an empty database, migrates as the migrator, twice without harm", async () => {
    await migrationTask(migrationEnv("fresh", "a"));
    // Second run, through DATABASE_URL this time: idempotent, keeps the passwords.
    const url = `postgres://coleta_migratora:${encodeURIComponent("migrator-Secret_a")}@localhost:${port}/fresh`;
    await migrationTask(
      migrationEnv("fresh", "a", {
        DATABASE_URL: url,
        DATABASE_HOST: "",
        DATABASE_USER: "",
        DATABASE_PASSWORD: "",
      }),
    );

    const owners = await ownersOf("fresh");
    expect(Object.keys(owners).length).toBeGreaterThan(10);
    for (const [name, who] of Object.entries(owners)) expect(who, name).toBe("coleta_migratora");
    await superuser("fresh", async (c) => {
      const { rows } = await c.query(
        `SELECT rolname, rolpassword LIKE 'SCRAM-SHA-256$4096:%' AS scram, rolsuper, rolcreaterole, rolcreatedb
           FROM pg_authid WHERE rolname IN ('coleta_migratora', 'coleta_appa') ORDER BY rolname`,
      );
      expect(rows).toEqual([
        { rolname: "coleta_appa", scram: true, rolsuper: false, rolcreaterole: false, rolcreatedb: false },
        {
          rolname: "coleta_migratora",
          scram: true,
          rolsuper: false,
          rolcreaterole: false,
          rolcreatedb: false,
        },
      ]);
    });
  });

  it("lets the app read and write every table, and refuses it any DDL", async () => {
    await as("fresh", "coleta_appa", "app-Secret_a", async (app) => {
      expect(await appWrites(app, "fresh-1")).toEqual({ seq: expect.any(Number), read: 1 });
      expect(await sqlError(app, "CREATE TABLE sneaky (id int)")).toMatch(
        /^42501 permission denied for schema public/,
      );
      expect(await sqlError(app, "CREATE TEMP TABLE sneaky (id int)")).toMatch(
        /^42501 permission denied to create temporary tables/,
      );
      expect(await sqlError(app, 'ALTER TABLE "user" ADD COLUMN sneaky int')).toMatch(/^42501 must be owner/);
      expect(await sqlError(app, "DROP TABLE submission")).toMatch(/^42501 must be owner/);
      expect(await sqlError(app, "TRUNCATE submission")).toMatch(/^42501 permission denied/);
      expect(await sqlError(app, "CREATE SCHEMA sneaky")).toMatch(/^42501 permission denied for database/);
      expect(await sqlError(app, "SELECT * FROM drizzle.__drizzle_migrations")).toMatch(
        /^42501 permission denied for schema drizzle/,
      );
    });
  });

  it("gives the app DML on tables the migrator creates later (default privileges, sequences too)", async () => {
    await as("fresh", "coleta_migratora", "migrator-Secret_a", (m) =>
      m.query("CREATE TABLE later_table (id bigserial PRIMARY KEY, note text NOT NULL)"),
    );
    await as("fresh", "coleta_appa", "app-Secret_a", async (app) => {
      const { rows } = await app.query("INSERT INTO later_table (note) VALUES ('x') RETURNING id");
      expect(Number(rows[0].id)).toBe(1);
      expect(await sqlError(app, "ALTER TABLE later_table ADD COLUMN y int")).toMatch(/^42501 must be owner/);
    });
  });

  it("hands a database migrated before the split to the migrator, keeping extensions with the admin", async () => {
    // Before: migrations ran as the administrator, which also made a type, a function and pgcrypto.
    await migrationTask(tlsEnv({ DATABASE_NAME: "legacy" }));
    await as("legacy", ADMIN.user, ADMIN.password, async (admin) => {
      await admin.query("CREATE TYPE mood AS ENUM ('ok', 'meh')");
      await admin.query("CREATE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 42'");
      await admin.query("CREATE EXTENSION pgcrypto");
      await admin.query("INSERT INTO organization (name, slug) VALUES ('Before', 'before')");
    });
    // Trusted extensions install as the bootstrap superuser; on RDS PostGIS belongs to the master.
    await superuser("legacy", (c) => c.query(`ALTER FUNCTION gen_salt(text) OWNER TO ${ADMIN.user}`));
    expect(new Set(Object.values(await ownersOf("legacy")))).toEqual(new Set([ADMIN.user]));

    await migrationTask(migrationEnv("legacy", "b"));

    expect(new Set(Object.values(await ownersOf("legacy")))).toEqual(new Set(["coleta_migratorb"]));
    await superuser("legacy", async (c) => {
      const { rows } = await c.query(
        `SELECT (SELECT pg_get_userbyid(typowner) FROM pg_type WHERE typname = 'mood') AS type,
                (SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE proname = 'answer') AS function,
                (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'drizzle') AS schema,
                (SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE oid = 'gen_salt(text)'::regprocedure) AS extension`,
      );
      expect(rows[0]).toEqual({
        type: "coleta_migratorb",
        function: "coleta_migratorb",
        schema: "coleta_migratorb",
        extension: ADMIN.user,
      });
    });
    await as("legacy", "coleta_migratorb", "migrator-Secret_b", (m) =>
      m.query("ALTER TABLE organization ADD COLUMN later_column text"),
    );
    await as("legacy", "coleta_appb", "app-Secret_b", async (app) => {
      const { rows } = await app.query("SELECT name FROM organization WHERE slug = 'before'");
      expect(rows).toEqual([{ name: "Before" }]);
      expect(await appWrites(app, "legacy-1")).toMatchObject({ read: 1 });
    });
  });

  it("stops with one line naming the bootstrap when the administrator's password is wrong", async () => {
    const error = await migrationTask(migrationEnv("fresh", "a", { DATABASE_ADMIN_PASSWORD: "wrong" })).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(
      /^Database role bootstrap as coleta_admin failed: password authentication failed for user "coleta_admin"$/,
    );
  });
});

describe.runIf(run)("SCRAM-SHA-256 verifier", () => {
  it("is what PostgreSQL itself stores for the same password, salt and iterations", async () => {
    const stored = await superuser("postgres", async (c) => {
      await c.query("CREATE ROLE scram_probe PASSWORD 'pencil-Secret_1'");
      const { rows } = await c.query("SELECT rolpassword FROM pg_authid WHERE rolname = 'scram_probe'");
      await c.query("DROP ROLE scram_probe");
      return rows[0].rolpassword as string;
    });
    const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(stored) ?? [];
    expect(
      scramSha256Verifier("pencil-Secret_1", Number(iterations), Buffer.from(salt ?? "", "base64")),
    ).toBe(stored);
  });
});
