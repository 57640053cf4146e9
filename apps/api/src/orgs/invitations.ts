import { z } from "@hono/zod-openapi";
import type { Services } from "../context";
import { createRouter, jsonBody, jsonContent, listOf, problems } from "../http/openapi";
import { routeGroup } from "../http/route";
import { invitationSender } from "../mail";
import {
  acceptInvitation,
  createInvitation,
  invitationByToken,
  invitationView,
  revokeInvitation,
} from "./invitation-service";
import { memberRoutes, signedInRoutes } from "./member-route";
import { forgetRole } from "./permissions";
import { listInvitations } from "./queries";
import {
  CreatedInvitationSchema,
  InvitationInput,
  InvitationPreviewSchema,
  InvitationSchema,
  RoleSchema,
} from "./schemas";

export function invitationRoutes(services: Services) {
  const router = createRouter();
  const { db } = services.database;
  const sendInvitation = invitationSender(services);
  const route = memberRoutes(services, "Members");
  const signedInRoute = signedInRoutes(services, "Members");
  const openRoute = routeGroup({ tag: "Members" });

  router.openapi(
    route.get("invitations.manage", "/orgs/{orgId}/invitations", {
      summary: "List invitations",
      responses: { 200: jsonContent(listOf(InvitationSchema), "Invitations") },
    }),
    async (c) => {
      const rows = await listInvitations(db, c.req.valid("param").orgId);
      return c.json({ items: rows.map(invitationView) }, 200);
    },
  );

  router.openapi(
    route.post("invitations.manage", "/orgs/{orgId}/invitations", {
      summary: "Invite someone by e-mail",
      description:
        "Returns the invitation link once, and e-mails it when SMTP is configured (otherwise share the link with the person). Only an owner may invite an owner.",
      request: { body: jsonBody(InvitationInput) },
      responses: { 201: jsonContent(CreatedInvitationSchema, "Created") },
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
    route.delete("invitations.manage", "/orgs/{orgId}/invitations/{invitationId}", {
      summary: "Revoke an invitation",
      responses: { 204: { description: "Revoked" } },
    }),
    async (c) => {
      const { orgId, invitationId } = c.req.valid("param");
      await revokeInvitation(db, orgId, invitationId);
      return c.body(null, 204);
    },
  );

  router.openapi(
    openRoute.get("/invitations/{token}", {
      summary: "Look at an invitation before accepting it",
      responses: { 200: jsonContent(InvitationPreviewSchema, "Invitation"), ...problems(404) },
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
    signedInRoute.post("/invitations/{token}/accept", {
      summary: "Accept an invitation as the signed-in user",
      responses: {
        200: jsonContent(z.object({ organizationId: z.string().uuid(), role: RoleSchema }), "Joined"),
        ...problems(403, 404, 409),
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
