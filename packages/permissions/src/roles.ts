// The roles of an organization member, weakest first. The order is the hierarchy: a role may do
// everything the roles before it may.
export const ROLES = ["viewer", "editor", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

/** True when `role` is `minimum` or stronger; no role (not a member) is never enough. */
export function roleAtLeast(role: Role | null | undefined, minimum: Role): boolean {
  return role ? ROLES.indexOf(role) >= ROLES.indexOf(minimum) : false;
}

/** Roles a member with `role` may hand out or take away: admins all but owner, owners every role. */
export function assignableRoles(role: Role | null | undefined): Role[] {
  if (role === "owner") return [...ROLES];
  if (role === "admin") return ROLES.filter((r) => r !== "owner");
  return [];
}
