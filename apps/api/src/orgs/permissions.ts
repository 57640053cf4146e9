import { type Action, minimumRole } from "@coleta/permissions";
import type { MiddlewareHandler } from "hono";
import type { MemberEnv, Services, SessionUser, SignedInEnv } from "../context";
import type { Role } from "../db/schema";
import { AppError } from "../errors/app-error";
import { canonicalUuid } from "../http/ids";
import { roleInOrganization } from "./queries";
import { roleAtLeast } from "./roles";

const ROLE_TTL_SECONDS = 60;
const NO_ROLE = "-";
// Keys use the canonical (lower-case) org id, so every spelling of an id hits the same entry.
const roleKey = (orgId: string, userId: string) => `role:${orgId.toLowerCase()}:${userId}`;
const generationKey = (orgId: string, userId: string) => `rolegen:${orgId.toLowerCase()}:${userId}`;

/**
 * The member's role in an organization, or null. Cached (Redis when present) and invalidated on
 * change. A lookup that overlaps a change must not put the old answer back after the invalidation,
 * so it only fills the cache if the member's generation counter did not move while it read.
 */
export async function roleOf(services: Services, orgId: string, userId: string): Promise<Role | null> {
  const key = roleKey(orgId, userId);
  const cached = await services.cache.get(key);
  if (cached) return cached === NO_ROLE ? null : (cached as Role);
  const generation = await services.cache.get(generationKey(orgId, userId));
  const role = await roleInOrganization(services.database.db, orgId, userId);
  if ((await services.cache.get(generationKey(orgId, userId))) === generation) {
    await services.cache.set(key, role ?? NO_ROLE, ROLE_TTL_SECONDS);
  }
  return role;
}

/** Call after the change has committed. */
export async function forgetRole(services: Services, orgId: string, userId: string): Promise<void> {
  await services.cache.hit(generationKey(orgId, userId), 24 * 3600);
  await services.cache.del(roleKey(orgId, userId));
}

export async function currentUser(services: Services, headers: Headers): Promise<SessionUser | null> {
  const result = await services.auth.api.getSession({ headers });
  if (!result) return null;
  return { id: result.user.id, name: result.user.name, email: result.user.email };
}

/** The signed-in user of this request, or 401. */
async function signedInUser(services: Services, headers: Headers): Promise<SessionUser> {
  const user = await currentUser(services, headers);
  if (!user) throw AppError.unauthorized();
  return user;
}

/**
 * Answers 401 unless the caller is signed in. Typed with SignedInEnv, so the handlers behind it
 * read `c.get("user")` as a SessionUser without a cast.
 */
export function requireUser(services: Services): MiddlewareHandler<SignedInEnv> {
  return async (c, next) => {
    c.set("user", await signedInUser(services, c.req.raw.headers));
    await next();
  };
}

/**
 * The single permission check for organization routes: the caller must be signed in (401) and a
 * member of `{orgId}` (404 otherwise, so outsiders cannot probe which organizations exist) with at
 * least the minimum role of `action` in @coleta/permissions (403). Typed with MemberEnv, so the
 * handlers behind it read `c.get("user")` and `c.get("role")` without casts.
 */
export function requireRole(services: Services, action: Action): MiddlewareHandler<MemberEnv> {
  const minimum = minimumRole(action);
  return async (c, next) => {
    const user = await signedInUser(services, c.req.raw.headers);
    c.set("user", user);
    const orgId = canonicalUuid(c.req.param("orgId"));
    const role = orgId ? await roleOf(services, orgId, user.id) : null;
    if (!role) throw AppError.notFound("Organization not found.");
    if (!roleAtLeast(role, minimum)) throw AppError.forbidden(`This needs the ${minimum} role or higher.`);
    c.set("role", role);
    await next();
  };
}
