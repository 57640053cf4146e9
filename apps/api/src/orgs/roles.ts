export { ROLES, type Role, roleAtLeast } from "@coleta/permissions";
