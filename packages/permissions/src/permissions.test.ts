import { describe, expect, it } from "vitest";
import { ACTION_ROLE, ACTIONS, assignableRoles, can, ROLES, roleAtLeast } from "./index";

describe("roles", () => {
  it("orders the roles so each one includes the ones before it", () => {
    for (const [i, role] of ROLES.entries()) {
      for (const [j, other] of ROLES.entries())
        expect(roleAtLeast(role, other), `${role} ≥ ${other}`).toBe(i >= j);
    }
  });

  it("gives no permission to a non-member", () => {
    for (const action of ACTIONS) {
      expect(can(undefined, action)).toBe(false);
      expect(can(null, action)).toBe(false);
    }
  });

  it("lets only an owner hand out the owner role", () => {
    expect(assignableRoles("owner")).toEqual(["viewer", "editor", "admin", "owner"]);
    expect(assignableRoles("admin")).toEqual(["viewer", "editor", "admin"]);
    expect(assignableRoles("editor")).toEqual([]);
    expect(assignableRoles("viewer")).toEqual([]);
    expect(assignableRoles(undefined)).toEqual([]);
  });
});

describe("actions", () => {
  it("each action is allowed from its minimum role up, and refused below it", () => {
    for (const action of ACTIONS) {
      const minimum = ACTION_ROLE[action];
      for (const role of ROLES)
        expect(can(role, action), `${role} ${action}`).toBe(roleAtLeast(role, minimum));
      expect(can(minimum, action)).toBe(true);
    }
  });

  it("matches the Minimum role column of docs/api.md where the web once disagreed", () => {
    // The web's copy made the member list admin-only while the API lets every member read it.
    expect(can("viewer", "members.view")).toBe(true);
    expect(can("viewer", "members.manage")).toBe(false);
    expect(can("admin", "org.delete")).toBe(false);
    expect(can("editor", "form.delete")).toBe(false);
  });
});
