import { z } from "@hono/zod-openapi";

// Response shapes of the submission routes. Kept apart from the routes (no database, no services)
// so the web derives its types from them through "@coleta/api/contracts".

export const SubmissionSchema = z
  .object({
    id: z.string().uuid(),
    formVersion: z.number().int(),
    answers: z.record(z.string(), z.unknown()),
    receivedAt: z.string(),
  })
  .openapi("Submission");

export const SubmissionPageSchema = z.object({
  items: z.array(SubmissionSchema),
  nextCursor: z.string().nullable(),
});

export const FieldSummarySchema = z.object({
  fieldId: z.string(),
  type: z.string(),
  answered: z.number().int(),
  counts: z.record(z.string(), z.number()).optional(),
  stats: z.object({ min: z.number(), max: z.number(), mean: z.number() }).optional(),
  histogram: z.record(z.string(), z.number()).optional(),
  points: z.array(z.object({ lat: z.number(), lon: z.number() })).optional(),
});

export const SummarySchema = z
  .object({ total: z.number().int(), fields: z.array(FieldSummarySchema) })
  .openapi("Summary");

export const MapClusterSchema = z.object({
  lat: z.number(),
  lon: z.number(),
  count: z.number().int(),
});

export const MapPointSchema = z.object({ id: z.string().uuid(), lat: z.number(), lon: z.number() });

export const SubmissionMapSchema = z
  .object({
    zoom: z.number().int(),
    /** How many located submissions (matching the filters) are in the view. */
    total: z.number().int(),
    /** Groups of nearby submissions, drawn at their mean position (`points` is then empty). */
    clusters: z.array(MapClusterSchema),
    /** Every submission in the view, when there are few enough to draw one by one. */
    points: z.array(MapPointSchema),
  })
  .openapi("SubmissionMap");
