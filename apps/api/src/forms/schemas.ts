import { TEXT_MAX_LENGTHS } from "@coleta/forms";
import { z } from "@hono/zod-openapi";

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$/;

export const FormStatusSchema = z.enum(["draft", "published", "closed"]).openapi("FormStatus");
export const DefinitionSchema = z
  .record(z.string(), z.unknown())
  .openapi("FormDefinition", { description: "A form definition; see docs/forms.md for the full format." });

export const FormSummarySchema = z
  .object({
    id: z.string().uuid(),
    slug: z.string(),
    title: z.string(),
    status: FormStatusSchema,
    submissionCount: z.number().int(),
    publishedVersion: z.number().int().nullable(),
    hasUnpublishedChanges: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("FormSummary");

export const FormSchema = FormSummarySchema.extend({
  draft: DefinitionSchema,
  published: DefinitionSchema.nullable(),
}).openapi("Form");

const slug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    SLUG_PATTERN,
    "Use 3–64 lowercase letters, digits and dashes, starting and ending with a letter or digit.",
  );

/** The form's name in lists; as long as a definition's title may be (@coleta/forms). */
const title = z.string().trim().min(1).max(TEXT_MAX_LENGTHS.formTitle);

export const CreateFormInput = z
  .object({
    title,
    slug: slug.optional(),
    definition: z.unknown().optional(),
  })
  .openapi("CreateFormInput");
export const UpdateFormInput = z
  .object({
    title: title.optional(),
    slug: slug.optional(),
    draft: z.unknown().optional(),
  })
  .openapi("UpdateFormInput");
