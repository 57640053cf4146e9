import type { Role } from "../db/schema";

export { ROLES, type Role } from "../db/schema";

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3, owner: 4 };

export function roleAtLeast(role: Role | null | undefined, minimum: Role): boolean {
  return role ? RANK[role] >= RANK[minimum] : false;
}
