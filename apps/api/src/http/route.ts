import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { problems } from "./openapi";
import { type PathParamNames, type PathParamsSchema, pathParams } from "./path-params";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

type RouteRequest = NonNullable<RouteConfig["request"]>;

/**
 * What a route states for itself: summary, its own request parts (query, body, headers), its
 * answers. Its path parameters follow from the path, the rest from the group it is declared in.
 */
export type RouteSpec = Omit<RouteConfig, "method" | "path" | "tags" | "middleware" | "request"> & {
  request?: Omit<RouteRequest, "params">;
};

/** What the routes of a group share: their tag, the guard in front of them and the problems it answers. */
export interface RouteGroup<W extends MiddlewareHandler | undefined = undefined> {
  tag: string;
  guard?: W;
  problems?: readonly number[];
}

type Nothing = Record<never, never>;
type OwnRequest<S extends RouteSpec> = S extends { request: infer Q } ? Q : Nothing;
type ParamsRequest<P extends string> = [PathParamNames<P>] extends [never]
  ? Nothing
  : { params: PathParamsSchema<P> };

/** The route as createRoute types it: what the handler reads (`c.req.valid`, `c.get`) follows from it. */
export type DeclaredRoute<
  P extends string,
  S extends RouteSpec,
  W extends MiddlewareHandler | undefined,
> = Omit<S, "request"> & {
  method: HttpMethod;
  path: P;
  tags: string[];
  request: OwnRequest<S> & ParamsRequest<P>;
  // Typed as the route's own answers: the handler is checked against those; the group's problems
  // are thrown (AppError), never returned.
  responses: S["responses"];
} & (W extends MiddlewareHandler ? { middleware: [W] } : Nothing);

const isJson = (body: RouteRequest["body"]) => body?.content["application/json"] !== undefined;

/**
 * The problems a request can be refused with before its handler runs: a malformed path parameter
 * (400), and for a JSON body malformed JSON (400), another Content-Type (415) or invalid fields (422).
 */
function requestProblems(hasParams: boolean, request: RouteSpec["request"]): number[] {
  if (isJson(request?.body)) return [400, 415, 422];
  return hasParams ? [400] : [];
}

/** A route of `group`: its parameters from its path, its tag, guard and documented problems from the group. */
export function declareRoute<P extends string, S extends RouteSpec, W extends MiddlewareHandler | undefined>(
  group: RouteGroup<W>,
  method: HttpMethod,
  path: P,
  spec: S,
): DeclaredRoute<P, S, W> {
  const params = pathParams(path);
  const request = { ...(params ? { params } : {}), ...spec.request };
  return createRoute({
    method,
    path,
    tags: [group.tag],
    ...spec,
    ...(group.guard ? { middleware: [group.guard] } : {}),
    ...(Object.keys(request).length > 0 ? { request } : {}),
    responses: {
      ...problems(...(group.problems ?? []), ...requestProblems(params !== null, spec.request)),
      ...spec.responses,
    },
  }) as unknown as DeclaredRoute<P, S, W>;
}

/** One declaring function per method, named as Hono names them: `routes.get(…)`, `routes.post(…)`… */
export function byMethod<T>(declare: (method: HttpMethod) => T): Record<HttpMethod, T> {
  return {
    get: declare("get"),
    post: declare("post"),
    put: declare("put"),
    patch: declare("patch"),
    delete: declare("delete"),
  };
}

/** The routes of a group whose guard is the same for all of them: `routes.get(path, spec)`. */
export function routeGroup<W extends MiddlewareHandler | undefined>(group: RouteGroup<W>) {
  return byMethod(
    (method) =>
      <P extends string, S extends RouteSpec>(path: P, spec: S) =>
        declareRoute(group, method, path, spec),
  );
}
