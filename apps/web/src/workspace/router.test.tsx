import { afterEach, describe, expect, it } from "vitest";
import { navigate, parseRoute, type Route, routePath, setConfirm, setNavigationGuard } from "./router";

describe("router", () => {
  afterEach(() => {
    setNavigationGuard(null);
    history.replaceState(null, "", "/frontend/");
  });

  it("parses every screen and round-trips paths", () => {
    const routes: [string, Route][] = [
      ["/frontend/", { name: "home" }],
      ["/frontend", { name: "home" }],
      ["/frontend/signin", { name: "signin" }],
      ["/frontend/signup", { name: "signup" }],
      ["/frontend/invite/abc123", { name: "invite", token: "abc123" }],
      ["/frontend/o/org1", { name: "forms", orgId: "org1" }],
      ["/frontend/o/org1/members", { name: "members", orgId: "org1" }],
      ["/frontend/o/org1/forms/f1", { name: "form", orgId: "org1", formId: "f1", tab: "edit" }],
      ["/frontend/o/org1/forms/f1/share", { name: "form", orgId: "org1", formId: "f1", tab: "share" }],
      [
        "/frontend/o/org1/forms/f1/submissions",
        { name: "form", orgId: "org1", formId: "f1", tab: "submissions" },
      ],
      ["/frontend/o/org1/forms/f1/summary", { name: "form", orgId: "org1", formId: "f1", tab: "summary" }],
    ];
    for (const [path, route] of routes) {
      expect(parseRoute(path), path).toEqual(route);
      if (path !== "/frontend") expect(routePath(route)).toBe(path);
    }
  });

  it("keeps a form tab's query string (the submissions filters) in the route", () => {
    const query = "field.color=red&field.color=blue&view=map";
    const route = parseRoute("/frontend/o/org1/forms/f1/submissions", `?${query}`);
    expect(route).toEqual({ name: "form", orgId: "org1", formId: "f1", tab: "submissions", query });
    expect(routePath(route)).toBe(`/frontend/o/org1/forms/f1/submissions?${query}`);
    navigate(route);
    expect(location.search).toBe(`?${query}`);
    expect(parseRoute("/frontend/o/org1", "?x=1")).toEqual({ name: "forms", orgId: "org1" });
  });

  it("reports unknown paths as not found", () => {
    expect(parseRoute("/frontend/o/org1/forms/f1/nope").name).toBe("notFound");
    expect(parseRoute("/frontend/whatever").name).toBe("notFound");
    expect(parseRoute("/frontend/o/a/forms/b/share/extra/more").name).toBe("notFound");
  });

  it("encodes and decodes path segments", () => {
    const route: Route = { name: "invite", token: "a b/c" };
    expect(parseRoute(routePath(route))).toEqual(route);
  });

  it("navigates with pushState and respects the unsaved-changes guard", () => {
    navigate({ name: "forms", orgId: "o1" });
    expect(location.pathname).toBe("/frontend/o/o1");

    const asked: string[] = [];
    setConfirm((q) => {
      asked.push(q);
      return false;
    });
    setNavigationGuard(() => "Leave?");
    expect(navigate({ name: "members", orgId: "o1" })).toBe(false);
    expect(location.pathname).toBe("/frontend/o/o1");
    expect(asked).toEqual(["Leave?"]);

    setConfirm(() => true);
    expect(navigate({ name: "members", orgId: "o1" })).toBe(true);
    expect(location.pathname).toBe("/frontend/o/o1/members");

    setNavigationGuard(() => null);
    setConfirm(() => {
      throw new Error("must not ask when nothing is unsaved");
    });
    expect(navigate({ name: "home" })).toBe(true);
  });
});
