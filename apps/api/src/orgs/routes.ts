import type { Action } from "@coleta/permissions";
import { createRoute, z } from "@hono/zod-openapi";
import { findUser } from "../auth/queries";
import type { Services } from "../context";
import type { Role } from "../db/schema";
import { AppError } from "../errors/app-error";
import { createRouter, jsonContent, problems } from "../http/openapi";
import { forgetRole, requireRole, requireUser } from "./permissions";
import { deleteOrganization, findOrganization, listMembers, renameOrganization } from "./queries";
import { MemberSchema, OrganizationInput, OrganizationSchema, OrgIdParam, RoleSchema } from "./schemas";
import { changeMembership, createOrganizationWithOwner } from "./service";

const MemberParams = OrgIdParam.extend({
  userId: z
    .string()
    .min(1)
    .openapi({ param: { name: "userId", in: "path" } }),
});

export function organizationRoutes(services: Services) {
  const router = createRouter();
  const { db } = services.database;
  const can = (action: Action) => requireRole(services, action);

  async function orgView(orgId: string, role: Role) {
    const org = await findOrganization(db, orgId);
    if (!org) throw AppError.notFound("Organization not found.");
    return { id: org.id, name: org.name, slug: org.slug, role, createdAt: org.createdAt.toISOString() };
  }

  router.openapi(
    createRoute({
      method: "post",
      path: "/orgs",
      tags: ["Organizations"],
      summary: "Create an organization (the caller becomes its owner)",
      middleware: [requireUser(services)] as const,
      request: { body: { content: { "application/json": { schema: OrganizationInput } }, required: true } },
      responses: { 201: jsonContent(OrganizationSchema, "Created"), ...problems(400, 401, 415, 422) },
    }),
    async (c) => {
      const me = c.get("user");
      const org = await createOrganizationWithOwner(db, c.req.valid("json"), me.id);
      return c.json(await orgView(org.id, "owner"), 201);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}",
      tags: ["Organizations"],
      summary: "Read an organization",
      middleware: [can("org.view")] as const,
      request: { params: OrgIdParam },
      responses: { 200: jsonContent(OrganizationSchema, "The organization"), ...problems(400, 401, 404) },
    }),
    async (c) => c.json(await orgView(c.req.valid("param").orgId, c.get("role")), 200),
  );

  router.openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}",
      tags: ["Organizations"],
      summary: "Rename an organization",
      middleware: [can("org.rename")] as const,
      request: {
        params: OrgIdParam,
        body: { content: { "application/json": { schema: OrganizationInput } }, required: true },
      },
      responses: {
        200: jsonContent(OrganizationSchema, "Updated"),
        ...problems(400, 401, 403, 404, 415, 422),
      },
    }),
    async (c) => {
      const { orgId } = c.req.valid("param");
      await renameOrganization(db, orgId, c.req.valid("json").name);
      return c.json(await orgView(orgId, c.get("role")), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}",
      tags: ["Organizations"],
      summary: "Delete an organization with all its forms and submissions",
      middleware: [can("org.delete")] as const,
      request: { params: OrgIdParam },
      responses: { 204: { description: "Deleted" }, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { orgId } = c.req.valid("param");
      const members = await deleteOrganization(db, orgId);
      await Promise.all(members.map((userId) => forgetRole(services, orgId, userId)));
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/members",
      tags: ["Members"],
      summary: "List members",
      middleware: [can("members.view")] as const,
      request: { params: OrgIdParam },
      responses: {
        200: jsonContent(z.object({ items: z.array(MemberSchema) }), "Members"),
        ...problems(400, 401, 404),
      },
    }),
    async (c) => {
      const rows = await listMembers(db, c.req.valid("param").orgId);
      return c.json({ items: rows.map((r) => ({ ...r, joinedAt: r.joinedAt.toISOString() })) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/members/{userId}",
      tags: ["Members"],
      summary: "Change a member's role",
      description: "Only an owner may grant or take away the owner role; the last owner cannot be demoted.",
      middleware: [can("members.manage")] as const,
      request: {
        params: MemberParams,
        body: { content: { "application/json": { schema: z.object({ role: RoleSchema }) } }, required: true },
      },
      responses: {
        200: jsonContent(MemberSchema, "Updated"),
        ...problems(400, 401, 403, 404, 409, 415, 422),
      },
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
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/members/{userId}",
      tags: ["Members"],
      summary: "Remove a member",
      middleware: [can("members.manage")] as const,
      request: { params: MemberParams },
      responses: { 204: { description: "Removed" }, ...problems(400, 401, 403, 404, 409) },
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
