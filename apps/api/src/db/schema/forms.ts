import type { FormDefinition } from "@coleta/forms";
import { sql } from "drizzle-orm";
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { user } from "./auth";
import { geographyPoint } from "./geography";
import { organization } from "./orgs";

export type FormStatus = "draft" | "published" | "closed";

export const form = pgTable(
  "form",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    draft: jsonb("draft").$type<FormDefinition>().notNull(),
    status: text("status").$type<FormStatus>().notNull().default("draft"),
    publishedVersion: integer("published_version"),
    draftUpdatedAt: timestamp("draft_updated_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("form_org_idx").on(t.organizationId)],
);

export const formVersion = pgTable(
  "form_version",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    formId: uuid("form_id")
      .notNull()
      .references(() => form.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    definition: jsonb("definition").$type<FormDefinition>().notNull(),
    publishedBy: text("published_by").references(() => user.id, { onDelete: "set null" }),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("form_version_form_version_uq").on(t.formId, t.version)],
);

export const submission = pgTable(
  "submission",
  {
    // Chosen by the client, so a retry of the same fill can never become a second row.
    id: uuid("id").primaryKey(),
    // Insertion order: a stable keyset for pagination and streaming export.
    seq: bigserial("seq", { mode: "number" }).notNull(),
    formId: uuid("form_id")
      .notNull()
      .references(() => form.id, { onDelete: "cascade" }),
    formVersion: integer("form_version").notNull(),
    answers: jsonb("answers").$type<Record<string, unknown>>().notNull(),
    // The first geopoint answer, for radius filters and maps.
    location: geographyPoint("location"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("submission_form_seq_idx").on(t.formId, t.seq.desc()),
    index("submission_form_received_idx").on(t.formId, t.receivedAt),
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
    formId: uuid("form_id")
      .notNull()
      .references(() => form.id, { onDelete: "cascade" }),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    erasedAt: timestamp("erased_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("submission_tombstone_form_idx").on(t.formId)],
);
