import { COMPONENT_IDS } from "@coleta/monitoring";
import { z } from "@hono/zod-openapi";

// The status board's answer, one schema for three readers: the route validates and documents it,
// the service's document() is typed by it, and the board page reads it through
// "@coleta/api/contracts" (type only). No services here, so the contract pulls nothing in.

const LevelSchema = z.enum(["ok", "degraded", "down"]);
const ComponentIdSchema = z.enum(COMPONENT_IDS);
const TeamSchema = z.object({
  id: z.string().openapi({ example: "backend" }),
  name: z.string().openapi({ example: "Backend team" }),
  contact: z.string().nullable().openapi({ example: "backend-oncall@example.org · +55 11 5555-0100" }),
});

export const StatusSchema = z
  .object({
    status: LevelSchema.openapi({ description: "The worst level of any component." }),
    updatedAt: z.string().openapi({ description: "When this evaluation was made (ISO 8601)." }),
    lang: z.enum(["en", "pt-BR"]),
    timeZone: z.string().openapi({ example: "America/Sao_Paulo" }),
    scope: z.enum(["all-replicas", "this-replica"]).openapi({
      description:
        "all-replicas: numbers summed over every API replica through Redis; this-replica: only the replica that answered (no Redis, or Redis unreachable).",
    }),
    replicas: z.number().int(),
    windowSeconds: z.number().int(),
    components: z.array(
      z.object({
        id: ComponentIdSchema,
        name: z.string().openapi({ example: "Receiving answers" }),
        status: LevelSchema,
        message: z.string().openapi({
          example: "Respondents cannot send answers since 14:05 — call the backend team: +55 11 5555-0100",
        }),
        since: z.string().openapi({ description: "When the current status began (ISO 8601)." }),
        reason: z
          .enum(["errors", "latency", "rate_limited", "dependency", "check_failed", "check_slow"])
          .nullable(),
        cause: ComponentIdSchema.nullable().openapi({
          description: "The dependency that causes this status.",
        }),
        team: TeamSchema.openapi({ description: "The team that owns the component." }),
        call: TeamSchema.nullable().openapi({ description: "Whom to call now (null when ok)." }),
        runbook: z.string().openapi({ description: "URL of the component's runbook." }),
        signals: z.object({
          requests: z.number().int().optional(),
          errors: z.number().int().optional(),
          rateLimited: z.number().int().optional(),
          p95Ms: z.number().nullable().optional(),
          latencyMs: z.number().nullable().optional(),
        }),
      }),
    ),
    timeline: z.array(
      z.object({
        component: ComponentIdSchema,
        name: z.string(),
        from: LevelSchema,
        to: LevelSchema,
        at: z.string(),
      }),
    ),
  })
  .openapi("Status");

/** GET /status, as the API sends it. */
export type StatusDocument = z.output<typeof StatusSchema>;
/** A team as the board names it: the component's owner (`team`) or whom to call now (`call`). */
export type TeamDocument = StatusDocument["components"][number]["team"];
