import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
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
import { mountWeb } from "./http/web-static";
import { invitationRoutes } from "./orgs/invitations";
import { organizationRoutes } from "./orgs/routes";
import { publicRoutes } from "./public/routes";
import { submissionRoutes } from "./submissions/routes";
import { SubmissionWriter } from "./submissions/writer";

export const API_VERSION = "0.1.0";

export interface BuiltApp {
  app: OpenAPIHono<AppEnv>;
  writer: SubmissionWriter;
}

async function authHandler(services: Services, request: Request): Promise<Response> {
  const response = await services.auth.handler(request);
  // Better-Auth answers errors as {code, message}; turn them into the problem+json every other route uses.
  if (response.status >= 400 && response.headers.get("content-type")?.includes("application/json")) {
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as { code?: string; message?: string } | null;
    const headers = new Headers(response.headers);
    headers.set("Content-Type", "application/problem+json");
    const status = response.status;
    return new Response(
      JSON.stringify({
        type: `https://coleta.dev/problems/${(body?.code ?? "auth-error").toLowerCase().replaceAll("_", "-")}`,
        title: response.statusText || "Authentication error",
        status,
        detail: body?.message ?? "Authentication failed.",
        code: (body?.code ?? "auth_error").toLowerCase(),
      }),
      { status, headers },
    );
  }
  return response;
}

export function buildApp(services: Services, isShuttingDown: () => boolean = () => false): BuiltApp {
  const { config } = services;
  const base = config.apiBasePath;
  const app = new OpenAPIHono<AppEnv>();
  const published = new PublishedFormCache(services.database);
  const writer = new SubmissionWriter(services.database, config.env.SUBMISSION_BATCH_MAX);

  app.use("*", requestContext(services));
  app.use("*", securityHeaders(`${config.webBasePath}/f/`));
  if (config.env.CORS_ORIGINS.length > 0) {
    app.use(`${base}/*`, cors({ origin: config.env.CORS_ORIGINS, credentials: true, maxAge: 600 }));
  }
  app.use(`${base}/*`, limitBody(config.env.BODY_LIMIT_BYTES));
  app.use(`${base}/*`, jsonOnly());
  app.use(`${base}/*`, originGuard(config.trustedOrigins, `${base}/public/`));
  app.use(`${base}/public/forms/:slug/submissions`, fastJsonBody());

  app.on(["GET", "POST"], `${base}/auth/*`, (c) => authHandler(services, c.req.raw));

  app.route(base, healthRoutes(services, isShuttingDown));
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
