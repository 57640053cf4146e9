import { validateSubmission } from "@coleta/forms";
import { z } from "@hono/zod-openapi";
import type { Services } from "../context";
import { AppError } from "../errors/app-error";
import type { PublishedForm, PublishedFormCache } from "../forms/published-cache";
import { DefinitionSchema } from "../forms/schemas";
import { clientIp } from "../http/client-ip";
import { uuidString } from "../http/ids";
import { createdOrRetried, createRouter, jsonBody, jsonContent, problems } from "../http/openapi";
import { enforceSubmissionLimits } from "../submissions/rate-limit";
import { storedCellsOf } from "../submissions/stored-cells";
import { findStored, type StoredSubmission, type SubmissionWriter } from "../submissions/writer";
import { referencedUploadIds, type UploadService } from "../uploads";
import { openPublishedForm, respondentRoute } from "./open-form";
import { publicFormBody } from "./public-form";

const PublicFormSchema = z
  .object({ slug: z.string(), title: z.string(), version: z.number().int(), definition: DefinitionSchema })
  .openapi("PublicForm");
const SubmissionInput = z
  .object({
    id: uuidString().openapi({
      type: "string",
      format: "uuid",
      description: "Created by the client once per fill; retries reuse it (any case; stored lower case).",
    }),
    answers: z.record(z.string(), z.unknown()),
  })
  .openapi("SubmissionInput");
const ReceiptSchema = z
  .object({
    id: z.string().uuid(),
    receivedAt: z.string(),
    duplicate: z.boolean().openapi({
      description:
        "True when this id was already received: the original receipt is returned and the answers sent with this retry are ignored, even if they differ.",
    }),
  })
  .openapi("SubmissionReceipt");

function firstGeopoint(form: PublishedForm, answers: Record<string, unknown>) {
  if (!form.geopointFieldId) return null;
  const value = answers[form.geopointFieldId] as { lat?: unknown; lon?: unknown } | undefined;
  return value && typeof value.lat === "number" && typeof value.lon === "number"
    ? { lat: value.lat, lon: value.lon }
    : null;
}

export function publicRoutes(
  services: Services,
  published: PublishedFormCache,
  writer: SubmissionWriter,
  uploads: UploadService,
) {
  const router = createRouter();
  const { metrics, config } = services;
  const reject = (reason: string, error: AppError) => {
    metrics.submissionsRejected.inc({ reason });
    return error;
  };

  const countAccepted = <R>(response: R, stored: StoredSubmission): R => {
    metrics.submissionsAccepted.inc({ outcome: stored.created ? "created" : "duplicate" });
    return response;
  };

  const openForm = (slug: string) => openPublishedForm(published, slug);

  router.openapi(
    respondentRoute.get("/public/forms/{slug}", {
      summary: "The published version of a form, for respondents",
      responses: { 200: jsonContent(PublicFormSchema, "The published form") },
    }),
    async (c) => {
      const form = await openForm(c.req.valid("param").slug);
      c.header("Cache-Control", "no-cache");
      return c.json(publicFormBody(form), 200);
    },
  );

  router.openapi(
    respondentRoute.post("/public/forms/{slug}/submissions", {
      summary: "Submit answers",
      description:
        "Validated with the same validator as the web form. Idempotent on `id`: a retry of an id this form already received answers 200 with the original receipt (`duplicate: true`) and stores nothing new — also after the form was closed or changed, and after the submission was erased (it stays erased; the answers sent with a retry are ignored). A 2xx means the row is committed. Text containing NUL (U+0000) or unpaired surrogates is refused with 422.",
      request: { body: jsonBody(SubmissionInput) },
      responses: {
        ...createdOrRetried(ReceiptSchema, "Stored", "Already stored earlier (a retry)"),
        ...problems(409, 413, 429),
      },
    }),
    async (c) => {
      const { slug } = c.req.valid("param");
      const body = c.req.valid("json");
      const receipt = (stored: StoredSubmission) =>
        c.json(
          { id: stored.id, receivedAt: stored.receivedAt.toISOString(), duplicate: !stored.created },
          stored.created ? 201 : 200,
        );
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
        if (error instanceof AppError && error.status === 429) throw reject("rate_limited", error);
        throw error;
      }
      const form = await published.get(slug);
      if (!form)
        throw reject("not_found", AppError.notFound("This form does not exist or is not published."));
      // A retry of an id this form already received gets its original receipt, whatever happened
      // since (closed form, new version, erased submission); only new ids are held to today's rules.
      const earlier = async () => {
        const found = (await findStored(services.database, [body.id])).get(body.id);
        return found && found.formId === form.formId ? found : null;
      };
      if (form.status === "closed") {
        const stored = await earlier();
        if (stored) return countAccepted(receipt(stored), stored);
        throw reject(
          "form_closed",
          new AppError(410, "form_closed", "This form is closed and no longer accepts responses."),
        );
      }
      // File answers name uploads: each must exist for this form and be free (or this id's already).
      const uploadIds = referencedUploadIds(form.definition, body.answers);
      const result = validateSubmission(form.definition, body.answers, {
        uploads: await uploads.lookup(form.formId, body.id, uploadIds),
      });
      if (!result.ok) {
        const stored = await earlier();
        if (stored) return countAccepted(receipt(stored), stored);
        throw reject(
          "validation",
          AppError.validation(
            result.errors.map((e) => ({ path: e.path, code: e.code, message: e.message, params: e.params })),
            "Some answers need attention.",
          ),
        );
      }
      if (!(await uploads.claim(form.formId, body.id, uploadIds))) {
        throw reject(
          "validation",
          AppError.validation(
            [
              {
                path: "",
                code: "upload_in_use",
                message: "A file of this response was just taken by another one.",
              },
            ],
            "Some answers need attention.",
          ),
        );
      }
      let stored: StoredSubmission;
      try {
        stored = await writer.write({
          id: body.id,
          formId: form.formId,
          formVersion: form.version,
          answers: result.answers,
          point: firstGeopoint(form, result.answers),
          csv: storedCellsOf(form.definition, result.answers),
        });
      } catch (error) {
        if (error instanceof AppError && error.status === 422) throw reject("unstorable", error);
        throw error;
      }
      // Only what this request claimed needs settling: most submissions name no file, and an
      // UPDATE per submission that found nothing was over 40% of the database's CPU on this path.
      if (uploadIds.length > 0) {
        await uploads.settle(body.id, stored.created && stored.formId === form.formId);
      }
      if (stored.formId !== form.formId) {
        throw reject(
          "id_conflict",
          AppError.conflict("id_conflict", "This submission id was already used for another form."),
        );
      }
      return countAccepted(receipt(stored), stored);
    },
  );

  return router;
}
