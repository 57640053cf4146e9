import { createRoute } from "@hono/zod-openapi";
import type { Services } from "../context";
import { createRouter, jsonContent, problems } from "../http/openapi";
import { requireUser } from "../orgs/permissions";
import { organizationsOf } from "../orgs/queries";
import { countUsers } from "./queries";
import { MeSchema, SetupSchema } from "./schemas";
import { createSetupGate } from "./setup-code";

export function accountRoutes(services: Services) {
  const router = createRouter();
  const setupGate = createSetupGate(services.config);

  router.openapi(
    createRoute({
      method: "get",
      path: "/setup",
      tags: ["Account"],
      summary: "Install state for the first-run screen",
      responses: { 200: jsonContent(SetupSchema, "Install state") },
    }),
    async (c) => {
      const needsOwner = (await countUsers(services.database.db)) === 0;
      return c.json(
        {
          needsOwner,
          signupMode: services.config.env.SIGNUP_MODE,
          setupCodeRequired: needsOwner && setupGate.required,
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/me",
      tags: ["Account"],
      summary: "The signed-in user and their organizations",
      middleware: [requireUser(services)] as const,
      responses: { 200: jsonContent(MeSchema, "The signed-in user"), ...problems(401) },
    }),
    async (c) => {
      const me = c.get("user");
      const organizations = await organizationsOf(services.database.db, me.id);
      return c.json({ user: me, organizations }, 200);
    },
  );

  return router;
}
