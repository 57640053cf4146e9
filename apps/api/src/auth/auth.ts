import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError } from "better-auth/api";
import type { Cache } from "../cache";
import type { Config } from "../config";
import { account, session, user, verification } from "../db/schema";
import type { Database } from "../db/types";
import { countOrganizations, hasPendingInvitation } from "../orgs/queries";
import { OrganizationInput } from "../orgs/schemas";
import { createOrganizationWithOwner } from "../orgs/service";
import { CLIENT_IP_HEADER } from "./client-ip-header";
import { countUsers, firstUserId } from "./queries";
import { createSetupGate } from "./setup-code";

const FIRST_OWNER_LOCK_KEY = 4_242_002;

export function createAuth(config: Config, database: Database, cache: Cache) {
  const setupGate = createSetupGate(config);
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
          before: async (candidate, context) => {
            const mode = config.env.SIGNUP_MODE;
            if ((await countUsers(database.db)) === 0) {
              // The first account becomes owner: on an exposed server it needs the console's code.
              if (setupGate.accepts((context?.body as { setupCode?: unknown } | undefined)?.setupCode))
                return;
              throw new APIError("FORBIDDEN", {
                code: "SETUP_CODE_INVALID",
                message: "Enter the setup code printed in the console where Coleta was started.",
              });
            }
            if (mode === "open") return;
            if (mode === "invite-only" && (await hasPendingInvitation(database.db, candidate.email))) return;
            throw new APIError("FORBIDDEN", {
              code: "SIGNUP_CLOSED",
              message:
                mode === "invite-only"
                  ? "Sign-up needs an invitation. Ask an administrator to invite this e-mail address."
                  : "Sign-up is closed on this Coleta installation.",
            });
          },
          after: async (created, context) => {
            // The web sends the name in the user's language; otherwise an English default.
            const requested = OrganizationInput.shape.name.safeParse(
              (context?.body as { organizationName?: unknown } | undefined)?.organizationName,
            );
            const organizationName = requested.success ? requested.data : `${created.name}'s organization`;
            // The very first account owns a first organization. The lock makes two simultaneous
            // first sign-ups produce one organization, not two.
            await database.withAdvisoryLock(FIRST_OWNER_LOCK_KEY, async (db) => {
              if ((await countOrganizations(db)) > 0) return;
              if ((await firstUserId(db)) !== created.id) return;
              await createOrganizationWithOwner(db, { name: organizationName }, created.id);
            });
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
