import type { Action } from "@coleta/permissions";
import { createRoute, z } from "@hono/zod-openapi";
import type { Services, SessionUser } from "../context";
import { createRouter, jsonContent, problems } from "../http/openapi";
import { requireRole } from "../orgs/permissions";
import { OrgIdParam } from "../orgs/schemas";
import type { PublishedFormCache } from "./published-cache";
import { CreateFormInput, FormParams, FormSchema, FormSummarySchema, UpdateFormInput } from "./schemas";
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
  const allow = (action: Action) => requireRole(services, action);
  const userId = (c: { get(key: "user"): SessionUser }) => c.get("user").id;

  router.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/forms",
      tags: ["Forms"],
      summary: "List the organization's forms",
      middleware: [allow("forms.view")] as const,
      request: { params: OrgIdParam },
      responses: {
        200: jsonContent(z.object({ items: z.array(FormSummarySchema) }), "Forms"),
        ...problems(400, 401, 404),
      },
    }),
    async (c) => c.json({ items: await listForms(db, c.req.valid("param").orgId) }, 200),
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/forms",
      tags: ["Forms"],
      summary: "Create a form (a draft)",
      middleware: [allow("form.create")] as const,
      request: {
        params: OrgIdParam,
        body: { content: { "application/json": { schema: CreateFormInput } }, required: true },
      },
      responses: { 201: jsonContent(FormSchema, "Created"), ...problems(400, 401, 403, 404, 409, 415, 422) },
    }),
    async (c) => {
      const { orgId } = c.req.valid("param");
      const id = await createForm(db, orgId, userId(c), c.req.valid("json"));
      return c.json(await getForm(db, orgId, id), 201);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/forms/{formId}",
      tags: ["Forms"],
      summary: "Read a form with its draft and published definitions",
      middleware: [allow("forms.view")] as const,
      request: { params: FormParams },
      responses: { 200: jsonContent(FormSchema, "The form"), ...problems(400, 401, 404) },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      return c.json(await getForm(db, orgId, formId), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "put",
      path: "/orgs/{orgId}/forms/{formId}",
      tags: ["Forms"],
      summary: "Save the draft, title or link name",
      middleware: [allow("form.edit")] as const,
      request: {
        params: FormParams,
        body: { content: { "application/json": { schema: UpdateFormInput } }, required: true },
      },
      responses: { 200: jsonContent(FormSchema, "Saved"), ...problems(400, 401, 403, 404, 409, 415, 422) },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      const { previousSlug } = await updateForm(db, orgId, formId, c.req.valid("json"));
      published.forget(previousSlug);
      return c.json(await getForm(db, orgId, formId), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/forms/{formId}/publish",
      tags: ["Forms"],
      summary: "Publish the draft as a new immutable version",
      middleware: [allow("form.publish")] as const,
      request: { params: FormParams },
      responses: {
        200: jsonContent(z.object({ version: z.number().int(), publishedAt: z.string() }), "Published"),
        ...problems(400, 401, 403, 404, 422),
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
      createRoute({
        method: "post",
        path: `/orgs/{orgId}/forms/{formId}/${action}`,
        tags: ["Forms"],
        summary: open ? "Accept submissions again" : "Stop accepting submissions",
        middleware: [allow("form.close")] as const,
        request: { params: FormParams },
        responses: { 200: jsonContent(FormSchema, "Updated"), ...problems(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const { orgId, formId } = c.req.valid("param");
        published.forget(await setAcceptingSubmissions(db, orgId, formId, open));
        return c.json(await getForm(db, orgId, formId), 200);
      },
    );
  }

  router.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/forms/{formId}/duplicate",
      tags: ["Forms"],
      summary: "Copy a form's draft into a new form",
      middleware: [allow("form.duplicate")] as const,
      request: { params: FormParams },
      responses: { 201: jsonContent(FormSchema, "The copy"), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      const id = await duplicateForm(db, orgId, formId, userId(c));
      return c.json(await getForm(db, orgId, id), 201);
    },
  );

  router.openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/forms/{formId}",
      tags: ["Forms"],
      summary: "Delete a form with all its versions and submissions",
      middleware: [allow("form.delete")] as const,
      request: { params: FormParams },
      responses: { 204: { description: "Deleted" }, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { orgId, formId } = c.req.valid("param");
      published.forget(await deleteForm(db, orgId, formId));
      return c.body(null, 204);
    },
  );

  return router;
}
