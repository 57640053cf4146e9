import type { FormDefinition } from "@coleta/forms";
import { and, eq, max, sql } from "drizzle-orm";
import { type FormStatus, form, formVersion } from "../db/schema";
import type { Db } from "../db/types";

// Every statement about forms and their published versions, in one place. Functions take a `Db`,
// which is also what a transaction hands out, so a service composes them inside one transaction
// where a rule spans statements. No rules here: what a draft must hold and when a form may be
// published live in ./service, the HTTP shapes in ./routes.

export type FormRow = typeof form.$inferSelect;

const inOrganization = (orgId: string, formId: string) =>
  and(eq(form.id, formId), eq(form.organizationId, orgId));

/** What a forms list and GET form show of a form. */
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

export interface FormSummaryRow {
  id: string;
  slug: string;
  title: string;
  status: FormStatus;
  publishedVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
  submissionCount: number;
  hasUnpublishedChanges: boolean;
}

/** The organization's forms, most recently changed first. */
export function selectForms(db: Db, orgId: string): Promise<FormSummaryRow[]> {
  return db
    .select(summaryColumns)
    .from(form)
    .where(eq(form.organizationId, orgId))
    .orderBy(sql`${form.updatedAt} desc`);
}

/** One form's summary and draft. */
export async function selectForm(
  db: Db,
  orgId: string,
  formId: string,
): Promise<(FormSummaryRow & { draft: FormDefinition }) | undefined> {
  const [row] = await db
    .select({ ...summaryColumns, draft: form.draft })
    .from(form)
    .where(inOrganization(orgId, formId));
  return row;
}

/** The slug, status, draft and title of a form; `forUpdate` locks its row until the transaction ends. */
export async function selectFormState(
  db: Db,
  orgId: string,
  formId: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = db
    .select({ slug: form.slug, status: form.status, draft: form.draft, title: form.title })
    .from(form)
    .where(inOrganization(orgId, formId));
  const [row] = await (options.forUpdate ? query.for("update") : query);
  return row;
}

/** The definition of a published version, if that version exists. */
export async function selectVersionDefinition(
  db: Db,
  formId: string,
  version: number,
): Promise<FormDefinition | undefined> {
  const [row] = await db
    .select({ definition: formVersion.definition })
    .from(formVersion)
    .where(and(eq(formVersion.formId, formId), eq(formVersion.version, version)));
  return row?.definition;
}

/** The definition reads and exports use: the latest published version, else the draft (undefined: no such form). */
export async function definitionForReading(
  db: Db,
  orgId: string,
  formId: string,
): Promise<FormDefinition | undefined> {
  const [row] = await db
    .select({ draft: form.draft, version: form.publishedVersion })
    .from(form)
    .where(inOrganization(orgId, formId));
  if (!row) return undefined;
  if (row.version === null) return row.draft;
  return (await selectVersionDefinition(db, formId, row.version)) ?? row.draft;
}

/** The published version of the form with this slug, with its definition. */
export async function selectPublishedBySlug(db: Db, slug: string) {
  const [row] = await db
    .select({
      formId: form.id,
      slug: form.slug,
      status: form.status,
      version: formVersion.version,
      definition: formVersion.definition,
    })
    .from(form)
    .innerJoin(
      formVersion,
      and(eq(formVersion.formId, form.id), eq(formVersion.version, form.publishedVersion)),
    )
    .where(eq(form.slug, slug))
    .limit(1);
  return row;
}

/** Inserts a draft form; its id. A taken slug fails on the unique constraint. */
export async function insertForm(
  db: Db,
  values: { organizationId: string; slug: string; title: string; draft: FormDefinition; createdBy: string },
): Promise<string> {
  const [row] = await db.insert(form).values(values).returning({ id: form.id });
  if (!row) throw new Error("form insert returned nothing");
  return row.id;
}

/** Updates a form's columns (draft, title, slug, status, published version, times). */
export async function setFormColumns(
  db: Db,
  formId: string,
  values: Partial<
    Pick<FormRow, "draft" | "title" | "slug" | "status" | "publishedVersion" | "updatedAt" | "draftUpdatedAt">
  >,
): Promise<void> {
  await db.update(form).set(values).where(eq(form.id, formId));
}

/** The highest published version number of a form (0 before the first). */
export async function lastVersion(db: Db, formId: string): Promise<number> {
  const [row] = await db
    .select({ v: max(formVersion.version) })
    .from(formVersion)
    .where(eq(formVersion.formId, formId));
  return row?.v ?? 0;
}

/** Stores a published version; when it was published. */
export async function insertVersion(
  db: Db,
  values: { formId: string; version: number; definition: FormDefinition; publishedBy: string },
): Promise<Date> {
  const [row] = await db
    .insert(formVersion)
    .values(values)
    .returning({ publishedAt: formVersion.publishedAt });
  return row?.publishedAt ?? new Date();
}

/** Deletes a form (its versions and submissions cascade); its slug, undefined when there was none. */
export async function deleteFormRow(db: Db, orgId: string, formId: string): Promise<string | undefined> {
  const [row] = await db.delete(form).where(inOrganization(orgId, formId)).returning({ slug: form.slug });
  return row?.slug;
}
