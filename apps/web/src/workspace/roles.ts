import type { Role } from "./api";

export const ROLES: readonly Role[] = ["viewer", "editor", "admin", "owner"];
const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

/** What each action needs; mirrors the "Minimum role" column of docs/api.md. */
export const ACTION_ROLE = {
  "form.create": "editor",
  "form.edit": "editor",
  "form.publish": "editor",
  "form.close": "editor",
  "form.duplicate": "editor",
  "form.delete": "admin",
  "submission.delete": "editor",
  "members.view": "admin",
  "members.manage": "admin",
  "org.rename": "admin",
  "org.delete": "owner",
} as const satisfies Record<string, Role>;

export type Action = keyof typeof ACTION_ROLE;

export function atLeast(role: Role | undefined, minimum: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[minimum];
}

export function can(role: Role | undefined, action: Action): boolean {
  return atLeast(role, ACTION_ROLE[action]);
}

/** Roles a member with `role` may hand out (only an owner may grant owner). */
export function assignableRoles(role: Role | undefined): Role[] {
  if (role === "owner") return [...ROLES];
  if (role === "admin") return ["viewer", "editor", "admin"];
  return [];
}
