import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError } from "better-auth/api";
import { count, sql } from "drizzle-orm";
import type { Cache } from "../cache";
import type { Config } from "../config";
import type { Database } from "../db/client";
import { account, invitation, organization, session, user, verification } from "../db/schema";
import { createOrganizationWithOwner } from "../orgs/service";
import { CLIENT_IP_HEADER } from "./handler";

const FIRST_OWNER_LOCK_KEY = 4_242_002;

async function userCount(database: Database): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(user);
  return row?.n ?? 0;
}

async function hasPendingInvitation(database: Database, email: string): Promise<boolean> {
  const rows = await database.db
    .select({ id: invitation.id })
    .from(invitation)
    .where(
      sql`lower(${invitation.email}) = lower(${email}) and ${invitation.status} = 'pending' and ${invitation.expiresAt} > now()`,
    )
    .limit(1);
  return rows.length > 0;
}

export function createAuth(config: Config, database: Database, cache: Cache) {
  return betterAuth({
    appName: "Coleta",
    secret: config.authSecret,
    baseURL: config.baseUrl,
    basePath: `${config.apiBasePath}/auth`,
    trustedOrigins: config.trustedOrigins,
    database: drizzleAdapter(database.db, {
      provider: "pg",
      schema: { user, session, account, verification },
    }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    // With Redis, sessions are cached there AND kept in Postgres: a Redis flush costs a database
    // lookup, never a sign-out.
    ...(cache.kind === "redis"
      ? {
          secondaryStorage: {
            get: (key: string) => cache.get(`auth:${key}`),
            set: (key: string, value: string, ttl?: number) => cache.set(`auth:${key}`, value, ttl),
            delete: (key: string) => cache.del(`auth:${key}`),
            getAndDelete: (key: string) => cache.getAndDelete(`auth:${key}`),
            increment: async (key: string, ttl: number) => (await cache.hit(`auth:${key}`, ttl)).count,
          },
        }
      : {}),
    session: { storeSessionInDatabase: true, expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    rateLimit: {
      // Per client address (see CLIENT_IP_HEADER); off by default only in the test environment.
      enabled: config.env.AUTH_RATE_LIMIT_ENABLED ?? config.env.NODE_ENV !== "test",
      storage: cache.kind === "redis" ? "secondary-storage" : "memory",
      window: 60,
      max: config.env.AUTH_RATE_LIMIT_PER_MINUTE,
    },
    advanced: {
      useSecureCookies: config.baseUrl.startsWith("https://"),
      cookiePrefix: "coleta",
      // The address is resolved once, by the API (TRUST_PROXY_HOPS), and handed over in this header
      // by the auth gateway, which drops any copy a client sent.
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    databaseHooks: {
      user: {
        create: {
          before: async (candidate) => {
            const mode = config.env.SIGNUP_MODE;
            if (mode === "open" || (await userCount(database)) === 0) return;
            if (mode === "invite-only" && (await hasPendingInvitation(database, candidate.email))) return;
            throw new APIError("FORBIDDEN", {
              code: "SIGNUP_CLOSED",
              message:
                mode === "invite-only"
                  ? "Sign-up needs an invitation. Ask an administrator to invite this e-mail address."
                  : "Sign-up is closed on this Coleta installation.",
            });
          },
          after: async (created) => {
            // The very first account owns a first organization. The lock makes two simultaneous
            // first sign-ups produce one organization, not two.
            await database.withAdvisoryLock(FIRST_OWNER_LOCK_KEY, async (db) => {
              const [orgs] = await db.select({ n: count() }).from(organization);
              if ((orgs?.n ?? 0) > 0) return;
              const [firstUser] = await db
                .select({ id: user.id })
                .from(user)
                .orderBy(user.createdAt)
                .limit(1);
              if (firstUser?.id !== created.id) return;
              await createOrganizationWithOwner(db, { name: `${created.name}'s organization` }, created.id);
            });
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
