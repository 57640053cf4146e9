import { is, SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Database } from "./types";

// Statements outside Drizzle's builder are composed with Drizzle's own `sql` tag, the one way to
// write SQL in this API: every `${value}` is a parameter, a nested fragment is spliced in with its
// parameters, `sql.join(fragments, separator)` lists them, and `sql.raw(text)` is for trusted,
// constant text only (never anything a request brought). The parameters are numbered ($1…$n)
// once, when the whole statement is rendered, so no code numbers them by hand. The same fragment
// runs on both engines: rendered for `Database.query`, or handed to a Drizzle `execute`. Each
// `${value}` is a parameter of its own, so two spellings of one expression are two expressions to
// PostgreSQL: where they must match (GROUP BY, ORDER BY), refer to the output column instead.
export { type SQL, sql };

/** A statement as the drivers take it: text with $1…$n, and the values in that order. */
export interface Statement {
  text: string;
  params: unknown[];
}

const dialect = new PgDialect();

/**
 * Drizzle's tag turns `undefined` into nothing and spreads an array into a `(a, b, c)` list: both
 * silently change a statement. Here they are mistakes: an array goes in as one parameter with
 * `list(values)`, a missing value is a bug in the caller.
 */
function checkValues(fragment: SQL): SQL {
  for (const chunk of fragment.queryChunks) {
    if (chunk === undefined) throw new TypeError("An SQL value is undefined.");
    if (Array.isArray(chunk)) throw new TypeError("An SQL value is an array: pass it with list(values).");
    if (is(chunk, SQL)) checkValues(chunk);
  }
  return fragment;
}

/** Numbers the parameters of a composed statement, in reading order. */
export function render(statement: SQL): Statement {
  const query = dialect.sqlToQuery(checkValues(statement));
  return { text: query.sql, params: query.params };
}

/** A statement checked for values the tag would drop or spread, for a Drizzle `execute`. */
export const checked = (statement: SQL): SQL => checkValues(statement);

/** The rows of a composed statement. */
export function queryRows<T>(database: Pick<Database, "query">, statement: SQL): Promise<T[]> {
  const { text, params } = render(statement);
  return database.query<T>(text, params);
}

/** A node-postgres client or pool: where a connection of its own is needed (locks, a role bootstrap). */
interface DriverClient<R> {
  query(text: string, values: unknown[]): Promise<R>;
}

/** Runs a composed statement on a node-postgres client, with the driver's own result. */
export function runOn<R>(client: DriverClient<R>, statement: SQL): Promise<R> {
  const { text, params } = render(statement);
  return client.query(text, params);
}

/** An array as one parameter (for `= ANY(…)`, `unnest(…)`, `…::text[]`). */
export const list = (values: readonly unknown[]): SQL => sql`${sql.param(values)}`;

/** Conditions joined with AND; an OR inside a condition brings its own parentheses. */
export const allOf = (conditions: readonly SQL[]): SQL =>
  conditions.length === 0 ? sql`true` : sql.join([...conditions], sql` AND `);
