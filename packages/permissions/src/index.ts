// Dependency-free: imported by the API, by the web workspace and by tests alike.
export { ACTION_ROLE, ACTIONS, type Action, can, minimumRole } from "./actions";
export { assignableRoles, ROLES, type Role, roleAtLeast } from "./roles";
