import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestDatabase, testDatabase } from "../../test/support/stack";
import type { Cache } from "../cache";
import { createMemoryCache } from "../cache/memory";
import { loadConfig } from "../config";
import type { Services } from "../context";
import { openDatabase } from "../db/client";
import { runMigrations } from "../db/migrate";
import { user } from "../db/schema";
import type { Database } from "../db/types";
import { forgetRole, roleOf } from "./permissions";
import { addMembership, insertOrganization, setMemberRole } from "./queries";

// The role cache against a real database (a clone of the migrated test template, or PGlite). The race is staged through the cache, the
// one seam roleOf has between its database read and its cache fill: no fake query builder.

let testDb: TestDatabase;
let database: Database;
let orgId: string;
let userSeq = 0;

beforeAll(async () => {
  testDb = await testDatabase();
  const config = loadConfig({ DATA_DIR: tmpdir(), ...testDb.env, AUTH_SECRET: "x".repeat(32) });
  database = await openDatabase(config.database);
  await runMigrations(database);
  orgId = (await insertOrganization(database.db, { name: "Org", slug: "org-perm-test" })).id;
});
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

async function newUser(): Promise<string> {
  const id = `user-${++userSeq}`;
  await database.db.insert(user).values({ id, name: id, email: `${id}@example.com` });
  return id;
}

/** A memory cache that counts reads and runs `onRead(key, n)` before answering the n-th read of a key. */
function instrumentedCache(onRead: (key: string, n: number) => Promise<void> = async () => {}) {
  const inner = createMemoryCache();
  const reads = new Map<string, number>();
  const cache: Cache = {
    ...inner,
    async get(key) {
      const n = (reads.get(key) ?? 0) + 1;
      reads.set(key, n);
      await onRead(key, n);
      return inner.get(key);
    },
  };
  return cache;
}

const servicesWith = (cache: Cache) => ({ cache, database }) as unknown as Services;

describe("permission cache", () => {
  it("does not put back a stale answer when a change lands during the lookup", async () => {
    const userId = await newUser();
    let services: Services;
    // roleOf reads the member's generation before and after its database read; the invitation is
    // accepted (and the cache invalidated) in between, so the lookup's "not a member" is stale.
    const cache = instrumentedCache(async (key, n) => {
      if (key.startsWith("rolegen:") && n === 2) {
        await addMembership(database.db, { organizationId: orgId, userId, role: "viewer" });
        await forgetRole(services, orgId, userId);
      }
    });
    services = servicesWith(cache);
    expect(await roleOf(services, orgId, userId)).toBeNull();
    expect(await roleOf(services, orgId, userId)).toBe("viewer");
  });

  it("serves repeat lookups from the cache until the next change", async () => {
    const userId = await newUser();
    await addMembership(database.db, { organizationId: orgId, userId, role: "editor" });
    const services = servicesWith(instrumentedCache());
    expect(await roleOf(services, orgId, userId)).toBe("editor");
    // A change without an invalidation is not seen: the answer came from the cache.
    await setMemberRole(database.db, orgId, userId, "admin");
    expect(await roleOf(services, orgId, userId)).toBe("editor");
    await forgetRole(services, orgId, userId);
    expect(await roleOf(services, orgId, userId)).toBe("admin");
  });

  it("caches 'not a member' too, and any spelling of the organization id hits one entry", async () => {
    const userId = await newUser();
    const services = servicesWith(instrumentedCache());
    expect(await roleOf(services, orgId.toUpperCase(), userId)).toBeNull();
    await addMembership(database.db, { organizationId: orgId, userId, role: "owner" });
    expect(await roleOf(services, orgId, userId)).toBeNull();
    await forgetRole(services, orgId.toUpperCase(), userId);
    expect(await roleOf(services, orgId, userId)).toBe("owner");
  });
});
