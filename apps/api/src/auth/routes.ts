import type { Services } from "../context";
import { createRouter, jsonContent } from "../http/openapi";
import { routeGroup } from "../http/route";
import { signedInRoutes } from "../orgs/member-route";
import { organizationsOf } from "../orgs/queries";
import { countUsers } from "./queries";
import { MeSchema, SetupSchema } from "./schemas";
import { createSetupGate } from "./setup-code";

export function accountRoutes(services: Services) {
  const router = createRouter();
  const setupGate = createSetupGate(services.config);
  const route = routeGroup({ tag: "Account" });
  const signedInRoute = signedInRoutes(services, "Account");

  router.openapi(
    route.get("/setup", {
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
    signedInRoute.get("/me", {
      summary: "The signed-in user and their organizations",
      responses: { 200: jsonContent(MeSchema, "The signed-in user") },
    }),
    async (c) => {
      const me = c.get("user");
      const organizations = await organizationsOf(services.database.db, me.id);
      return c.json({ user: me, organizations }, 200);
    },
  );

  return router;
}
