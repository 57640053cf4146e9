import type { FormDefinition } from "@coleta/forms";
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { user } from "./auth";
import { generatedId, instant, ownedBy, stamp, timestamps } from "./columns";
import { geographyPoint } from "./geography";
import { organization } from "./orgs";

export type FormStatus = "draft" | "published" | "closed";

export const form = pgTable(
  "form",
  {
    id: generatedId(),
    organizationId: ownedBy(uuid("organization_id"), () => organization.id),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    draft: jsonb("draft").$type<FormDefinition>().notNull(),
    status: text("status").$type<FormStatus>().notNull().default("draft"),
    publishedVersion: integer("published_version"),
    draftUpdatedAt: stamp("draft_updated_at"),
    // Rows in `submission` for this form, kept exact by triggers on `submission` (migration
    // 0003_data_at_scale): every INSERT adds the rows it really inserted (not ON CONFLICT
    // duplicates or tombstoned ids) and every DELETE takes off the rows it removed, per form, in
    // the same statement and so the same transaction. Lists and GET form read it instead of count(*).
    submissionCount: bigint("submission_count", { mode: "number" }).notNull().default(0),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [index("form_org_idx").on(t.organizationId)],
);

export const formVersion = pgTable(
  "form_version",
  {
    id: generatedId(),
    formId: ownedBy(uuid("form_id"), () => form.id),
    version: integer("version").notNull(),
    definition: jsonb("definition").$type<FormDefinition>().notNull(),
    publishedBy: text("published_by").references(() => user.id, { onDelete: "set null" }),
    publishedAt: stamp("published_at"),
  },
  (t) => [unique("form_version_form_version_uq").on(t.formId, t.version)],
);

export const submission = pgTable(
  "submission",
  {
    // Chosen by the client, so a retry of the same fill can never become a second row.
    id: uuid("id").primaryKey(),
    // Insertion order: breaks ties between rows received in the same instant (one batch).
    seq: bigserial("seq", { mode: "number" }).notNull(),
    formId: ownedBy(uuid("form_id"), () => form.id),
    formVersion: integer("form_version").notNull(),
    answers: jsonb("answers").$type<Record<string, unknown>>().notNull(),
    // The answers' CSV cells as the default export writes them, and the stamp of the columns and
    // rules they were written with (apps/api/src/submissions/stored-cells.ts; decision 0011).
    // Null when they are rendered at export instead; changing `answers` clears them (migration 0007).
    csvCells: text("csv_cells"),
    csvStamp: text("csv_stamp"),
    // The first geopoint answer, for radius filters and maps.
    location: geographyPoint("location"),
    receivedAt: stamp("received_at"),
  },
  (t) => [
    // Lists and exports read a form's rows in (received_at, seq) order, newest or oldest first, with
    // the cursor as an index condition: one index serves every page at any depth and the date
    // filters. Plain ascending columns, so a backward scan matches ORDER BY … DESC (NULLS FIRST).
    index("submission_form_received_seq_idx").on(t.formId, t.receivedAt, t.seq),
    index("submission_location_idx").using("gist", t.location),
    index("submission_answers_idx").using("gin", sql`${t.answers} jsonb_path_ops`),
  ],
);

/**
 * Ids of erased submissions, and nothing else that was in them: a retry of an erased id must not
 * bring the answers back, and must still get its original receipt.
 */
export const submissionTombstone = pgTable(
  "submission_tombstone",
  {
    id: uuid("id").primaryKey(),
    formId: ownedBy(uuid("form_id"), () => form.id),
    receivedAt: instant("received_at").notNull(),
    erasedAt: stamp("erased_at"),
  },
  (t) => [index("submission_tombstone_form_idx").on(t.formId)],
);

/**
 * Per-field tallies of a form's submissions, kept exact by the triggers on `submission` in the
 * statement that changes the rows (migration 0003_data_at_scale): how many submissions answer
 * each field (`kind` answered), how many hold each value of a tracked field (`value`: `type` is the
 * JSON type, `value` its text as `answers->>field` gives it) and each element of a tracked list
 * field (`element`). The summary reads these instead of scanning the submissions.
 */
export const submissionRollup = pgTable(
  "submission_rollup",
  {
    formId: ownedBy(uuid("form_id"), () => form.id),
    fieldId: text("field_id").notNull(),
    kind: text("kind").$type<"answered" | "value" | "element">().notNull(),
    type: text("type").notNull(),
    value: text("value").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  // Any value length: the index holds a digest of the value, not the value.
  (t) => [uniqueIndex("submission_rollup_uq").on(t.formId, t.fieldId, t.kind, t.type, sql`md5(${t.value})`)],
);

/**
 * What each statement that changed `submission` added to its forms' counts (`kind` count) and
 * tallies (the other kinds, as in submission_rollup), appended by the triggers instead of added to
 * shared rows, so concurrent batches for one form never wait for each other. A form's count is
 * `form.submission_count` plus its count deltas, its tallies submission_rollup plus its tally
 * deltas, read in one statement; `submission_rollup_fold(form)` moves them over (migration
 * 0003_data_at_scale).
 */
export const submissionRollupDelta = pgTable(
  "submission_rollup_delta",
  {
    formId: ownedBy(uuid("form_id"), () => form.id),
    fieldId: text("field_id").notNull(),
    kind: text("kind").$type<"count" | "answered" | "value" | "element">().notNull(),
    type: text("type").notNull(),
    value: text("value").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [index("submission_rollup_delta_form_kind_idx").on(t.formId, t.kind)],
);

/**
 * The fields whose values (`kind` value: choices, yes/no, numbers, ratings) or list elements
 * (`element`: multiple choice) a form's rollup tracks: those of that type in any published version.
 * Publishing a version adds its fields (and counts what older rows already hold for them).
 */
export const submissionRollupField = pgTable(
  "submission_rollup_field",
  {
    formId: ownedBy(uuid("form_id"), () => form.id),
    fieldId: text("field_id").notNull(),
    kind: text("kind").$type<"value" | "element">().notNull(),
  },
  (t) => [primaryKey({ columns: [t.formId, t.fieldId, t.kind] })],
);

/** A map cell's key and what it holds; the folded cells and the deltas have the same shape. */
const mapCellColumns = () => ({
  formId: ownedBy(uuid("form_id"), () => form.id),
  level: smallint("level").notNull(),
  cx: integer("cx").notNull(),
  cy: integer("cy").notNull(),
  n: bigint("n", { mode: "number" }).notNull(),
  latSum: doublePrecision("lat_sum").notNull(),
  lonSum: doublePrecision("lon_sum").notNull(),
});

/**
 * The workspace map's clusters, kept exact by statement-level triggers on `submission` (migrations
 * 0005_map_cells, 0006_submission_triggers_one_pass): per form and grid level (a Web Mercator tile
 * grid with 2^level cells a side; the levels are `submission_map_levels()` in SQL), how many
 * located submissions fall in each cell and the sums of their coordinates (a cluster is drawn at
 * their mean). A map view at any zoom adds up at most a few thousand of these rows instead of
 * grouping the submissions. Kept like the counts: the folded cells here, plus the deltas each
 * statement appends (submissionMapCellDelta), moved over by `submission_rollup_fold(form)`; the
 * view `submission_map_cell` adds both up, one row per cell, and is what the map reads.
 */
export const submissionMapCellFolded = pgTable("submission_map_cell_folded", mapCellColumns(), (t) => [
  primaryKey({ columns: [t.formId, t.level, t.cx, t.cy] }),
]);

/** What each statement that changed `submission` added to its forms' map cells (see above). */
export const submissionMapCellDelta = pgTable("submission_map_cell_delta", mapCellColumns(), (t) => [
  index("submission_map_cell_delta_form_level_idx").on(t.formId, t.level),
]);
