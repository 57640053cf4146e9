import { allFields, createEmptyDefinition, type FormDefinition } from "@coleta/forms";
import { validateDefinition } from "@coleta/forms/schema";
import type { Db } from "../db/types";
import { AppError, type FieldError } from "../errors/app-error";
import { slugify, uniqueSuffix } from "../orgs/service";
import {
  deleteFormRow,
  type FormRow,
  type FormSummaryRow,
  insertForm,
  insertVersion,
  lastVersion,
  selectForm,
  selectFormState,
  selectForms,
  selectVersionDefinition,
  setFormColumns,
} from "./queries";

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

function toSummary(row: FormSummaryRow): FormSummary {
  return {
    ...row,
    submissionCount: Number(row.submissionCount),
    hasUnpublishedChanges: row.publishedVersion !== null && Boolean(row.hasUnpublishedChanges),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listForms(db: Db, orgId: string): Promise<FormSummary[]> {
  return (await selectForms(db, orgId)).map(toSummary);
}

export async function getForm(db: Db, orgId: string, formId: string) {
  const row = await selectForm(db, orgId, formId);
  if (!row) throw AppError.notFound("Form not found.");
  const published =
    row.publishedVersion === null
      ? null
      : ((await selectVersionDefinition(db, formId, row.publishedVersion)) ?? null);
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
  return insertForm(db, {
    organizationId: orgId,
    slug: input.slug ?? newSlug(input.title),
    title: input.title,
    draft,
    createdBy: userId,
  });
}

export async function updateForm(
  db: Db,
  orgId: string,
  formId: string,
  input: { title?: string; slug?: string; draft?: unknown },
): Promise<{ previousSlug: string }> {
  const current = await selectFormState(db, orgId, formId);
  if (!current) throw AppError.notFound("Form not found.");
  let draft = input.draft === undefined ? current.draft : checkDraft(input.draft);
  // The title lives in the definition (respondents see it) and on the row (lists); keep them equal.
  if (input.title !== undefined) draft = { ...draft, title: input.title };
  const now = new Date();
  await setFormColumns(db, formId, {
    draft,
    title: draft.title,
    ...(input.slug ? { slug: input.slug } : {}),
    updatedAt: now,
    ...(input.draft !== undefined || input.title !== undefined ? { draftUpdatedAt: now } : {}),
  });
  return { previousSlug: current.slug };
}

export async function publishForm(db: Db, orgId: string, formId: string, userId: string) {
  return db.transaction(async (tx) => {
    // Row lock: two publishes at once get consecutive versions instead of a duplicate-key error.
    const current = await selectFormState(tx, orgId, formId, { forUpdate: true });
    if (!current) throw AppError.notFound("Form not found.");
    const draft = checkDraft(current.draft);
    if (allFields(draft).length === 0) {
      throw AppError.validation(
        [{ path: "draft.pages", code: "no_fields", message: "Add at least one field before publishing." }],
        "Add at least one field before publishing.",
      );
    }
    const version = (await lastVersion(tx, formId)) + 1;
    const publishedAt = await insertVersion(tx, { formId, version, definition: draft, publishedBy: userId });
    await setFormColumns(tx, formId, {
      publishedVersion: version,
      status: current.status === "closed" ? "closed" : "published",
      updatedAt: new Date(),
    });
    return { version, publishedAt: publishedAt.toISOString(), slug: current.slug };
  });
}

export async function setAcceptingSubmissions(db: Db, orgId: string, formId: string, open: boolean) {
  const current = await selectFormState(db, orgId, formId);
  if (!current) throw AppError.notFound("Form not found.");
  if (current.status === "draft") {
    throw AppError.conflict(
      "not_published",
      "Publish the form first; a draft does not accept submissions yet.",
    );
  }
  await setFormColumns(db, formId, { status: open ? "published" : "closed", updatedAt: new Date() });
  return current.slug;
}

export async function duplicateForm(db: Db, orgId: string, formId: string, userId: string) {
  const source = await selectFormState(db, orgId, formId);
  if (!source) throw AppError.notFound("Form not found.");
  const title = `${source.title} (copy)`.slice(0, 200);
  return createForm(db, orgId, userId, { title, definition: { ...source.draft, title } });
}

export async function deleteForm(db: Db, orgId: string, formId: string): Promise<string> {
  const slug = await deleteFormRow(db, orgId, formId);
  if (slug === undefined) throw AppError.notFound("Form not found.");
  return slug;
}
