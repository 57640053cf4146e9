import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../context";
import { AppError } from "../errors/app-error";
import { PROBLEM_CONTENT_TYPE } from "../errors/problem";
import { fieldErrorsFromZod } from "../errors/zod-issues";

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().openapi({ example: "validation_failed" }),
    requestId: z.string().optional(),
    errors: z
      .array(
        z.object({
          path: z.string().openapi({ example: "email" }),
          message: z.string(),
          code: z.string().optional(),
          params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
        }),
      )
      .optional(),
  })
  .openapi("Problem");

const DESCRIPTIONS: Record<number, string> = {
  400: "Malformed request (bad JSON, query or path parameter)",
  401: "Not signed in",
  403: "Signed in, but the role does not allow this",
  404: "Not found (or not visible to the caller)",
  409: "Conflicts with the current state (e.g. slug taken)",
  410: "Gone: the form is closed",
  413: "Body larger than the configured limit",
  415: "Body is not application/json",
  422: "Validation failed; `errors` lists each field",
  429: "Rate limited; retry after the Retry-After seconds",
};

/** The error responses a route can give, documented as problem+json. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: DESCRIPTIONS[status] ?? "Error",
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
      },
    ]),
  );
}

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A required JSON request body, validated against `schema` (422 with per-field errors) and documented. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  content: { "application/json": { schema } },
  required: true,
});

/** The answers of a create that is idempotent on a client-chosen id: 201 first, 200 (the first answer) for a retry. */
export const createdOrRetried = <T extends z.ZodType>(schema: T, created: string, retried: string) => ({
  201: jsonContent(schema, created),
  200: jsonContent(schema, retried),
});

/** A list answer, `{ items: [...] }`: wrapped, so a list can gain fields (a cursor…) without breaking clients. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** A router whose schema failures become problem+json: 422 for bodies, 400 for query and path. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const errors = fieldErrorsFromZod(result.error);
        if (result.target === "json") throw AppError.validation(errors);
        throw AppError.badRequest("Some request parameters are not valid.", errors);
      }
    },
  });
}
