import { count, eq } from "drizzle-orm";
import { user } from "../db/schema";
import type { Db } from "../db/types";

// Statements about user accounts that Coleta runs itself (Better-Auth runs its own through the
// Drizzle adapter). Like every query module, functions take a `Db`, also a transaction's.

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(user);
  return row?.n ?? 0;
}

/** The id of the account created first, i.e. the installation's first owner. */
export async function firstUserId(db: Db): Promise<string | undefined> {
  const [row] = await db.select({ id: user.id }).from(user).orderBy(user.createdAt).limit(1);
  return row?.id;
}

export async function findUser(db: Db, userId: string) {
  const [row] = await db.select({ name: user.name, email: user.email }).from(user).where(eq(user.id, userId));
  return row;
}
