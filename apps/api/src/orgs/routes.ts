import { z } from "@hono/zod-openapi";
import { findUser } from "../auth/queries";
import type { Services } from "../context";
import type { Role } from "../db/schema";
import { AppError } from "../errors/app-error";
import { createRouter, jsonBody, jsonContent, listOf, problems } from "../http/openapi";
import { memberRoutes, signedInRoutes } from "./member-route";
import { forgetRole } from "./permissions";
import { deleteOrganization, findOrganization, listMembers, renameOrganization } from "./queries";
import { MemberSchema, OrganizationInput, OrganizationSchema, RoleSchema } from "./schemas";
import { changeMembership, createOrganizationWithOwner } from "./service";

export function organizationRoutes(services: Services) {
  const router = createRouter();
  const { db } = services.database;
  const signedInRoute = signedInRoutes(services, "Organizations");
  const orgRoute = memberRoutes(services, "Organizations");
  const memberRoute = memberRoutes(services, "Members");

  async function orgView(orgId: string, role: Role) {
    const org = await findOrganization(db, orgId);
    if (!org) throw AppError.notFound("Organization not found.");
    return { id: org.id, name: org.name, slug: org.slug, role, createdAt: org.createdAt.toISOString() };
  }

  router.openapi(
    signedInRoute.post("/orgs", {
      summary: "Create an organization (the caller becomes its owner)",
      request: { body: jsonBody(OrganizationInput) },
      responses: { 201: jsonContent(OrganizationSchema, "Created") },
    }),
    async (c) => {
      const me = c.get("user");
      const org = await createOrganizationWithOwner(db, c.req.valid("json"), me.id);
      return c.json(await orgView(org.id, "owner"), 201);
    },
  );

  router.openapi(
    orgRoute.get("org.view", "/orgs/{orgId}", {
      summary: "Read an organization",
      responses: { 200: jsonContent(OrganizationSchema, "The organization") },
    }),
    async (c) => c.json(await orgView(c.req.valid("param").orgId, c.get("role")), 200),
  );

  router.openapi(
    orgRoute.patch("org.rename", "/orgs/{orgId}", {
      summary: "Rename an organization",
      request: { body: jsonBody(OrganizationInput) },
      responses: { 200: jsonContent(OrganizationSchema, "Updated") },
    }),
    async (c) => {
      const { orgId } = c.req.valid("param");
      await renameOrganization(db, orgId, c.req.valid("json").name);
      return c.json(await orgView(orgId, c.get("role")), 200);
    },
  );

  router.openapi(
    orgRoute.delete("org.delete", "/orgs/{orgId}", {
      summary: "Delete an organization with all its forms and submissions",
      responses: { 204: { description: "Deleted" } },
    }),
    async (c) => {
      const { orgId } = c.req.valid("param");
      const members = await deleteOrganization(db, orgId);
      await Promise.all(members.map((userId) => forgetRole(services, orgId, userId)));
      return c.body(null, 204);
    },
  );

  router.openapi(
    memberRoute.get("members.view", "/orgs/{orgId}/members", {
      summary: "List members",
      responses: { 200: jsonContent(listOf(MemberSchema), "Members") },
    }),
    async (c) => {
      const rows = await listMembers(db, c.req.valid("param").orgId);
      return c.json({ items: rows.map((r) => ({ ...r, joinedAt: r.joinedAt.toISOString() })) }, 200);
    },
  );

  router.openapi(
    memberRoute.patch("members.manage", "/orgs/{orgId}/members/{userId}", {
      summary: "Change a member's role",
      description: "Only an owner may grant or take away the owner role; the last owner cannot be demoted.",
      request: { body: jsonBody(z.object({ role: RoleSchema })) },
      responses: { 200: jsonContent(MemberSchema, "Updated"), ...problems(409) },
    }),
    async (c) => {
      const { orgId, userId } = c.req.valid("param");
      const { role } = c.req.valid("json");
      const me = c.get("user");
      const target = await changeMembership(db, orgId, me.id, userId, { kind: "role", role });
      await forgetRole(services, orgId, userId);
      const u = await findUser(db, userId);
      return c.json(
        {
          userId,
          name: u?.name ?? "",
          email: u?.email ?? "",
          role,
          joinedAt: target.createdAt.toISOString(),
        },
        200,
      );
    },
  );

  router.openapi(
    memberRoute.delete("members.manage", "/orgs/{orgId}/members/{userId}", {
      summary: "Remove a member",
      responses: { 204: { description: "Removed" }, ...problems(409) },
    }),
    async (c) => {
      const { orgId, userId } = c.req.valid("param");
      const me = c.get("user");
      await changeMembership(db, orgId, me.id, userId, { kind: "remove" });
      await forgetRole(services, orgId, userId);
      return c.body(null, 204);
    },
  );

  return router;
}
