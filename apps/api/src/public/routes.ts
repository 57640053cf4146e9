import { validateSubmission } from "@coleta/forms";
import { createRoute, z } from "@hono/zod-openapi";
import type { Services } from "../context";
import { AppError } from "../errors/app-error";
import type { PublishedForm, PublishedFormCache } from "../forms/published-cache";
import { DefinitionSchema } from "../forms/schemas";
import { clientIp } from "../http/client-ip";
import { createRouter, jsonContent, problems } from "../http/openapi";
import { enforceSubmissionLimits } from "../submissions/rate-limit";
import type { SubmissionWriter } from "../submissions/writer";

const SlugParam = z.object({
  slug: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "slug", in: "path" } }),
});
const PublicFormSchema = z
  .object({ slug: z.string(), title: z.string(), version: z.number().int(), definition: DefinitionSchema })
  .openapi("PublicForm");
const SubmissionInput = z
  .object({
    id: z.string().uuid().openapi({ description: "Created by the client once per fill; retries reuse it." }),
    answers: z.record(z.string(), z.unknown()),
  })
  .openapi("SubmissionInput");
const ReceiptSchema = z
  .object({ id: z.string().uuid(), receivedAt: z.string() })
  .openapi("SubmissionReceipt");

function firstGeopoint(form: PublishedForm, answers: Record<string, unknown>) {
  if (!form.geopointFieldId) return null;
  const value = answers[form.geopointFieldId] as { lat?: unknown; lon?: unknown } | undefined;
  return value && typeof value.lat === "number" && typeof value.lon === "number"
    ? { lat: value.lat, lon: value.lon }
    : null;
}

export function publicRoutes(services: Services, published: PublishedFormCache, writer: SubmissionWriter) {
  const router = createRouter();
  const { metrics, config } = services;
  const reject = (reason: string, error: AppError) => {
    metrics.submissionsRejected.inc({ reason });
    return error;
  };

  async function openForm(slug: string, countAs?: string): Promise<PublishedForm> {
    const form = await published.get(slug);
    if (!form) {
      const error = AppError.notFound("This form does not exist or is not published.");
      throw countAs ? reject("not_found", error) : error;
    }
    if (form.status === "closed") {
      const error = new AppError(410, "form_closed", "This form is closed and no longer accepts responses.");
      throw countAs ? reject("form_closed", error) : error;
    }
    return form;
  }

  router.openapi(
    createRoute({
      method: "get",
      path: "/public/forms/{slug}",
      tags: ["Public"],
      summary: "The published version of a form, for respondents",
      request: { params: SlugParam },
      responses: { 200: jsonContent(PublicFormSchema, "The published form"), ...problems(400, 404, 410) },
    }),
    async (c) => {
      const form = await openForm(c.req.valid("param").slug);
      c.header("Cache-Control", "no-cache");
      return c.json(
        { slug: form.slug, title: form.definition.title, version: form.version, definition: form.definition },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/public/forms/{slug}/submissions",
      tags: ["Public"],
      summary: "Submit answers",
      description:
        "Validated with the same validator as the web form. Idempotent on `id`: a retry answers 200 with the original receipt and stores nothing new. A 2xx means the row is committed.",
      request: {
        params: SlugParam,
        body: { content: { "application/json": { schema: SubmissionInput } }, required: true },
      },
      responses: {
        201: jsonContent(ReceiptSchema, "Stored"),
        200: jsonContent(ReceiptSchema, "Already stored earlier (a retry)"),
        ...problems(400, 404, 409, 410, 413, 415, 422, 429),
      },
    }),
    async (c) => {
      const { slug } = c.req.valid("param");
      const body = c.req.valid("json");
      try {
        await enforceSubmissionLimits(
          services.cache,
          {
            perIp: config.env.RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP,
            perForm: config.env.RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_FORM,
          },
          clientIp(c, config.env.TRUST_PROXY_HOPS),
          slug,
        );
      } catch (error) {
        throw reject("rate_limited", error as AppError);
      }
      const form = await openForm(slug, "count");
      const result = validateSubmission(form.definition, body.answers);
      if (!result.ok) {
        throw reject(
          "validation",
          AppError.validation(
            result.errors.map((e) => ({ path: e.path, code: e.code, message: e.message, params: e.params })),
            "Some answers need attention.",
          ),
        );
      }
      const stored = await writer.write({
        id: body.id,
        formId: form.formId,
        formVersion: form.version,
        answers: result.answers,
        point: firstGeopoint(form, result.answers),
      });
      if (stored.formId !== form.formId) {
        throw reject(
          "id_conflict",
          AppError.conflict("id_conflict", "This submission id was already used for another form."),
        );
      }
      metrics.submissionsAccepted.inc({ outcome: stored.created ? "created" : "duplicate" });
      const receipt = { id: stored.id, receivedAt: stored.receivedAt.toISOString() };
      return stored.created ? c.json(receipt, 201) : c.json(receipt, 200);
    },
  );

  return router;
}
