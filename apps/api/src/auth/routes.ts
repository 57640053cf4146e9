import { createRoute, z } from "@hono/zod-openapi";
import { count, eq } from "drizzle-orm";
import type { Services, SessionUser } from "../context";
import { membership, organization, ROLES, user } from "../db/schema";
import { createRouter, jsonContent, problems } from "../http/openapi";
import { requireUser } from "../orgs/permissions";

const SetupSchema = z
  .object({
    needsOwner: z
      .boolean()
      .openapi({ description: "True on an empty install: the next sign-up becomes owner." }),
    signupMode: z.enum(["open", "invite-only", "closed"]),
  })
  .openapi("Setup");

const MeSchema = z
  .object({
    user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
    organizations: z.array(
      z.object({ id: z.string().uuid(), name: z.string(), slug: z.string(), role: z.enum(ROLES) }),
    ),
  })
  .openapi("Me");

export function accountRoutes(services: Services) {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: "get",
      path: "/setup",
      tags: ["Account"],
      summary: "Install state for the first-run screen",
      responses: { 200: jsonContent(SetupSchema, "Install state") },
    }),
    async (c) => {
      const [row] = await services.database.db.select({ n: count() }).from(user);
      return c.json({ needsOwner: (row?.n ?? 0) === 0, signupMode: services.config.env.SIGNUP_MODE }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/me",
      tags: ["Account"],
      summary: "The signed-in user and their organizations",
      middleware: [requireUser(services)] as const,
      responses: { 200: jsonContent(MeSchema, "The signed-in user"), ...problems(401) },
    }),
    async (c) => {
      const me = c.get("user") as SessionUser;
      const organizations = await services.database.db
        .select({
          id: organization.id,
          name: organization.name,
          slug: organization.slug,
          role: membership.role,
        })
        .from(membership)
        .innerJoin(organization, eq(organization.id, membership.organizationId))
        .where(eq(membership.userId, me.id))
        .orderBy(organization.name);
      return c.json({ user: me, organizations }, 200);
    },
  );

  return router;
}
