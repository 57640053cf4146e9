import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv, Services } from "../context";
import { AppError } from "../errors/app-error";
import type { PublishedFormCache } from "../forms/published-cache";
import { clientIp } from "../http/client-ip";
import { canonicalUuid } from "../http/ids";
import { createdOrRetried, createRouter, problems } from "../http/openapi";
import { memberRoutes } from "../orgs/member-route";
import { openPublishedForm, respondentRoute } from "../public/open-form";
import { csvOptionsOf, ExportOptionsQuery } from "../submissions/export";
import { ExportLimiter } from "../submissions/export-limiter";
import { parseFilters } from "../submissions/filters";
import { enforceSubmissionLimits } from "../submissions/rate-limit";
import { formForReading } from "../submissions/service";
import { cleanContentType, cleanFileName, downloadHeaders } from "./file-names";
import { ownerFileUrl } from "./links";
import { formUploadRules, tooLarge, type UploadService } from "./service";
import { openZipExport } from "./zip-export";

const UploadHeaders = z.object({
  "x-file-name": z.string().max(2_000).openapi({
    description: "The file's name, percent-encoded UTF-8 (`encodeURIComponent`). Folders are dropped.",
    example: "foto%20da%20casa.jpg",
  }),
  "x-upload-id": z.string().optional().openapi({
    description:
      "A UUID the client picks once per file, so a retry is recognised: the same bytes again answer 200 with the first answer, other bytes 409.",
  }),
  "x-file-size": z
    .string()
    .regex(/^\d{1,15}$/)
    .optional()
    .openapi({
      description: "S3 mode, for a direct upload: the exact size, with an empty body.",
    }),
});
const DirectUploadSchema = z
  .object({
    url: z.string(),
    fields: z.record(z.string(), z.string()),
  })
  .openapi("DirectUpload", {
    description:
      "Send the file with `POST url` as multipart/form-data: every entry of `fields`, then the file as `file` (last). Only exactly the announced size and type are accepted.",
  });
const UploadSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    size: z.number().int(),
    type: z.string(),
    expiresAt: z.string().openapi({ description: "Deleted then unless a submission refers to it." }),
    upload: DirectUploadSchema.optional(),
  })
  .openapi("Upload");

/** The request body as a Node stream: straight from the socket when the Node adapter gives it. */
function bodyStream(c: Context<AppEnv>): Readable {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming) return incoming;
  const body = c.req.raw.body;
  return body ? Readable.fromWeb(body as unknown as WebReadableStream) : Readable.from([]);
}

export function uploadRoutes(services: Services, published: PublishedFormCache, uploads: UploadService) {
  const router = createRouter();
  const route = memberRoutes(services, "Submissions");
  const { config, database } = services;

  const openForm = (slug: string) => openPublishedForm(published, slug);

  router.openapi(
    respondentRoute.post("/public/forms/{slug}/uploads", {
      summary: "Upload a file for a file answer",
      description:
        "The body is the file itself, `Content-Type` its type, `X-File-Name` its name. Answer a file question with `[{ \"uploadId\": id }]`. The type must be accepted, and the size allowed, by at least one file question of the form (415 / 413); each question's own rules are checked when the submission refers to the upload. Unreferenced uploads are deleted after UPLOAD_TTL_HOURS. With S3 storage, send `X-File-Size` and no body: the answer's `upload` is a presigned POST to send the file to, straight to the bucket.",
      request: {
        headers: UploadHeaders,
        body: {
          content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
          description: "The file (any Content-Type the form accepts).",
        },
      },
      responses: {
        ...createdOrRetried(
          UploadSchema,
          "Received (or, with `upload`, reserved for a direct upload)",
          "The same upload id and file again: the first answer",
        ),
        ...problems(409, 411, 413, 415, 429),
      },
    }),
    async (c) => {
      const { slug } = c.req.valid("param");
      const headers = c.req.valid("header");
      await enforceSubmissionLimits(
        services.cache,
        {
          perIp: config.env.RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP,
          perForm: config.env.RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_FORM,
        },
        clientIp(c, config.env.TRUST_PROXY_HOPS),
        `uploads:${slug}`,
      );
      const form = await openForm(slug);
      const rules = formUploadRules(form.definition, uploads.settings.maxBytes);
      if (rules.fields.length === 0) {
        throw new AppError(404, "no_file_questions", "This form has no file questions.");
      }
      const name = cleanFileName(headers["x-file-name"]);
      if (!name) {
        throw AppError.badRequest("Give the file's name in X-File-Name (percent-encoded UTF-8).", [
          { path: "X-File-Name", code: "invalid_file_name", message: "Not a usable file name." },
        ]);
      }
      const type = cleanContentType(c.req.header("content-type"));
      if (!type) {
        throw new AppError(415, "unsupported_media_type", "Send the file's type as Content-Type.");
      }
      if (!rules.accepts(name, type)) {
        throw new AppError(415, "file_type_not_allowed", `This form does not accept ${type} files.`, [
          {
            path: "Content-Type",
            code: "file_type_not_allowed",
            message: `"${name}" is not an accepted file type.`,
          },
        ]);
      }
      const rawId = headers["x-upload-id"];
      const uploadId = rawId === undefined ? null : canonicalUuid(rawId);
      if (rawId !== undefined && !uploadId) {
        throw AppError.badRequest("X-Upload-Id must be a UUID.", [
          { path: "X-Upload-Id", code: "invalid_uuid", message: "Invalid UUID" },
        ]);
      }
      const length = c.req.header("content-length");
      const chunked = c.req.header("transfer-encoding") !== undefined;
      const declaredSize = length !== undefined && !chunked ? Number(length) : null;
      const incoming = { uploadId, name, contentType: type, declaredSize };

      const direct = uploads.storage.kind === "s3" && !chunked && (declaredSize ?? 0) === 0;
      if (direct) {
        if (headers["x-file-size"] === undefined) {
          throw new AppError(
            411,
            "length_required",
            "Send the file as the body, or its size in X-File-Size.",
          );
        }
        const size = Number(headers["x-file-size"]);
        if (size > rules.maxBytes) throw tooLarge(rules.maxBytes);
        const { view, created } = await uploads.reserveDirect(form.formId, {
          ...incoming,
          declaredSize: size,
        });
        return c.json(view, created ? 201 : 200);
      }
      const { view, created } = await uploads.receive(form.formId, rules.maxBytes, incoming, bodyStream(c));
      return c.json(view, created ? 201 : 200);
    },
  );

  /** The file behind a submission's answer, as a web stream with the headers to serve it with. */
  const openFile = async (
    params: { orgId: string; formId: string; submissionId: string; fieldId: string },
    index: number,
  ) => {
    await formForReading(database, params.orgId, params.formId);
    const row = await uploads.fileOf(params.formId, params.submissionId, params.fieldId, index);
    const stream = await uploads.storage.open(row.storage_key);
    if (!stream) throw AppError.notFound("This file is no longer stored.");
    const headers = {
      ...downloadHeaders(row.name, row.content_type),
      "Content-Length": String(row.size),
      // Only the signed-in owner's browser may keep it; an erased file must not linger in shared caches.
      "Cache-Control": "private, max-age=3600",
    };
    return { body: Readable.toWeb(stream) as unknown as ReadableStream, headers };
  };
  const fileRoute = <P extends string>(path: P, summary: string) =>
    route.get("submissions.view", path, {
      summary,
      description:
        "The file as it was uploaded. Images, audio, video and PDF are served inline with their type; anything else as an `application/octet-stream` attachment. Always `X-Content-Type-Options: nosniff` and a sandboxing Content-Security-Policy.",
      responses: {
        200: {
          description: "The file",
          content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
        },
      },
    });

  router.openapi(
    fileRoute(
      "/orgs/{orgId}/forms/{formId}/submissions/{submissionId}/files/{fieldId}",
      "Download the (first) file of a file answer",
    ),
    async (c) => {
      const file = await openFile(c.req.valid("param"), 0);
      return c.body(file.body, 200, file.headers);
    },
  );
  router.openapi(
    fileRoute(
      "/orgs/{orgId}/forms/{formId}/submissions/{submissionId}/files/{fieldId}/{index}",
      "Download one file of a file answer, by its position (0 = first)",
    ),
    async (c) => {
      const params = c.req.valid("param");
      const file = await openFile(params, Number(params.index));
      return c.body(file.body, 200, file.headers);
    },
  );

  const zipExports = new ExportLimiter(
    config.env.EXPORT_MAX_CONCURRENT,
    config.env.EXPORT_MAX_CONCURRENT_PER_ORG,
  );
  router.openapi(
    route.get("submissions.view", "/orgs/{orgId}/forms/{formId}/submissions/export.zip", {
      summary: "Download submissions with their files as a ZIP (streamed)",
      description:
        "`submissions.csv` (the CSV export, with the same filters and CSV options as the list's export), every attachment under `files/<submissionId>/<fieldId>/<index>-<name>`, and `files.csv` with each file's path and download URL. Counts against its own EXPORT_MAX_CONCURRENT budget (429 with Retry-After beyond it).",
      request: {
        query: ExportOptionsQuery.extend({
          from: z.string().optional(),
          to: z.string().optional(),
          near: z.string().optional(),
        }),
      },
      responses: {
        200: {
          description: "The ZIP",
          content: { "application/zip": { schema: z.string().openapi({ format: "binary" }) } },
        },
        ...problems(429),
      },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      const definition = await formForReading(database, orgId, formId);
      const filters = parseFilters(c.req.queries(), definition);
      const csv = csvOptionsOf(c.req.valid("query"));
      const release = zipExports.acquire(orgId);
      let stream: ReadableStream<Uint8Array>;
      try {
        stream = await openZipExport({
          database,
          storage: uploads.storage,
          formId,
          definition,
          filters,
          fileUrl: ownerFileUrl(config, orgId, formId),
          csv,
          release,
        });
      } catch (error) {
        release();
        throw error;
      }
      const stamp = new Date().toISOString().slice(0, 10);
      return c.body(stream, 200, {
        "Content-Type": "application/zip",
        "Content-Disposition": `attachment; filename="submissions-${stamp}.zip"`,
        "Cache-Control": "no-store",
      });
    },
  );

  return router;
}
