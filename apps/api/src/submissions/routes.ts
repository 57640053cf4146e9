import type { IncomingMessage } from "node:http";
import { FILTER_CONTAINS_MAX_LENGTH } from "@coleta/forms";
import { z } from "@hono/zod-openapi";
import type { Services } from "../context";
import { createRouter, jsonContent, problems } from "../http/openapi";
import { memberRoutes } from "../orgs/member-route";
import { ownerFileUrl } from "../uploads/links";
import { csvOptionsOf, ExportOptionsQuery, type ExportRequest, openExport } from "./export";
import { ExportLimiter } from "./export-limiter";
import { MAP_MAX_POINTS, MAP_MAX_ZOOM, mapView } from "./map";
import { openParquetExport, PARQUET_CONTENT_TYPE } from "./parquet-export";
import { SubmissionMapSchema, SubmissionPageSchema, SubmissionSchema, SummarySchema } from "./schemas";
import { deleteSubmission, filteredForm, formForReading, getSubmission, listSubmissions } from "./service";
import { summarize } from "./summary";
import { openXlsxExport, XLSX_CONTENT_TYPE } from "./xlsx-export";

const FILTER_DOC = `Filters: \`from\`/\`to\` (ISO date or date-time; a bare \`to\` date includes that whole day), \`field.<fieldId>=<value>\` (equals; for multiple choice: includes; repeat it to match any of several values), \`contains.<fieldId>=<text>\` (short text, long text, e-mail, phone and URL fields: the answer contains the text, ignoring case; \`%\`, \`_\` and \`\\\` are literal; 1–${FILTER_CONTAINS_MAX_LENGTH} characters), \`near=<lat>,<lon>,<radiusMetres>\` (first geopoint within the radius), \`bbox=<west>,<south>,<east>,<north>\` (first geopoint inside the box, degrees; west > east crosses the antimeridian).`;
const FilterQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  near: z.string().optional().openapi({ example: "-23.55,-46.63,5000" }),
  bbox: z.string().optional().openapi({ example: "-46.83,-23.75,-46.36,-23.36" }),
});
const EXPORT_CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  ndjson: "application/x-ndjson; charset=utf-8",
  parquet: PARQUET_CONTENT_TYPE,
  xlsx: XLSX_CONTENT_TYPE,
} as const;

/** `onErased` runs after a submission is erased (its uploads' files are deleted there). */
export function submissionRoutes(
  services: Services,
  onErased: (submissionId: string) => Promise<void> = async () => {},
) {
  const router = createRouter();
  const { database } = services;
  const route = memberRoutes(services, "Submissions");
  const exports = new ExportLimiter(
    services.config.env.EXPORT_MAX_CONCURRENT,
    services.config.env.EXPORT_MAX_CONCURRENT_PER_ORG,
  );

  router.openapi(
    route.get("submissions.view", "/orgs/{orgId}/forms/{formId}/submissions", {
      summary: "List submissions, newest first",
      description: FILTER_DOC,
      request: {
        query: FilterQuery.extend({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z.string().max(100).optional(),
        }),
      },
      responses: { 200: jsonContent(SubmissionPageSchema, "A page of submissions") },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      const { limit, cursor } = c.req.valid("query");
      const { filters } = await filteredForm(database, orgId, formId, c.req.queries());
      return c.json(await listSubmissions(database, formId, filters, limit, cursor), 200);
    },
  );

  router.openapi(
    route.get("submissions.view", "/orgs/{orgId}/forms/{formId}/submissions/export", {
      summary: "Download submissions as CSV, NDJSON, XLSX or Parquet (streamed)",
      description: `${FILTER_DOC} CSV, XLSX and Parquet have one column per field of the latest version (XLSX: typed cells, the questions as headers, the time received as a date; Parquet: typed, with a GeoParquet geometry per geopoint; see docs/analytics.md). At most EXPORT_MAX_CONCURRENT exports run per API process (EXPORT_MAX_CONCURRENT_PER_ORG per organization); more get 429 with Retry-After. A failure before the first byte is an error status; a failure midway aborts the connection, so a truncated download is always detectable.`,
      request: {
        query: FilterQuery.extend({
          format: z.enum(["csv", "ndjson", "parquet", "xlsx"]).default("csv"),
          ...ExportOptionsQuery.shape,
        }),
      },
      responses: {
        200: {
          description: "The export file",
          content: {
            "text/csv": { schema: z.string() },
            "application/x-ndjson": { schema: z.string() },
            [PARQUET_CONTENT_TYPE]: { schema: z.string().openapi({ format: "binary" }) },
            [XLSX_CONTENT_TYPE]: { schema: z.string().openapi({ format: "binary" }) },
          },
        },
        ...problems(429, 503),
      },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      const query = c.req.valid("query");
      const format = query.format;
      const csv = csvOptionsOf(query);
      const { definition, filters } = await filteredForm(database, orgId, formId, c.req.queries());
      const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
      const request: ExportRequest = {
        database,
        formId,
        definition,
        filters,
        release: exports.acquire(orgId),
        abortConnection: () => socket?.destroy(),
        // File answers as download links in the CSV and XLSX (docs/api.md, "Uploads").
        fileUrl: ownerFileUrl(services.config, orgId, formId),
      };
      const stream =
        format === "parquet"
          ? await openParquetExport(request)
          : format === "xlsx"
            ? await openXlsxExport(request, csv)
            : await openExport(request, format, csv);
      const stamp = new Date().toISOString().slice(0, 10);
      return c.body(stream, 200, {
        "Content-Type": EXPORT_CONTENT_TYPES[format],
        "Content-Disposition": `attachment; filename="submissions-${stamp}.${format}"`,
        "Cache-Control": "no-store",
        // Always chunked: the Node adapter would otherwise buffer the first chunks to compute a
        // Content-Length, and an error in them would end a short file as if it were complete.
        "Transfer-Encoding": "chunked",
      });
    },
  );

  router.openapi(
    route.get("submissions.view", "/orgs/{orgId}/forms/{formId}/submissions/map", {
      summary: "What the map shows in a view: the submissions, or clusters of them",
      description: `${FILTER_DOC} The view is \`bbox\` (else the world) at \`zoom\` (0–${MAP_MAX_ZOOM}, as web maps count it). At most ${MAP_MAX_POINTS} submissions in the view come as \`points\` (with their ids); more come as \`clusters\` (count and mean position) on a grid about 32 screen pixels wide at that zoom.`,
      request: {
        query: FilterQuery.extend({ zoom: z.coerce.number().int().min(0).max(MAP_MAX_ZOOM).default(0) }),
      },
      responses: { 200: jsonContent(SubmissionMapSchema, "The submissions or clusters in the view") },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      const { zoom } = c.req.valid("query");
      const { filters } = await filteredForm(database, orgId, formId, c.req.queries());
      return c.json(await mapView(database, formId, filters, zoom), 200);
    },
  );

  router.openapi(
    route.get("submissions.view", "/orgs/{orgId}/forms/{formId}/summary", {
      summary: "Per-field summary of the (filtered) submissions",
      description: FILTER_DOC,
      request: { query: FilterQuery },
      responses: { 200: jsonContent(SummarySchema, "Summary") },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      const { definition, filters } = await filteredForm(database, orgId, formId, c.req.queries());
      return c.json(await summarize(database, formId, definition, filters), 200);
    },
  );

  router.openapi(
    route.get("submissions.view", "/orgs/{orgId}/forms/{formId}/submissions/{submissionId}", {
      summary: "Read one submission",
      responses: { 200: jsonContent(SubmissionSchema, "The submission") },
    }),
    async (c) => {
      const { orgId, formId, submissionId } = c.req.valid("param");
      await formForReading(database, orgId, formId);
      return c.json(await getSubmission(database, formId, submissionId), 200);
    },
  );

  router.openapi(
    route.delete("submission.delete", "/orgs/{orgId}/forms/{formId}/submissions/{submissionId}", {
      summary: "Erase a submission",
      responses: { 204: { description: "Erased" } },
    }),
    async (c) => {
      const { orgId, formId, submissionId } = c.req.valid("param");
      await formForReading(database, orgId, formId);
      await deleteSubmission(database, formId, submissionId);
      await onErased(submissionId);
      return c.body(null, 204);
    },
  );

  return router;
}
