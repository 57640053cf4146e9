import { createHash, randomBytes } from "node:crypto";
import type { Role } from "../db/schema";
import type { Db } from "../db/types";
import { AppError } from "../errors/app-error";
import {
  addMembership,
  findInvitationByTokenHash,
  findMembership,
  type InvitationRow,
  insertInvitation,
  lockInvitation,
  setInvitationStatus,
} from "./queries";

// The rules of invitations: how long a link lives, what "expired" means, who may be invited as
// what, and what accepting or revoking does. Routes (./invitations.ts) only translate HTTP.

const INVITATION_DAYS = 7;
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

/** The stored status, with a pending invitation past its date reported as expired. */
export function statusOf(row: InvitationRow, now = new Date()): InvitationStatus {
  return row.status === "pending" && row.expiresAt <= now ? "expired" : row.status;
}

export function invitationView(row: InvitationRow) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: statusOf(row),
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

/** Creates an invitation; returns the row and the token, which is stored only as a hash. */
export async function createInvitation(
  db: Db,
  input: { orgId: string; email: string; role: Role; invitedBy: string; inviterRole: Role },
) {
  if (input.role === "owner" && input.inviterRole !== "owner") {
    throw AppError.forbidden("Only an owner can invite an owner.");
  }
  const token = randomBytes(32).toString("base64url");
  const row = await insertInvitation(db, {
    organizationId: input.orgId,
    email: input.email,
    role: input.role,
    tokenHash: hashToken(token),
    invitedBy: input.invitedBy,
    expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
  });
  return { row, token };
}

/**
 * Only a pending invitation can be revoked; revoking twice is harmless, revoking an accepted one
 * would rewrite history (the member joined) and is refused. The row is locked, so a revoke and an
 * accept racing each other end in one consistent state.
 */
export async function revokeInvitation(db: Db, orgId: string, invitationId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await lockInvitation(tx, invitationId, orgId);
    if (!current) throw AppError.notFound("Invitation not found.");
    if (current.status === "accepted") {
      throw AppError.conflict(
        "invitation_accepted",
        "This invitation was already accepted; remove the member instead.",
      );
    }
    if (current.status === "pending") await setInvitationStatus(tx, invitationId, "revoked");
  });
}

/** The invitation behind a link, with its organization's name; 404 for an unknown token. */
export async function invitationByToken(db: Db, token: string) {
  const row = await findInvitationByTokenHash(db, hashToken(token));
  if (!row) throw AppError.notFound("This invitation link is not valid.");
  return row;
}

/**
 * Makes the signed-in user a member with the invited role. The invitation row is locked, so
 * concurrent accepts (a double click, two tabs) run one after another: the first joins, the next
 * ones see "accepted" and answer the same result. Expired and revoked invitations answer 409.
 */
export async function acceptInvitation(
  db: Db,
  token: string,
  me: { id: string; email: string },
): Promise<{ organizationId: string; role: Role }> {
  const { invitation: found } = await invitationByToken(db, token);
  if (found.email.toLowerCase() !== me.email.toLowerCase()) {
    throw AppError.forbidden(
      `This invitation is for ${found.email}. Sign in with that address to accept it.`,
    );
  }
  return db.transaction(async (tx) => {
    const inv = await lockInvitation(tx, found.id);
    if (!inv) throw AppError.notFound("This invitation link is not valid.");
    const existing = await findMembership(tx, inv.organizationId, me.id);
    const status = statusOf(inv);
    if (status === "accepted" && existing) return { organizationId: inv.organizationId, role: existing.role };
    if (status !== "pending") {
      throw AppError.conflict(`invitation_${status}`, `This invitation is ${status}.`);
    }
    if (!existing)
      await addMembership(tx, { organizationId: inv.organizationId, userId: me.id, role: inv.role });
    await setInvitationStatus(tx, inv.id, "accepted");
    return { organizationId: inv.organizationId, role: existing?.role ?? inv.role };
  });
}
