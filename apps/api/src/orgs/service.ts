import { randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import { membership, organization } from "../db/schema";

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
