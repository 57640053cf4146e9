import { type AnyPgColumn, timestamp, uuid } from "drizzle-orm/pg-core";

// Column shapes the tables share, written once. Every time is a timestamptz: rows are compared and
// shown across time zones (the status board, exports), never as a local wall-clock time.

/** A point in time (timestamptz). */
export const instant = (name: string) => timestamp(name, { withTimezone: true });

/** A time the database writes itself when the row is inserted (NOT NULL DEFAULT now()). */
export const stamp = (name: string) => instant(name).notNull().defaultNow();

/** `created_at` and `updated_at`, both set on insert; the code moves `updated_at` on changes. */
export const timestamps = () => ({ createdAt: stamp("created_at"), updatedAt: stamp("updated_at") });

/** The row that owns this one (`owner`, its key): required, and this row goes when its owner goes. */
export function ownedBy<C extends Referencing>(column: { notNull(): C }, owner: () => AnyPgColumn): C {
  const required = column.notNull();
  required.references(owner, { onDelete: "cascade" }); // adds the foreign key to this builder
  return required;
}
type Referencing = { references(ref: () => AnyPgColumn, actions: { onDelete: "cascade" }): unknown };

/** A key the database generates (gen_random_uuid()), for rows the API creates itself. */
export const generatedId = () => uuid("id").primaryKey().defaultRandom();
