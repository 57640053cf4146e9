import { createHash, randomBytes } from "node:crypto";
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import type { Services, SessionUser } from "../context";
import { invitation, membership, organization, type Role } from "../db/schema";
import { AppError } from "../errors/app-error";
import { uuidParam } from "../http/ids";
import { createRouter, jsonContent, problems } from "../http/openapi";
import { forgetRole, requireRole, requireUser } from "./permissions";
import {
  CreatedInvitationSchema,
  InvitationInput,
  InvitationSchema,
  OrgIdParam,
  RoleSchema,
} from "./schemas";

const INVITATION_DAYS = 7;
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const TokenParam = z.object({
  token: z
    .string()
    .min(20)
    .max(200)
    .openapi({ param: { name: "token", in: "path" } }),
});

type InvitationRow = typeof invitation.$inferSelect;
type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";
function view(row: InvitationRow) {
  const status: InvitationStatus =
    row.status === "pending" && row.expiresAt <= new Date() ? "expired" : row.status;
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

export function invitationRoutes(services: Services) {
  const router = createRouter();
  const { db } = services.database;
  const admin = requireRole(services, "admin");

  router.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/invitations",
      tags: ["Members"],
      summary: "List invitations",
      middleware: [admin] as const,
      request: { params: OrgIdParam },
      responses: {
        200: jsonContent(z.object({ items: z.array(InvitationSchema) }), "Invitations"),
        ...problems(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const rows = await db
        .select()
        .from(invitation)
        .where(eq(invitation.organizationId, c.req.valid("param").orgId))
        .orderBy(desc(invitation.createdAt));
      return c.json({ items: rows.map(view) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/invitations",
      tags: ["Members"],
      summary: "Invite someone by e-mail",
      description:
        "Returns the invitation link once. Coleta does not send e-mail yet: share the link with the person. Only an owner may invite an owner.",
      middleware: [admin] as const,
      request: {
        params: OrgIdParam,
        body: { content: { "application/json": { schema: InvitationInput } }, required: true },
      },
      responses: {
        201: jsonContent(CreatedInvitationSchema, "Created"),
        ...problems(400, 401, 403, 404, 415, 422),
      },
    }),
    async (c) => {
      const { orgId } = c.req.valid("param");
      const { email, role } = c.req.valid("json");
      if (role === "owner" && c.get("role") !== "owner")
        throw AppError.forbidden("Only an owner can invite an owner.");
      const me = c.get("user") as SessionUser;
      const token = randomBytes(32).toString("base64url");
      const [row] = await db
        .insert(invitation)
        .values({
          organizationId: orgId,
          email,
          role,
          tokenHash: hashToken(token),
          invitedBy: me.id,
          expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
        })
        .returning();
      if (!row) throw new Error("invitation insert returned nothing");
      const acceptUrl = `${services.config.baseUrl}${services.config.webBasePath}/invite/${token}`;
      return c.json({ ...view(row), token, acceptUrl }, 201);
    },
  );

  router.openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/invitations/{invitationId}",
      tags: ["Members"],
      summary: "Revoke an invitation",
      middleware: [admin] as const,
      request: {
        params: OrgIdParam.extend({ invitationId: uuidParam("invitationId") }),
      },
      responses: { 204: { description: "Revoked" }, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { orgId, invitationId } = c.req.valid("param");
      // Only a pending invitation can be revoked; revoking twice is harmless, revoking an accepted
      // one would rewrite history (the member joined) and is refused.
      const [current] = await db
        .select({ status: invitation.status })
        .from(invitation)
        .where(and(eq(invitation.id, invitationId), eq(invitation.organizationId, orgId)));
      if (!current) throw AppError.notFound("Invitation not found.");
      if (current.status === "accepted") {
        throw AppError.conflict(
          "invitation_accepted",
          "This invitation was already accepted; remove the member instead.",
        );
      }
      await db
        .update(invitation)
        .set({ status: "revoked" })
        .where(and(eq(invitation.id, invitationId), eq(invitation.status, "pending")));
      return c.body(null, 204);
    },
  );

  async function findByToken(token: string) {
    const [row] = await db
      .select({ invitation, organizationName: organization.name })
      .from(invitation)
      .innerJoin(organization, eq(organization.id, invitation.organizationId))
      .where(eq(invitation.tokenHash, hashToken(token)));
    if (!row) throw AppError.notFound("This invitation link is not valid.");
    return row;
  }

  router.openapi(
    createRoute({
      method: "get",
      path: "/invitations/{token}",
      tags: ["Members"],
      summary: "Look at an invitation before accepting it",
      request: { params: TokenParam },
      responses: {
        200: jsonContent(
          z.object({
            organizationName: z.string(),
            email: z.string(),
            role: RoleSchema,
            status: z.enum(["pending", "accepted", "revoked", "expired"]),
          }),
          "Invitation",
        ),
        ...problems(400, 404),
      },
    }),
    async (c) => {
      const row = await findByToken(c.req.valid("param").token);
      const v = view(row.invitation);
      return c.json(
        { organizationName: row.organizationName, email: v.email, role: v.role, status: v.status },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/invitations/{token}/accept",
      tags: ["Members"],
      summary: "Accept an invitation as the signed-in user",
      middleware: [requireUser(services)] as const,
      request: { params: TokenParam },
      responses: {
        200: jsonContent(z.object({ organizationId: z.string().uuid(), role: RoleSchema }), "Joined"),
        ...problems(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const me = c.get("user") as SessionUser;
      const { invitation: found } = await findByToken(c.req.valid("param").token);
      if (found.email.toLowerCase() !== me.email.toLowerCase()) {
        throw AppError.forbidden(
          `This invitation is for ${found.email}. Sign in with that address to accept it.`,
        );
      }
      // The invitation row is locked, so concurrent accepts (a double click, two tabs) run one
      // after another: the first joins, the next ones see "accepted" and answer the same result.
      const role: Role = await db.transaction(async (tx) => {
        const [inv] = await tx.select().from(invitation).where(eq(invitation.id, found.id)).for("update");
        if (!inv) throw AppError.notFound("This invitation link is not valid.");
        const [existing] = await tx
          .select()
          .from(membership)
          .where(and(eq(membership.organizationId, inv.organizationId), eq(membership.userId, me.id)));
        const status = view(inv).status;
        if (status === "accepted" && existing) return existing.role;
        if (status !== "pending") {
          throw AppError.conflict(`invitation_${status}`, `This invitation is ${status}.`);
        }
        if (!existing) {
          await tx
            .insert(membership)
            .values({ organizationId: inv.organizationId, userId: me.id, role: inv.role })
            .onConflictDoNothing();
        }
        await tx.update(invitation).set({ status: "accepted" }).where(eq(invitation.id, inv.id));
        return existing?.role ?? inv.role;
      });
      await forgetRole(services, found.organizationId, me.id);
      return c.json({ organizationId: found.organizationId, role }, 200);
    },
  );

  return router;
}
