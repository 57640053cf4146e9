import { type Role, roleAtLeast } from "./roles";

/**
 * The minimum role of every organization action: the "Minimum role" column of docs/api.md. The API
 * guards each organization route with one of these actions, the web shows a control only when
 * `can` says so, and the permission-matrix test expects exactly this of every route.
 */
export const ACTION_ROLE = {
  "org.view": "viewer",
  "org.rename": "admin",
  "org.delete": "owner",
  "members.view": "viewer",
  "members.manage": "admin",
  "invitations.manage": "admin",
  "forms.view": "viewer",
  "form.create": "editor",
  "form.edit": "editor",
  "form.publish": "editor",
  "form.close": "editor",
  "form.duplicate": "editor",
  "form.delete": "admin",
  "submissions.view": "viewer",
  "submission.delete": "editor",
} as const satisfies Record<string, Role>;

export type Action = keyof typeof ACTION_ROLE;

export const ACTIONS = Object.keys(ACTION_ROLE) as Action[];

/** The role an action needs. */
export function minimumRole(action: Action): Role {
  return ACTION_ROLE[action];
}

/** May a member with `role` (undefined or null: not a member) do `action`? */
export function can(role: Role | null | undefined, action: Action): boolean {
  return roleAtLeast(role, ACTION_ROLE[action]);
}
