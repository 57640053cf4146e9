import { createHash, timingSafeEqual } from "node:crypto";
import { STATUS_CACHE_SECONDS } from "@coleta/monitoring";
import { z } from "@hono/zod-openapi";
import type { Services } from "../context";
import { problemResponse } from "../errors/problem";
import { createRouter, jsonContent, problems } from "../http/openapi";
import { routeGroup } from "../http/route";
import { pickLocale } from "./messages";
import { StatusSchema } from "./schemas";

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
    routeGroup({ tag: "Operations" }).get("/status", {
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
