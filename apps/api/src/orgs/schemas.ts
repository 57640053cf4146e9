import { ROLES } from "@coleta/permissions";
import { z } from "@hono/zod-openapi";

export const RoleSchema = z.enum(ROLES).openapi("Role");
export const OrganizationSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    slug: z.string(),
    role: RoleSchema,
    createdAt: z.string(),
  })
  .openapi("Organization");
export const OrganizationInput = z
  .object({ name: z.string().trim().min(1).max(100) })
  .openapi("OrganizationInput");
export const MemberSchema = z
  .object({ userId: z.string(), name: z.string(), email: z.string(), role: RoleSchema, joinedAt: z.string() })
  .openapi("Member");
export const InvitationSchema = z
  .object({
    id: z.string().uuid(),
    email: z.string(),
    role: RoleSchema,
    status: z.enum(["pending", "accepted", "revoked", "expired"]),
    expiresAt: z.string(),
    createdAt: z.string(),
  })
  .openapi("Invitation");
/** What anyone holding the link sees before accepting (GET /invitations/{token}). */
export const InvitationPreviewSchema = InvitationSchema.pick({
  email: true,
  role: true,
  status: true,
}).extend({
  organizationName: z.string(),
});
export const CreatedInvitationSchema = InvitationSchema.extend({
  token: z.string().openapi({ description: "Shown once; only its hash is stored." }),
  acceptUrl: z.string(),
}).openapi("CreatedInvitation");
export const InvitationInput = z
  .object({ email: z.string().trim().toLowerCase().email().max(254), role: RoleSchema })
  .openapi("InvitationInput");
