// The API's request and response types for its clients (the web workspace), inferred from the zod
// schemas the routes validate and document with, so a change to a route breaks the client's
// typecheck. Exported as "@coleta/api/contracts". Only schema modules are imported here (no
// database, no services): a client imports this with `import type` and nothing reaches its bundle.
import type { z } from "@hono/zod-openapi";
import type { MeSchema, SetupSchema } from "./auth/schemas";
import type {
  CreateFormInput,
  FormSchema,
  FormStatusSchema,
  FormSummarySchema,
  UpdateFormInput,
} from "./forms/schemas";
import type {
  CreatedInvitationSchema,
  InvitationInput,
  InvitationPreviewSchema,
  InvitationSchema,
  MemberSchema,
  OrganizationInput,
  OrganizationSchema,
  RoleSchema,
} from "./orgs/schemas";
import type { StatusSchema } from "./status/schemas";
import type {
  FieldSummarySchema,
  SubmissionMapSchema,
  SubmissionPageSchema,
  SubmissionSchema,
  SummarySchema,
} from "./submissions/schemas";

// Responses: what the API sends (z.output).
export type Setup = z.output<typeof SetupSchema>;
export type Me = z.output<typeof MeSchema>;
export type Role = z.output<typeof RoleSchema>;
export type Organization = z.output<typeof OrganizationSchema>;
export type Member = z.output<typeof MemberSchema>;
export type Invitation = z.output<typeof InvitationSchema>;
export type CreatedInvitation = z.output<typeof CreatedInvitationSchema>;
export type InvitationPreview = z.output<typeof InvitationPreviewSchema>;
export type FormStatus = z.output<typeof FormStatusSchema>;
export type FormSummary = z.output<typeof FormSummarySchema>;
/** `draft` and `published` are opaque here; @coleta/forms defines the definition's shape. */
export type Form = z.output<typeof FormSchema>;
export type Submission = z.output<typeof SubmissionSchema>;
export type SubmissionPage = z.output<typeof SubmissionPageSchema>;
export type FieldSummary = z.output<typeof FieldSummarySchema>;
export type Summary = z.output<typeof SummarySchema>;
export type SubmissionMap = z.output<typeof SubmissionMapSchema>;
/** The status board (GET /status). */
export type Status = z.output<typeof StatusSchema>;

// Requests: what a client may send (z.input, before trimming and defaults).
export type OrganizationBody = z.input<typeof OrganizationInput>;
export type InvitationBody = z.input<typeof InvitationInput>;
export type CreateFormBody = z.input<typeof CreateFormInput>;
export type UpdateFormBody = z.input<typeof UpdateFormInput>;
