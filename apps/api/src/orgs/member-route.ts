import { type Action, minimumRole, ROLES } from "@coleta/permissions";
import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { Services } from "../context";
import { problems } from "../http/openapi";
import { requireRole } from "./permissions";

/** A route of an organization (`/orgs/{orgId}/…`) as its feature writes it: no tags, no middleware. */
type MemberRouteConfig = Omit<RouteConfig, "tags" | "middleware">;

/**
 * The route builder of a feature's organization routes, tagged `tag`. Each route names the action it
 * performs; the builder puts `requireRole(services, action)` in front of it and documents what that
 * check and the path parameters can answer: 400 (a malformed parameter), 401, 404 (not a member) and,
 * when the action needs more than the weakest role, 403. The documented problems follow
 * @coleta/permissions, so they cannot drift from the check; a route adds only its own (409, 422…).
 */
export function memberRoutes(services: Services, tag: string) {
  return <P extends string, R extends MemberRouteConfig & { path: P }>(action: Action, route: R) =>
    createRoute({
      ...route,
      tags: [tag],
      middleware: [requireRole(services, action)] as const,
      // Typed as the route's own responses: the handler's answers are checked against those, the
      // problems are thrown (AppError) rather than returned.
      responses: {
        ...(minimumRole(action) === ROLES[0] ? problems(400, 401, 404) : problems(400, 401, 403, 404)),
        ...route.responses,
      } as R["responses"],
    });
}
