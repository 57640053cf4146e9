import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { authHandler } from "./auth/handler";
import { accountRoutes } from "./auth/routes";
import type { AppEnv, Services } from "./context";
import { mountDocs } from "./docs/routes";
import { problemResponse } from "./errors/problem";
import { PublishedFormCache } from "./forms/published-cache";
import { formRoutes } from "./forms/routes";
import { healthRoutes } from "./health/routes";
import { jsonOnly, limitBody } from "./http/body-guards";
import { errorHandler } from "./http/errors";
import { fastJsonBody } from "./http/fast-body";
import { originGuard } from "./http/origin-guard";
import { requestContext } from "./http/request-context";
import { securityHeaders } from "./http/security-headers";
import { rejectUnsafeJsonText, rejectUnsafeUrl } from "./http/text-safety";
import { mountWeb } from "./http/web-static";
import { invitationRoutes } from "./orgs/invitations";
import { organizationRoutes } from "./orgs/routes";
import { publicRoutes } from "./public/routes";
import { statusRoutes } from "./status/routes";
import { submissionRoutes } from "./submissions/routes";
import { SubmissionWriter } from "./submissions/writer";

export const API_VERSION = "0.1.0";

export interface BuiltApp {
  app: OpenAPIHono<AppEnv>;
  writer: SubmissionWriter;
}

export function buildApp(services: Services, isShuttingDown: () => boolean = () => false): BuiltApp {
  const { config } = services;
  const base = config.apiBasePath;
  const app = new OpenAPIHono<AppEnv>();
  const published = new PublishedFormCache(services.database);
  const writer = new SubmissionWriter(services.database, config.env.SUBMISSION_BATCH_MAX);

  app.use("*", requestContext(services));
  app.use("*", securityHeaders(`${config.webBasePath}/f/`));
  app.use("*", rejectUnsafeUrl());
  if (config.env.CORS_ORIGINS.length > 0) {
    app.use(`${base}/*`, cors({ origin: config.env.CORS_ORIGINS, credentials: true, maxAge: 600 }));
  }
  app.use(`${base}/*`, limitBody(config.env.BODY_LIMIT_BYTES));
  app.use(`${base}/*`, jsonOnly());
  app.use(`${base}/*`, originGuard(config.trustedOrigins, `${base}/public/`));
  app.use(`${base}/public/forms/:slug/submissions`, fastJsonBody());
  app.use(`${base}/*`, rejectUnsafeJsonText());

  app.on(["GET", "POST"], `${base}/auth/*`, authHandler(services));

  app.route(base, healthRoutes(services, isShuttingDown));
  if (services.status.settings.mode !== "off") app.route(base, statusRoutes(services));
  app.route(base, accountRoutes(services));
  app.route(base, organizationRoutes(services));
  app.route(base, invitationRoutes(services));
  app.route(base, formRoutes(services, published));
  app.route(base, submissionRoutes(services));
  app.route(base, publicRoutes(services, published, writer));
  mountDocs(app, base, API_VERSION);
  if (config.webDistDir) mountWeb(app, config.webBasePath, config.webDistDir);

  app.notFound((c) => problemResponse(c, 404, "not_found", `No route for ${c.req.method} ${c.req.path}.`));
  app.onError(errorHandler(services));
  return { app, writer };
}
