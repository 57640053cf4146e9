import { allFields, createEmptyDefinition, type FormDefinition } from "@coleta/forms";
import { validateDefinition } from "@coleta/forms/schema";
import { and, eq, max, sql } from "drizzle-orm";
import { form, formVersion } from "../db/schema";
import type { Db } from "../db/types";
import { AppError, type FieldError } from "../errors/app-error";
import { slugify, uniqueSuffix } from "../orgs/service";

type FormRow = typeof form.$inferSelect;

export interface FormSummary {
  id: string;
  slug: string;
  title: string;
  status: FormRow["status"];
  submissionCount: number;
  publishedVersion: number | null;
  hasUnpublishedChanges: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A draft as sent by a client, checked by the same validator the builder uses. */
export function checkDraft(input: unknown, pathPrefix = "draft"): FormDefinition {
  const result = validateDefinition(input);
  if (result.ok) return result.definition;
  const errors: FieldError[] = result.errors.map((e) => ({
    path: e.path ? `${pathPrefix}.${e.path}` : pathPrefix,
    code: e.code,
    message: e.message,
  }));
  throw AppError.validation(errors, "The form definition is not valid.");
}

export function newSlug(title: string): string {
  return `${slugify(title)}-${uniqueSuffix()}`;
}

const summaryColumns = {
  id: form.id,
  slug: form.slug,
  title: form.title,
  status: form.status,
  publishedVersion: form.publishedVersion,
  createdAt: form.createdAt,
  updatedAt: form.updatedAt,
  // Kept exact by triggers on `submission` in the writing statement itself: the folded count plus
  // the few deltas appended since the last fold, in this one statement (one snapshot). O(1)-ish at
  // any size (migration 0003_data_at_scale).
  submissionCount: sql<number>`"form"."submission_count" + coalesce((select sum(d.n) from submission_rollup_delta d where d.form_id = "form"."id" and d.kind = 'count'), 0)`,
  // Correlated subqueries spell out "form".<column>: Drizzle renders bare column names here, which
  // inside the subquery would silently bind to the inner table's columns of the same name.
  hasUnpublishedChanges: sql<boolean>`coalesce((select v.definition is distinct from "form"."draft" from form_version v where v.form_id = "form"."id" and v.version = "form"."published_version"), false)`,
};

function toSummary(row: {
  id: string;
  slug: string;
  title: string;
  status: FormRow["status"];
  publishedVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
  submissionCount: number;
  hasUnpublishedChanges: boolean;
}): FormSummary {
  return {
    ...row,
    submissionCount: Number(row.submissionCount),
    hasUnpublishedChanges: row.publishedVersion !== null && Boolean(row.hasUnpublishedChanges),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listForms(db: Db, orgId: string): Promise<FormSummary[]> {
  const rows = await db
    .select(summaryColumns)
    .from(form)
    .where(eq(form.organizationId, orgId))
    .orderBy(sql`${form.updatedAt} desc`);
  return rows.map(toSummary);
}

export async function getForm(db: Db, orgId: string, formId: string) {
  const [row] = await db
    .select({ ...summaryColumns, draft: form.draft })
    .from(form)
    .where(and(eq(form.id, formId), eq(form.organizationId, orgId)));
  if (!row) throw AppError.notFound("Form not found.");
  let published: FormDefinition | null = null;
  if (row.publishedVersion !== null) {
    const [version] = await db
      .select({ definition: formVersion.definition })
      .from(formVersion)
      .where(and(eq(formVersion.formId, formId), eq(formVersion.version, row.publishedVersion)));
    published = version?.definition ?? null;
  }
  const { draft, ...summary } = row;
  return { ...toSummary(summary), draft, published };
}

export async function createForm(
  db: Db,
  orgId: string,
  userId: string,
  input: { title: string; slug?: string; definition?: unknown },
) {
  const draft =
    input.definition === undefined
      ? createEmptyDefinition(input.title)
      : { ...checkDraft(input.definition, "definition"), title: input.title };
  // A taken slug is answered 409 slug_taken by the database-error mapping (errors/database-errors.ts).
  const [row] = await db
    .insert(form)
    .values({
      organizationId: orgId,
      slug: input.slug ?? newSlug(input.title),
      title: input.title,
      draft,
      createdBy: userId,
    })
    .returning({ id: form.id });
  if (!row) throw new Error("form insert returned nothing");
  return row.id;
}

export async function updateForm(
  db: Db,
  orgId: string,
  formId: string,
  input: { title?: string; slug?: string; draft?: unknown },
): Promise<{ previousSlug: string }> {
  const [current] = await db
    .select({ slug: form.slug, draft: form.draft })
    .from(form)
    .where(and(eq(form.id, formId), eq(form.organizationId, orgId)));
  if (!current) throw AppError.notFound("Form not found.");
  let draft = input.draft === undefined ? current.draft : checkDraft(input.draft);
  // The title lives in the definition (respondents see it) and on the row (lists); keep them equal.
  if (input.title !== undefined) draft = { ...draft, title: input.title };
  const now = new Date();
  await db
    .update(form)
    .set({
      draft,
      title: draft.title,
      ...(input.slug ? { slug: input.slug } : {}),
      updatedAt: now,
      ...(input.draft !== undefined || input.title !== undefined ? { draftUpdatedAt: now } : {}),
    })
    .where(eq(form.id, formId));
  return { previousSlug: current.slug };
}

export async function publishForm(db: Db, orgId: string, formId: string, userId: string) {
  return db.transaction(async (tx) => {
    // Row lock: two publishes at once get consecutive versions instead of a duplicate-key error.
    const [current] = await tx
      .select({ draft: form.draft, status: form.status, slug: form.slug })
      .from(form)
      .where(and(eq(form.id, formId), eq(form.organizationId, orgId)))
      .for("update");
    if (!current) throw AppError.notFound("Form not found.");
    const draft = checkDraft(current.draft);
    if (allFields(draft).length === 0) {
      throw AppError.validation(
        [{ path: "draft.pages", code: "no_fields", message: "Add at least one field before publishing." }],
        "Add at least one field before publishing.",
      );
    }
    const [last] = await tx
      .select({ v: max(formVersion.version) })
      .from(formVersion)
      .where(eq(formVersion.formId, formId));
    const version = (last?.v ?? 0) + 1;
    const [created] = await tx
      .insert(formVersion)
      .values({ formId, version, definition: draft, publishedBy: userId })
      .returning({ publishedAt: formVersion.publishedAt });
    await tx
      .update(form)
      .set({
        publishedVersion: version,
        status: current.status === "closed" ? "closed" : "published",
        updatedAt: new Date(),
      })
      .where(eq(form.id, formId));
    return { version, publishedAt: (created?.publishedAt ?? new Date()).toISOString(), slug: current.slug };
  });
}

export async function setAcceptingSubmissions(db: Db, orgId: string, formId: string, open: boolean) {
  const [current] = await db
    .select({ status: form.status, slug: form.slug })
    .from(form)
    .where(and(eq(form.id, formId), eq(form.organizationId, orgId)));
  if (!current) throw AppError.notFound("Form not found.");
  if (current.status === "draft") {
    throw AppError.conflict(
      "not_published",
      "Publish the form first; a draft does not accept submissions yet.",
    );
  }
  await db
    .update(form)
    .set({ status: open ? "published" : "closed", updatedAt: new Date() })
    .where(eq(form.id, formId));
  return current.slug;
}

export async function duplicateForm(db: Db, orgId: string, formId: string, userId: string) {
  const [source] = await db
    .select({ draft: form.draft, title: form.title })
    .from(form)
    .where(and(eq(form.id, formId), eq(form.organizationId, orgId)));
  if (!source) throw AppError.notFound("Form not found.");
  const title = `${source.title} (copy)`.slice(0, 200);
  return createForm(db, orgId, userId, { title, definition: { ...source.draft, title } });
}

export async function deleteForm(db: Db, orgId: string, formId: string): Promise<string> {
  const [deleted] = await db
    .delete(form)
    .where(and(eq(form.id, formId), eq(form.organizationId, orgId)))
    .returning({ slug: form.slug });
  if (!deleted) throw AppError.notFound("Form not found.");
  return deleted.slug;
}
