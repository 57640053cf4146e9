import { type Action, minimumRole, ROLES } from "@coleta/permissions";
import type { Services } from "../context";
import { byMethod, declareRoute, type RouteSpec, routeGroup } from "../http/route";
import { requireRole, requireUser } from "./permissions";

/**
 * The route builder of a feature's organization routes (`/orgs/{orgId}/…`), tagged `tag`:
 * `routes.get(action, path, spec)`. Each route names the action it performs; the builder puts
 * `requireRole(services, action)` in front of it and documents what that check can answer: 401,
 * 404 (not a member) and, when the action needs more than the weakest role, 403. The documented
 * problems follow @coleta/permissions, so they cannot drift from the check; a route adds only its
 * own (409, 422…).
 */
export function memberRoutes(services: Services, tag: string) {
  return byMethod(
    (method) =>
      <P extends string, S extends RouteSpec>(action: Action, path: P, spec: S) =>
        declareRoute(
          {
            tag,
            guard: requireRole(services, action),
            problems: minimumRole(action) === ROLES[0] ? [401, 404] : [401, 403, 404],
          },
          method,
          path,
          spec,
        ),
  );
}

/** The route builder of routes open to every signed-in user (`requireUser`, 401), tagged `tag`. */
export function signedInRoutes(services: Services, tag: string) {
  return routeGroup({ tag, guard: requireUser(services), problems: [401] });
}
