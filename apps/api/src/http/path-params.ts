import { z } from "@hono/zod-openapi";
import { textParam, uuidParam } from "./ids";

// Every path parameter of the API, under the name the paths give it: `{formId}` is validated and
// documented the same way in every route that has it, and a route's parameters follow from its path.

const PATH_PARAMS = {
  orgId: uuidParam("orgId"),
  formId: uuidParam("formId"),
  submissionId: uuidParam("submissionId"),
  invitationId: uuidParam("invitationId"),
  userId: z
    .string()
    .min(1)
    .openapi({ param: { name: "userId", in: "path" } }),
  fieldId: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/)
    .openapi({ param: { name: "fieldId", in: "path" } }),
  index: z
    .string()
    .regex(/^\d{1,2}$/)
    .openapi({ param: { name: "index", in: "path" }, description: "0 for the first file of the field" }),
  slug: textParam("slug", 1, 100),
  token: textParam("token", 20, 200),
};

type PathParamName = keyof typeof PATH_PARAMS;

/** The names in a path template's braces: "/orgs/{orgId}/forms/{formId}" → "orgId" | "formId". */
export type PathParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PathParamNames<Rest>
  : never;

/** The schema of a path template's parameters, in the order the path names them. */
export type PathParamsSchema<P extends string> = z.ZodObject<
  Pick<typeof PATH_PARAMS, PathParamNames<P> & PathParamName>
>;

function isPathParamName(name: string): name is PathParamName {
  return Object.hasOwn(PATH_PARAMS, name);
}

/** The parameters of `path`, or null when it has none; a name without a schema is a programming error. */
export function pathParams<P extends string>(path: P): PathParamsSchema<P> | null {
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
  if (names.length === 0) return null;
  const shape = Object.fromEntries(
    names.map((name) => {
      if (!isPathParamName(name)) throw new Error(`${path}: no schema for the path parameter {${name}}`);
      return [name, PATH_PARAMS[name]];
    }),
  );
  return z.object(shape) as PathParamsSchema<P>;
}
