import { z } from "@hono/zod-openapi";
import type { Services, SessionUser } from "../context";
import { createRouter, jsonBody, jsonContent, listOf, problems } from "../http/openapi";
import { memberRoutes } from "../orgs/member-route";
import type { PublishedFormCache } from "./published-cache";
import { CreateFormInput, FormSchema, FormSummarySchema, UpdateFormInput } from "./schemas";
import {
  createForm,
  deleteForm,
  duplicateForm,
  getForm,
  listForms,
  publishForm,
  setAcceptingSubmissions,
  updateForm,
} from "./service";

export function formRoutes(services: Services, published: PublishedFormCache) {
  const router = createRouter();
  const { db } = services.database;
  const route = memberRoutes(services, "Forms");
  const userId = (c: { get(key: "user"): SessionUser }) => c.get("user").id;

  router.openapi(
    route.get("forms.view", "/orgs/{orgId}/forms", {
      summary: "List the organization's forms",
      responses: { 200: jsonContent(listOf(FormSummarySchema), "Forms") },
    }),
    async (c) => c.json({ items: await listForms(db, c.req.valid("param").orgId) }, 200),
  );

  router.openapi(
    route.post("form.create", "/orgs/{orgId}/forms", {
      summary: "Create a form (a draft)",
      request: { body: jsonBody(CreateFormInput) },
      responses: { 201: jsonContent(FormSchema, "Created"), ...problems(409) },
    }),
    async (c) => {
      const { orgId } = c.req.valid("param");
      const id = await createForm(db, orgId, userId(c), c.req.valid("json"));
      return c.json(await getForm(db, orgId, id), 201);
    },
  );

  router.openapi(
    route.get("forms.view", "/orgs/{orgId}/forms/{formId}", {
      summary: "Read a form with its draft and published definitions",
      responses: { 200: jsonContent(FormSchema, "The form") },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      return c.json(await getForm(db, orgId, formId), 200);
    },
  );

  router.openapi(
    route.put("form.edit", "/orgs/{orgId}/forms/{formId}", {
      summary: "Save the draft, title or link name",
      request: { body: jsonBody(UpdateFormInput) },
      responses: { 200: jsonContent(FormSchema, "Saved"), ...problems(409) },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      const { previousSlug } = await updateForm(db, orgId, formId, c.req.valid("json"));
      published.forget(previousSlug);
      return c.json(await getForm(db, orgId, formId), 200);
    },
  );

  router.openapi(
    route.post("form.publish", "/orgs/{orgId}/forms/{formId}/publish", {
      summary: "Publish the draft as a new immutable version",
      responses: {
        200: jsonContent(z.object({ version: z.number().int(), publishedAt: z.string() }), "Published"),
        ...problems(422),
      },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      const { version, publishedAt, slug } = await publishForm(db, orgId, formId, userId(c));
      published.forget(slug);
      return c.json({ version, publishedAt }, 200);
    },
  );

  for (const [action, open] of [
    ["close", false],
    ["reopen", true],
  ] as const) {
    router.openapi(
      route.post("form.close", `/orgs/{orgId}/forms/{formId}/${action}`, {
        summary: open ? "Accept submissions again" : "Stop accepting submissions",
        responses: { 200: jsonContent(FormSchema, "Updated"), ...problems(409) },
      }),
      async (c) => {
        const { orgId, formId } = c.req.valid("param");
        published.forget(await setAcceptingSubmissions(db, orgId, formId, open));
        return c.json(await getForm(db, orgId, formId), 200);
      },
    );
  }

  router.openapi(
    route.post("form.duplicate", "/orgs/{orgId}/forms/{formId}/duplicate", {
      summary: "Copy a form's draft into a new form",
      responses: { 201: jsonContent(FormSchema, "The copy") },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      const id = await duplicateForm(db, orgId, formId, userId(c));
      return c.json(await getForm(db, orgId, id), 201);
    },
  );

  router.openapi(
    route.delete("form.delete", "/orgs/{orgId}/forms/{formId}", {
      summary: "Delete a form with all its versions and submissions",
      responses: { 204: { description: "Deleted" } },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      published.forget(await deleteForm(db, orgId, formId));
      return c.body(null, 204);
    },
  );

  return router;
}
