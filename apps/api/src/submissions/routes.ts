import type { IncomingMessage } from "node:http";
import { createRoute, z } from "@hono/zod-openapi";
import type { Services } from "../context";
import { FormParams } from "../forms/schemas";
import { uuidParam } from "../http/ids";
import { createRouter, jsonContent, problems } from "../http/openapi";
import { requireRole } from "../orgs/permissions";
import { openExport } from "./export";
import { ExportLimiter } from "./export-limiter";
import { parseFilters } from "./filters";
import { deleteSubmission, formForReading, getSubmission, listSubmissions } from "./service";
import { summarize } from "./summary";

const SubmissionSchema = z
  .object({
    id: z.string().uuid(),
    formVersion: z.number().int(),
    answers: z.record(z.string(), z.unknown()),
    receivedAt: z.string(),
  })
  .openapi("Submission");

const FILTER_DOC =
  "Filters: `from`/`to` (ISO date or date-time; a bare `to` date includes that whole day), `field.<fieldId>=<value>` (equals; for multiple choice: includes), `near=<lat>,<lon>,<radiusMetres>` (first geopoint within the radius).";
const FilterQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  near: z.string().optional().openapi({ example: "-23.55,-46.63,5000" }),
});
const SubmissionParams = FormParams.extend({ submissionId: uuidParam("submissionId") });

export function submissionRoutes(services: Services) {
  const router = createRouter();
  const { database } = services;
  const viewer = requireRole(services, "viewer");
  const editor = requireRole(services, "editor");
  const exports = new ExportLimiter(
    services.config.env.EXPORT_MAX_CONCURRENT,
    services.config.env.EXPORT_MAX_CONCURRENT_PER_ORG,
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/forms/{formId}/submissions",
      tags: ["Submissions"],
      summary: "List submissions, newest first",
      description: FILTER_DOC,
      middleware: [viewer] as const,
      request: {
        params: FormParams,
        query: FilterQuery.extend({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z.string().max(100).optional(),
        }),
      },
      responses: {
        200: jsonContent(
          z.object({ items: z.array(SubmissionSchema), nextCursor: z.string().nullable() }),
          "A page of submissions",
        ),
        ...problems(400, 401, 404),
      },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      const { limit, cursor } = c.req.valid("query");
      const definition = await formForReading(database, orgId, formId);
      const filters = parseFilters(c.req.queries(), definition);
      return c.json(await listSubmissions(database, formId, filters, limit, cursor), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/forms/{formId}/submissions/export",
      tags: ["Submissions"],
      summary: "Download submissions as CSV or NDJSON (streamed)",
      description: `${FILTER_DOC} CSV has one column per field of the latest version. At most EXPORT_MAX_CONCURRENT exports run per API process (EXPORT_MAX_CONCURRENT_PER_ORG per organization); more get 429 with Retry-After. A failure before the first byte is an error status; a failure midway aborts the connection, so a truncated download is always detectable.`,
      middleware: [viewer] as const,
      request: {
        params: FormParams,
        query: FilterQuery.extend({ format: z.enum(["csv", "ndjson"]).default("csv") }),
      },
      responses: {
        200: {
          description: "The export file",
          content: { "text/csv": { schema: z.string() }, "application/x-ndjson": { schema: z.string() } },
        },
        ...problems(400, 401, 404, 429, 503),
      },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      const { format } = c.req.valid("query");
      const definition = await formForReading(database, orgId, formId);
      const filters = parseFilters(c.req.queries(), definition);
      const release = exports.acquire(orgId);
      const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
      const stream = await openExport(database, formId, definition, filters, format, release, () =>
        socket?.destroy(),
      );
      const stamp = new Date().toISOString().slice(0, 10);
      return c.body(stream, 200, {
        "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
        "Content-Disposition": `attachment; filename="submissions-${stamp}.${format === "csv" ? "csv" : "ndjson"}"`,
        "Cache-Control": "no-store",
        // Always chunked: the Node adapter would otherwise buffer the first chunks to compute a
        // Content-Length, and an error in them would end a short file as if it were complete.
        "Transfer-Encoding": "chunked",
      });
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/forms/{formId}/summary",
      tags: ["Submissions"],
      summary: "Per-field summary of the (filtered) submissions",
      description: FILTER_DOC,
      middleware: [viewer] as const,
      request: { params: FormParams, query: FilterQuery },
      responses: {
        200: jsonContent(
          z
            .object({
              total: z.number().int(),
              fields: z.array(
                z.object({
                  fieldId: z.string(),
                  type: z.string(),
                  answered: z.number().int(),
                  counts: z.record(z.string(), z.number()).optional(),
                  stats: z.object({ min: z.number(), max: z.number(), mean: z.number() }).optional(),
                  histogram: z.record(z.string(), z.number()).optional(),
                  points: z.array(z.object({ lat: z.number(), lon: z.number() })).optional(),
                }),
              ),
            })
            .openapi("Summary"),
          "Summary",
        ),
        ...problems(400, 401, 404),
      },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      const definition = await formForReading(database, orgId, formId);
      const filters = parseFilters(c.req.queries(), definition);
      return c.json(await summarize(database, formId, definition, filters), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/forms/{formId}/submissions/{submissionId}",
      tags: ["Submissions"],
      summary: "Read one submission",
      middleware: [viewer] as const,
      request: { params: SubmissionParams },
      responses: { 200: jsonContent(SubmissionSchema, "The submission"), ...problems(400, 401, 404) },
    }),
    async (c) => {
      const { orgId, formId, submissionId } = c.req.valid("param");
      await formForReading(database, orgId, formId);
      return c.json(await getSubmission(database, formId, submissionId), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/forms/{formId}/submissions/{submissionId}",
      tags: ["Submissions"],
      summary: "Erase a submission",
      middleware: [editor] as const,
      request: { params: SubmissionParams },
      responses: { 204: { description: "Erased" }, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { orgId, formId, submissionId } = c.req.valid("param");
      await formForReading(database, orgId, formId);
      await deleteSubmission(database, formId, submissionId);
      return c.body(null, 204);
    },
  );

  return router;
}
