import { createHash, timingSafeEqual } from "node:crypto";
import { COMPONENT_IDS, STATUS_CACHE_SECONDS } from "@coleta/monitoring";
import { createRoute, z } from "@hono/zod-openapi";
import type { Services } from "../context";
import { problemResponse } from "../errors/problem";
import { createRouter, jsonContent, problems } from "../http/openapi";
import { pickLocale } from "./messages";

const LevelSchema = z.enum(["ok", "degraded", "down"]);
const ComponentIdSchema = z.enum(COMPONENT_IDS);
const TeamSchema = z.object({
  id: z.string().openapi({ example: "backend" }),
  name: z.string().openapi({ example: "Backend team" }),
  contact: z.string().nullable().openapi({ example: "backend-oncall@example.org · +55 11 5555-0100" }),
});

const StatusSchema = z
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

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokenMatches(given: string | undefined | null, expected: string): boolean {
  if (!given) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? "");
  return match?.[1]?.trim() ?? null;
}

/** GET /status. Mounted only when STATUS_BOARD is not "off" (then the path is an ordinary 404). */
export function statusRoutes(services: Services) {
  const router = createRouter();
  const { status } = services;
  const { mode, token } = status.settings;

  router.openapi(
    createRoute({
      method: "get",
      path: "/status",
      tags: ["Operations"],
      summary: "The status board: every component's light, in plain words, with whom to call",
      description:
        "No sign-in. With STATUS_BOARD=token, send `Authorization: Bearer <STATUS_TOKEN>` (or `?token=`). Names and messages follow `?lang=` or Accept-Language (English by default).",
      request: {
        query: z.object({
          lang: z.string().max(35).optional().openapi({ example: "pt-BR" }),
          token: z.string().max(500).optional(),
        }),
      },
      responses: { 200: jsonContent(StatusSchema, "The board"), ...problems(401) },
    }),
    async (c) => {
      const query = c.req.valid("query");
      if (mode === "token") {
        const given = bearer(c.req.header("authorization")) ?? query.token;
        if (!tokenMatches(given, token ?? "")) {
          return problemResponse(
            c,
            401,
            "status_token_required",
            "This status board needs its token: send Authorization: Bearer <token> or ?token=<token>.",
            undefined,
            { "WWW-Authenticate": 'Bearer realm="status"', "Cache-Control": "no-store" },
          ) as never;
        }
      }
      const locale = pickLocale(query.lang, c.req.header("accept-language"));
      const snapshot = await status.snapshot();
      // A token-protected board must not sit in shared caches.
      c.header(
        "Cache-Control",
        `${mode === "token" ? "private" : "public"}, max-age=${STATUS_CACHE_SECONDS}`,
      );
      c.header("Vary", "Accept-Language, Authorization");
      return c.json(status.document(snapshot, locale), 200);
    },
  );

  return router;
}
