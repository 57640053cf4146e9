// The roles and their order are defined once, in @coleta/permissions.
import type { Role } from "@coleta/permissions";
import { index, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { generatedId, instant, ownedBy, stamp } from "./columns";

export { ROLES, type Role } from "@coleta/permissions";

export const organization = pgTable("organization", {
  id: generatedId(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  createdAt: stamp("created_at"),
});

export const membership = pgTable(
  "membership",
  {
    organizationId: ownedBy(uuid("organization_id"), () => organization.id),
    userId: ownedBy(text("user_id"), () => user.id),
    role: text("role").$type<Role>().notNull(),
    createdAt: stamp("created_at"),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId] }), index("membership_user_idx").on(t.userId)],
);

export const invitation = pgTable(
  "invitation",
  {
    id: generatedId(),
    organizationId: ownedBy(uuid("organization_id"), () => organization.id),
    email: text("email").notNull(),
    role: text("role").$type<Role>().notNull(),
    // Only a hash is stored: a database leak must not hand out working invitation links.
    tokenHash: text("token_hash").notNull().unique(),
    status: text("status").$type<"pending" | "accepted" | "revoked">().notNull().default("pending"),
    invitedBy: text("invited_by").references(() => user.id, { onDelete: "set null" }),
    expiresAt: instant("expires_at").notNull(),
    createdAt: stamp("created_at"),
  },
  (t) => [index("invitation_org_idx").on(t.organizationId)],
);
