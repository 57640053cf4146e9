import { randomBytes } from "node:crypto";
import type { Role } from "../db/schema";
import type { Db } from "../db/types";
import { AppError } from "../errors/app-error";
import {
  addMembership,
  insertOrganization,
  lockOrganization,
  membershipsOf,
  removeMember,
  setMemberRole,
} from "./queries";
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

/**
 * Creates an organization and makes `ownerId` its owner, both or neither. The slug is the name
 * plus a random suffix; `slug` overrides it (tests force a collision with it). A collision is
 * answered 409 by the database-error mapping (errors/database-errors.ts).
 */
export async function createOrganizationWithOwner(
  db: Db,
  input: { name: string; slug?: string },
  ownerId: string,
) {
  return db.transaction(async (tx) => {
    const org = await insertOrganization(tx, {
      name: input.name,
      slug: input.slug ?? `${slugify(input.name)}-${uniqueSuffix()}`,
    });
    await addMembership(tx, { organizationId: org.id, userId: ownerId, role: "owner" });
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
    if (!(await lockOrganization(tx, orgId))) throw AppError.notFound("Organization not found.");
    const rows = await membershipsOf(tx, orgId);
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
    if (change.kind === "remove") await removeMember(tx, orgId, targetId);
    else await setMemberRole(tx, orgId, targetId, change.role);
    return target;
  });
}
