import { and, count, desc, eq, sql } from "drizzle-orm";
import { invitation, membership, organization, type Role, user } from "../db/schema";
import type { Db } from "../db/types";

// Every statement about organizations, memberships and invitations, in one place. Functions take
// a `Db`, which is also what a transaction hands out (`db.transaction((tx) => …)`), so a service
// composes them inside one transaction where an invariant spans statements. No rules here: who may
// do what lives in ./permissions and ./service, the HTTP shapes in ./routes.

export type OrganizationRow = typeof organization.$inferSelect;
export type MembershipRow = typeof membership.$inferSelect;
export type InvitationRow = typeof invitation.$inferSelect;

const memberOf = (orgId: string, userId: string) =>
  and(eq(membership.organizationId, orgId), eq(membership.userId, userId));

// Organizations

export async function findOrganization(db: Db, orgId: string): Promise<OrganizationRow | undefined> {
  const [row] = await db.select().from(organization).where(eq(organization.id, orgId));
  return row;
}

/** Locks the organization row until the transaction ends; false when it does not exist. */
export async function lockOrganization(tx: Db, orgId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: organization.id })
    .from(organization)
    .where(eq(organization.id, orgId))
    .for("update");
  return row !== undefined;
}

export async function insertOrganization(db: Db, values: { name: string; slug: string }) {
  const [row] = await db.insert(organization).values(values).returning();
  if (!row) throw new Error("organization insert returned nothing");
  return row;
}

export async function renameOrganization(db: Db, orgId: string, name: string): Promise<void> {
  await db.update(organization).set({ name }).where(eq(organization.id, orgId));
}

/** Deletes the organization (memberships, forms and submissions cascade); returns who was a member. */
export async function deleteOrganization(db: Db, orgId: string): Promise<string[]> {
  return db.transaction(async (tx) => {
    const members = await tx
      .delete(membership)
      .where(eq(membership.organizationId, orgId))
      .returning({ userId: membership.userId });
    await tx.delete(organization).where(eq(organization.id, orgId));
    return members.map((m) => m.userId);
  });
}

export async function countOrganizations(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(organization);
  return row?.n ?? 0;
}

/** The organizations a user belongs to, with their role in each (for /me). */
export function organizationsOf(db: Db, userId: string) {
  return db
    .select({ id: organization.id, name: organization.name, slug: organization.slug, role: membership.role })
    .from(membership)
    .innerJoin(organization, eq(organization.id, membership.organizationId))
    .where(eq(membership.userId, userId))
    .orderBy(organization.name);
}

// Memberships

export async function roleInOrganization(db: Db, orgId: string, userId: string): Promise<Role | null> {
  const [row] = await db
    .select({ role: membership.role })
    .from(membership)
    .where(memberOf(orgId, userId))
    .limit(1);
  return row?.role ?? null;
}

export function membershipsOf(db: Db, orgId: string): Promise<MembershipRow[]> {
  return db.select().from(membership).where(eq(membership.organizationId, orgId));
}

export async function findMembership(db: Db, orgId: string, userId: string) {
  const [row] = await db.select().from(membership).where(memberOf(orgId, userId));
  return row;
}

/** Members with their name and e-mail, by name. */
export function listMembers(db: Db, orgId: string) {
  return db
    .select({
      userId: membership.userId,
      name: user.name,
      email: user.email,
      role: membership.role,
      joinedAt: membership.createdAt,
    })
    .from(membership)
    .innerJoin(user, eq(user.id, membership.userId))
    .where(eq(membership.organizationId, orgId))
    .orderBy(user.name);
}

/** Adds a member; an existing membership is left as it is. */
export async function addMembership(db: Db, values: { organizationId: string; userId: string; role: Role }) {
  await db.insert(membership).values(values).onConflictDoNothing();
}

export async function setMemberRole(db: Db, orgId: string, userId: string, role: Role): Promise<void> {
  await db.update(membership).set({ role }).where(memberOf(orgId, userId));
}

export async function removeMember(db: Db, orgId: string, userId: string): Promise<void> {
  await db.delete(membership).where(memberOf(orgId, userId));
}

// Invitations

export function listInvitations(db: Db, orgId: string): Promise<InvitationRow[]> {
  return db
    .select()
    .from(invitation)
    .where(eq(invitation.organizationId, orgId))
    .orderBy(desc(invitation.createdAt));
}

export async function insertInvitation(db: Db, values: typeof invitation.$inferInsert) {
  const [row] = await db.insert(invitation).values(values).returning();
  if (!row) throw new Error("invitation insert returned nothing");
  return row;
}

/** An invitation of `orgId`, locked until the transaction ends. */
export async function lockInvitation(tx: Db, invitationId: string, orgId?: string) {
  const [row] = await tx
    .select()
    .from(invitation)
    .where(
      orgId === undefined
        ? eq(invitation.id, invitationId)
        : and(eq(invitation.id, invitationId), eq(invitation.organizationId, orgId)),
    )
    .for("update");
  return row;
}

export async function findInvitationByTokenHash(db: Db, tokenHash: string) {
  const [row] = await db
    .select({ invitation, organizationName: organization.name })
    .from(invitation)
    .innerJoin(organization, eq(organization.id, invitation.organizationId))
    .where(eq(invitation.tokenHash, tokenHash));
  return row;
}

export async function setInvitationStatus(
  db: Db,
  invitationId: string,
  status: InvitationRow["status"],
): Promise<void> {
  await db.update(invitation).set({ status }).where(eq(invitation.id, invitationId));
}

/** True when `email` (any case) has an invitation that is pending and not expired. */
export async function hasPendingInvitation(db: Db, email: string): Promise<boolean> {
  const rows = await db
    .select({ id: invitation.id })
    .from(invitation)
    .where(
      and(
        sql`lower(${invitation.email}) = lower(${email})`,
        eq(invitation.status, "pending"),
        sql`${invitation.expiresAt} > now()`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}
