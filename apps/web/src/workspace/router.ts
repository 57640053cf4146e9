// A tiny history-based router: routes are parsed from location.pathname under the web base path
// (WEB_BASE_PATH, "/frontend" by default). A form's tabs also keep their query string (the
// submissions filters), so reload, back and a shared link show the same view.
import { useEffect, useState } from "react";
import { WEB_BASE } from "../config";

export const BASE = WEB_BASE;

export type FormTab = "edit" | "share" | "submissions" | "summary";

export type Route =
  | { name: "home" }
  | { name: "signin" }
  | { name: "signup" }
  | { name: "forms"; orgId: string }
  | {
      name: "form";
      orgId: string;
      formId: string;
      tab: FormTab;
      /** The tab's own state (submissions filters), URL-encoded without `?`; absent when empty. */
      query?: string;
    }
  | { name: "members"; orgId: string }
  | { name: "invite"; token: string }
  | { name: "notFound"; path: string };

const TABS: readonly FormTab[] = ["edit", "share", "submissions", "summary"];

export function parseRoute(pathname: string, search = ""): Route {
  let path = pathname;
  if (path === BASE || path.startsWith(`${BASE}/`)) path = path.slice(BASE.length);
  const parts = path
    .split("/")
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  const [a, b, c, d, e, ...rest] = parts;
  if (rest.length > 0) return { name: "notFound", path: pathname };
  if (!a) return { name: "home" };
  if (a === "signin" && !b) return { name: "signin" };
  if (a === "signup" && !b) return { name: "signup" };
  if (a === "invite" && b && !c) return { name: "invite", token: b };
  if (a === "o" && b) {
    if (!c) return { name: "forms", orgId: b };
    if (c === "members" && !d) return { name: "members", orgId: b };
    if (c === "forms" && d) {
      const query = search.replace(/^\?/, "");
      const tab = (e ?? "edit") as FormTab;
      if (TABS.includes(tab)) return { name: "form", orgId: b, formId: d, tab, ...(query ? { query } : {}) };
    }
  }
  return { name: "notFound", path: pathname };
}

export function routePath(route: Route): string {
  const enc = encodeURIComponent;
  switch (route.name) {
    case "home":
      return `${BASE}/`;
    case "signin":
      return `${BASE}/signin`;
    case "signup":
      return `${BASE}/signup`;
    case "invite":
      return `${BASE}/invite/${enc(route.token)}`;
    case "forms":
      return `${BASE}/o/${enc(route.orgId)}`;
    case "members":
      return `${BASE}/o/${enc(route.orgId)}/members`;
    case "form": {
      const base = `${BASE}/o/${enc(route.orgId)}/forms/${enc(route.formId)}`;
      const path = route.tab === "edit" ? base : `${base}/${route.tab}`;
      return route.query ? `${path}?${route.query}` : path;
    }
    case "notFound":
      return route.path;
  }
}

const CHANGE_EVENT = "coleta:navigate";

/** A guard returns a confirmation question while leaving would lose work, or null. */
type Guard = () => string | null;
let guard: Guard | null = null;
let confirmFn: (message: string) => boolean = (message) => globalThis.confirm(message);

export function setNavigationGuard(next: Guard | null): void {
  guard = next;
}
/** For tests: replace window.confirm. */
export function setConfirm(fn: (message: string) => boolean): void {
  confirmFn = fn;
}

function allowed(): boolean {
  const question = guard?.();
  if (!question) return true;
  if (!confirmFn(question)) return false;
  guard = null;
  return true;
}

/** Navigate in-app. Returns false when the user chose to stay (unsaved changes). */
export function navigate(to: Route | string, options: { replace?: boolean } = {}): boolean {
  const path = typeof to === "string" ? to : routePath(to);
  if (path === location.pathname + location.search) return true;
  if (!allowed()) return false;
  if (options.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  dispatchEvent(new Event(CHANGE_EVENT));
  return true;
}

let lastPath = typeof location !== "undefined" ? location.pathname + location.search : "/";
if (typeof window !== "undefined") {
  // Back/forward: the browser already moved; undo the move when the user chooses to stay.
  window.addEventListener("popstate", (event) => {
    if (!allowed()) {
      event.stopImmediatePropagation();
      history.pushState(null, "", lastPath);
      return;
    }
    lastPath = location.pathname + location.search;
  });
  window.addEventListener(CHANGE_EVENT, () => {
    lastPath = location.pathname + location.search;
  });
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.pathname, location.search));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname, location.search));
    window.addEventListener("popstate", update);
    window.addEventListener(CHANGE_EVENT, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(CHANGE_EVENT, update);
    };
  }, []);
  return route;
}

/** Click handler for <a href> links: in-app navigation unless modified (new tab etc.). */
export function linkHandler(to: Route | string) {
  return (event: {
    preventDefault(): void;
    metaKey: boolean;
    ctrlKey: boolean;
    shiftKey: boolean;
    button: number;
  }) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(to);
  };
}
