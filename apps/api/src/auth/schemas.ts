import { ROLES } from "@coleta/permissions";
import { z } from "@hono/zod-openapi";

// Response shapes of the account routes. Kept apart from the routes (no database, no services) so
// the web derives its types from them through "@coleta/api/contracts".

export const SetupSchema = z
  .object({
    needsOwner: z
      .boolean()
      .openapi({ description: "True on an empty install: the next sign-up becomes owner." }),
    signupMode: z.enum(["open", "invite-only", "closed"]),
    setupCodeRequired: z.boolean().openapi({
      description:
        "True when the server is reachable from the network and has no owner yet: the first sign-up must send the setupCode printed in the console.",
    }),
  })
  .openapi("Setup");

export const MeSchema = z
  .object({
    user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
    organizations: z.array(
      z.object({ id: z.string().uuid(), name: z.string(), slug: z.string(), role: z.enum(ROLES) }),
    ),
  })
  .openapi("Me");
