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
import { openPublicForm } from "./public/public-form";
import { publicRoutes } from "./public/routes";
import { statusRoutes } from "./status/routes";
import { submissionRoutes } from "./submissions/routes";
import { SubmissionWriter } from "./submissions/writer";
import {
  createUploadService,
  exceptUploads,
  startUploadSweep,
  type UploadService,
  uploadRoutes,
} from "./uploads";

export const API_VERSION = "0.1.0";

export interface BuiltApp {
  app: OpenAPIHono<AppEnv>;
  writer: SubmissionWriter;
  uploads: UploadService;
  /** Stops background work started here (the sweep of expired uploads); start.ts calls it on close. */
  stopBackground(): Promise<void>;
}

export function buildApp(services: Services, isShuttingDown: () => boolean = () => false): BuiltApp {
  const { config } = services;
  const base = config.apiBasePath;
  const app = new OpenAPIHono<AppEnv>();
  const published = new PublishedFormCache(services.database);
  const writer = new SubmissionWriter(services.database, config.env.SUBMISSION_BATCH_MAX);
  const uploads = createUploadService(services);

  app.use("*", requestContext(services));
  app.use("*", securityHeaders(`${config.webBasePath}/f/`));
  app.use("*", rejectUnsafeUrl());
  if (config.env.CORS_ORIGINS.length > 0) {
    app.use(`${base}/*`, cors({ origin: config.env.CORS_ORIGINS, credentials: true, maxAge: 600 }));
  }
  app.use(`${base}/*`, exceptUploads(limitBody(config.env.BODY_LIMIT_BYTES)));
  app.use(`${base}/*`, exceptUploads(jsonOnly()));
  app.use(`${base}/*`, originGuard(config.trustedOrigins, `${base}/public/`));
  app.use(`${base}/public/forms/:slug/submissions`, fastJsonBody());
  app.use(`${base}/*`, exceptUploads(rejectUnsafeJsonText()));

  app.on(["GET", "POST"], `${base}/auth/*`, authHandler(services));

  app.route(base, healthRoutes(services, isShuttingDown));
  if (services.status.settings.mode !== "off") app.route(base, statusRoutes(services));
  app.route(base, accountRoutes(services));
  app.route(base, organizationRoutes(services));
  app.route(base, invitationRoutes(services));
  app.route(base, formRoutes(services, published));
  // Before the submission routes: /submissions/export.zip must not be taken for a submission id.
  app.route(base, uploadRoutes(services, published, uploads));
  app.route(
    base,
    submissionRoutes(services, (id) => uploads.eraseSubmission(id)),
  );
  app.route(base, publicRoutes(services, published, writer, uploads));
  mountDocs(app, base, API_VERSION);
  if (config.webDistDir) {
    mountWeb(app, config.webBasePath, config.webDistDir, (slug) => openPublicForm(published, slug));
  }

  app.notFound((c) => problemResponse(c, 404, "not_found", `No route for ${c.req.method} ${c.req.path}.`));
  app.onError(errorHandler(services));
  const stopBackground = startUploadSweep(services, uploads);
  return { app, writer, uploads, stopBackground };
}
