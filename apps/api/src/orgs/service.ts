import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { membership, organization, type Role } from "../db/schema";
import { AppError } from "../errors/app-error";
import { roleAtLeast } from "./roles";

export function slugify(text: string): string {
  const base = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "item";
}

export function uniqueSuffix(): string {
  return randomBytes(3).toString("hex");
}

export async function createOrganizationWithOwner(db: Db, input: { name: string }, ownerId: string) {
  return db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organization)
      .values({ name: input.name, slug: `${slugify(input.name)}-${uniqueSuffix()}` })
      .returning();
    if (!org) throw new Error("organization insert returned nothing");
    await tx.insert(membership).values({ organizationId: org.id, userId: ownerId, role: "owner" });
    return org;
  });
}

export type MemberChange = { kind: "role"; role: Role } | { kind: "remove" };

/**
 * Changes or removes a membership with the owner rules enforced inside one transaction that holds
 * the organization row lock: concurrent changes in the same organization run one after another,
 * each sees the others' result, and so two owners demoting or removing each other at once can
 * never leave the organization without an owner. The actor's role is re-read under the lock too.
 */
export async function changeMembership(
  db: Db,
  orgId: string,
  actorId: string,
  targetId: string,
  change: MemberChange,
) {
  return db.transaction(async (tx) => {
    const [org] = await tx
      .select({ id: organization.id })
      .from(organization)
      .where(eq(organization.id, orgId))
      .for("update");
    if (!org) throw AppError.notFound("Organization not found.");
    const rows = await tx.select().from(membership).where(eq(membership.organizationId, orgId));
    const actor = rows.find((m) => m.userId === actorId);
    const target = rows.find((m) => m.userId === targetId);
    if (!actor || !roleAtLeast(actor.role, "admin")) throw AppError.forbidden();
    if (!target) throw AppError.notFound("Member not found.");
    const owners = rows.filter((m) => m.role === "owner").length;
    const touchesOwner = target.role === "owner" || (change.kind === "role" && change.role === "owner");
    if (touchesOwner && actor.role !== "owner") {
      throw AppError.forbidden(
        change.kind === "remove"
          ? "Only an owner can remove an owner."
          : "Only an owner can grant or remove the owner role.",
      );
    }
    const losesOwner = target.role === "owner" && (change.kind === "remove" || change.role !== "owner");
    if (losesOwner && owners <= 1) {
      throw AppError.conflict("last_owner", "An organization needs at least one owner.");
    }
    const where = and(eq(membership.organizationId, orgId), eq(membership.userId, targetId));
    if (change.kind === "remove") await tx.delete(membership).where(where);
    else await tx.update(membership).set({ role: change.role }).where(where);
    return target;
  });
}
