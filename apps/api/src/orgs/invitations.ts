import { createRoute, z } from "@hono/zod-openapi";
import type { Services } from "../context";
import { textParam, uuidParam } from "../http/ids";
import { createRouter, jsonBody, jsonContent, listOf, problems } from "../http/openapi";
import { invitationSender } from "../mail";
import {
  acceptInvitation,
  createInvitation,
  invitationByToken,
  invitationView,
  revokeInvitation,
} from "./invitation-service";
import { memberRoutes } from "./member-route";
import { forgetRole, requireUser } from "./permissions";
import { listInvitations } from "./queries";
import {
  CreatedInvitationSchema,
  InvitationInput,
  InvitationPreviewSchema,
  InvitationSchema,
  OrgIdParam,
  RoleSchema,
} from "./schemas";

const TokenParam = z.object({ token: textParam("token", 20, 200) });

export function invitationRoutes(services: Services) {
  const router = createRouter();
  const { db } = services.database;
  const sendInvitation = invitationSender(services);
  const route = memberRoutes(services, "Members");

  router.openapi(
    route("invitations.manage", {
      method: "get",
      path: "/orgs/{orgId}/invitations",
      summary: "List invitations",
      request: { params: OrgIdParam },
      responses: { 200: jsonContent(listOf(InvitationSchema), "Invitations") },
    }),
    async (c) => {
      const rows = await listInvitations(db, c.req.valid("param").orgId);
      return c.json({ items: rows.map(invitationView) }, 200);
    },
  );

  router.openapi(
    route("invitations.manage", {
      method: "post",
      path: "/orgs/{orgId}/invitations",
      summary: "Invite someone by e-mail",
      description:
        "Returns the invitation link once, and e-mails it when SMTP is configured (otherwise share the link with the person). Only an owner may invite an owner.",
      request: { params: OrgIdParam, body: jsonBody(InvitationInput) },
      responses: { 201: jsonContent(CreatedInvitationSchema, "Created"), ...problems(415, 422) },
    }),
    async (c) => {
      const { orgId } = c.req.valid("param");
      const { email, role } = c.req.valid("json");
      const me = c.get("user");
      const { row, token } = await createInvitation(db, {
        orgId,
        email,
        role,
        invitedBy: me.id,
        inviterRole: c.get("role"),
      });
      const acceptUrl = `${services.config.baseUrl}${services.config.webBasePath}/invite/${token}`;
      await sendInvitation({ ...row, inviterName: me.name, acceptUrl });
      return c.json({ ...invitationView(row), token, acceptUrl }, 201);
    },
  );

  router.openapi(
    route("invitations.manage", {
      method: "delete",
      path: "/orgs/{orgId}/invitations/{invitationId}",
      summary: "Revoke an invitation",
      request: {
        params: OrgIdParam.extend({ invitationId: uuidParam("invitationId") }),
      },
      responses: { 204: { description: "Revoked" } },
    }),
    async (c) => {
      const { orgId, invitationId } = c.req.valid("param");
      await revokeInvitation(db, orgId, invitationId);
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/invitations/{token}",
      tags: ["Members"],
      summary: "Look at an invitation before accepting it",
      request: { params: TokenParam },
      responses: { 200: jsonContent(InvitationPreviewSchema, "Invitation"), ...problems(400, 404) },
    }),
    async (c) => {
      const row = await invitationByToken(db, c.req.valid("param").token);
      const v = invitationView(row.invitation);
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
      const me = c.get("user");
      const { organizationId, role } = await acceptInvitation(db, c.req.valid("param").token, me);
      await forgetRole(services, organizationId, me.id);
      return c.json({ organizationId, role }, 200);
    },
  );

  return router;
}
