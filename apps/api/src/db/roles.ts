import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import pg from "pg";
import { type PostgresConfig, postgresPoolConfig } from "./postgres";
import { list, runOn, type SQL, sql } from "./sql";

// Separate database roles in production: the administrator (RDS master) creates a migrator that
// owns the schema and an app role limited to reading and writing rows. Only the one-off migration
// task is given administrator credentials (DATABASE_ADMIN_*), and it runs this before it connects
// as the migrator; the API service never does.

/** The same server, database and TLS settings, as another user (the administrator). */
function asUser(config: PostgresConfig, user: string, password: string | undefined): pg.ClientConfig {
  const { max: _max, ...base } = postgresPoolConfig(config);
  const client = { ...base, application_name: "coleta-roles", connectionTimeoutMillis: 10_000 };
  if (!base.connectionString) return { ...client, user, password };
  // pg takes the user from the URL over separate fields, so replace it there (setters encode).
  const url = new URL(base.connectionString);
  url.username = user;
  url.password = password ?? "";
  return { ...client, connectionString: url.toString() };
}

/** The user the process itself connects as: the migrator when roles are bootstrapped. */
function ownUser(config: PostgresConfig): { user: string; password?: string } {
  if (!config.connectionString) return { user: config.user ?? "", password: config.password };
  const url = new URL(config.connectionString);
  return {
    user: decodeURIComponent(url.username),
    password: url.password ? decodeURIComponent(url.password) : undefined,
  };
}

/**
 * A SCRAM-SHA-256 verifier (RFC 5802/7677, PostgreSQL's stored format) so CREATE ROLE never carries
 * the password itself (statement logs, pg_stat_statements). PostgreSQL SASLprep-normalizes
 * passwords first, which leaves printable ASCII unchanged: anything else is sent as is and hashed by
 * the server.
 */
export function scramSha256Verifier(password: string, iterations = 4096, salt = randomBytes(16)): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest("base64");
  const serverKey = createHmac("sha256", salted).update("Server Key").digest("base64");
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey}:${serverKey}`;
}

/** Taken while the roles are ensured: two migration tasks starting together do not race. */
export const ROLES_LOCK_KEY = 4_242_003;
/** Extensions the migrations create. Creating them takes the administrator (rds_superuser on RDS). */
export const ADMIN_EXTENSIONS = ["postgis"] as const;
/** drizzle-orm's migrations schema (runMigrations keeps the default). */
const MIGRATIONS_SCHEMA = "drizzle";
const SCHEMAS = ["public", MIGRATIONS_SCHEMA];

/**
 * Role bootstrap, as the administrator (the RDS master user), in one transaction, idempotent:
 *
 * - the migrator (this process's own user) and the app role exist, with LOGIN and the passwords
 *   given, if they did not (an existing role keeps its password: Secrets Manager rotates it);
 * - the migrator owns the schema: USAGE + CREATE on `public`, CREATE on the database (drizzle's
 *   migrator runs CREATE SCHEMA IF NOT EXISTS), the `drizzle` schema, and every table, view,
 *   sequence, type and function the administrator still owns there from before the split
 *   (extension objects stay with the administrator);
 * - the app gets SELECT/INSERT/UPDATE/DELETE on the migrator's tables and USAGE/SELECT on its
 *   sequences, now and by default for every table the migrator creates later; nothing else: no
 *   CREATE on the schema or the database, no TEMPORARY, owns nothing, so it cannot run DDL;
 * - the extensions the migrations need exist (only the administrator may create PostGIS).
 *
 * The administrator becomes a member of the migrator: PostgreSQL only lets it hand objects to a
 * role, create a schema for it or set its default privileges that way.
 */
export async function ensureRoles(config: PostgresConfig): Promise<void> {
  const roles = config.roles;
  if (!roles) return;
  const migrator = ownUser(config);
  const client = new pg.Client(asUser(config, roles.adminUser, roles.adminPassword));
  client.on("error", () => {});
  // Statements are composed fragments: values are parameters, names are quoted identifiers, and the
  // few pieces DDL cannot take as either (a role's password, what the catalog names) are raw text
  // escaped or quoted before they get here.
  const id = (name: string) => sql.identifier(name);
  const run = (statement: SQL) => runOn<pg.QueryResult>(client, statement);
  const passwordClause = (password: string | undefined) =>
    password
      ? sql.raw(
          ` PASSWORD ${client.escapeLiteral(/^[\x20-\x7e]*$/.test(password) ? scramSha256Verifier(password) : password)}`,
        )
      : sql``;
  try {
    await client.connect();
    await run(sql`BEGIN`);
    await run(sql`SELECT pg_advisory_xact_lock(${ROLES_LOCK_KEY})`);
    const { rows } = await run(sql`SELECT current_database() AS db, current_user AS admin`);
    const { db, admin } = rows[0] as { db: string; admin: string };
    const [m, a] = [id(migrator.user), id(roles.appUser)];

    for (const [name, password] of [
      [migrator.user, migrator.password],
      [roles.appUser, roles.appPassword],
    ] as const) {
      const exists = await run(sql`SELECT 1 FROM pg_roles WHERE rolname = ${name}`);
      if (exists.rowCount === 0) await run(sql`CREATE ROLE ${id(name)} LOGIN${passwordClause(password)}`);
    }
    await run(sql`GRANT ${m} TO ${id(admin)}`);
    for (const extension of ADMIN_EXTENSIONS) await run(sql`CREATE EXTENSION IF NOT EXISTS ${id(extension)}`);

    await run(sql`REVOKE CREATE, TEMPORARY ON DATABASE ${id(db)} FROM PUBLIC`);
    await run(sql`GRANT CONNECT ON DATABASE ${id(db)} TO ${m}, ${a}`);
    // drizzle's migrator runs CREATE SCHEMA IF NOT EXISTS, which checks this privilege first.
    await run(sql`GRANT CREATE ON DATABASE ${id(db)} TO ${m}`);
    await run(sql`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await run(sql`GRANT USAGE, CREATE ON SCHEMA public TO ${m}`);
    await run(sql`GRANT USAGE ON SCHEMA public TO ${a}`);
    await run(sql`CREATE SCHEMA IF NOT EXISTS ${id(MIGRATIONS_SCHEMA)} AUTHORIZATION ${m}`);

    // Objects created before the split (migrations that ran as the administrator).
    const schemas = list(SCHEMAS);
    const owned = await run(
      sql`SELECT kind, name FROM (
         SELECT 'SCHEMA' AS kind, quote_ident(n.nspname) AS name, n.oid AS objid,
                'pg_namespace'::regclass AS classid, n.nspowner AS owner
           FROM pg_namespace n WHERE n.nspname = ${MIGRATIONS_SCHEMA}
         UNION ALL
         SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                  WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                c.oid::regclass::text, c.oid, 'pg_class'::regclass, c.relowner
           FROM pg_class c
          WHERE c.relnamespace::regnamespace::text = ANY(${schemas}) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
            -- serial/identity sequences follow their table
            AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                     AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
         UNION ALL
         SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype::text, t.oid,
                'pg_type'::regclass, t.typowner
           FROM pg_type t
          WHERE t.typnamespace::regnamespace::text = ANY(${schemas})
            AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND
                 (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
         UNION ALL
         SELECT 'ROUTINE', p.oid::regprocedure::text, p.oid, 'pg_proc'::regclass, p.proowner
           FROM pg_proc p WHERE p.pronamespace::regnamespace::text = ANY(${schemas})
       ) o
       WHERE o.owner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
         AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = o.classid AND e.objid = o.objid
                         AND e.deptype = 'e')
       ORDER BY kind = 'SCHEMA' DESC`,
    );
    // kind is one of the constants above, name is quoted by PostgreSQL (quote_ident, regclass, …).
    for (const row of owned.rows as Array<{ kind: string; name: string }>) {
      await run(sql`ALTER ${sql.raw(row.kind)} ${sql.raw(row.name)} OWNER TO ${m}`);
    }

    // As the migrator: what it owns now, and by default what it creates later, is open to the app.
    await run(sql`SET LOCAL ROLE ${m}`);
    await run(
      sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${a}`,
    );
    await run(sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${a}`);
    const relations = await run(
      sql`SELECT c.oid::regclass::text AS name, c.relkind = 'S' AS sequence FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')`,
    );
    for (const row of relations.rows as Array<{ name: string; sequence: boolean }>) {
      const relation = sql.raw(row.name);
      await run(
        row.sequence
          ? sql`GRANT USAGE, SELECT ON SEQUENCE ${relation} TO ${a}`
          : sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${relation} TO ${a}`,
      );
    }
    await run(sql`COMMIT`);
  } catch (error) {
    await run(sql`ROLLBACK`).catch(() => {});
    throw new Error(`Database role bootstrap as ${roles.adminUser} failed: ${(error as Error).message}`);
  } finally {
    await client.end();
  }
}
