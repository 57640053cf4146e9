import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv, Services } from "../context";
import { setEarlyHeader } from "./early-headers";

const VALID_INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Request id, access log line and HTTP metrics for every request. An incoming X-Request-Id (from
 * the load balancer or a client) is kept when it looks sane so one id follows a request end to end.
 */
export function requestContext(services: Services): MiddlewareHandler<AppEnv> {
  const { logger, metrics } = services;
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && VALID_INCOMING_ID.test(incoming) ? incoming : randomUUID();
    c.set("requestId", requestId);
    // Set before the handler: headers added to a finished response force a costly rebuild of it.
    setEarlyHeader(c, "X-Request-Id", requestId);
    c.set("user", null);
    c.set("role", null);
    const started = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      // The route pattern, not the URL: bounded label values, and no slugs or ids in metrics.
      const route = c.res.status === 404 && routePath(c) === "*" ? "unmatched" : routePath(c);
      const labels = { method: c.req.method, route, status: String(c.res.status) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      services.status.record(c.req.method, route, c.res.status, seconds * 1000);
      logger.info(
        {
          requestId,
          method: c.req.method,
          route,
          status: c.res.status,
          durationMs: Math.round(seconds * 1000),
        },
        "request",
      );
    }
  };
}
