import { z } from "@hono/zod-openapi";
import type { Services } from "../context";
import { createRouter, jsonContent } from "../http/openapi";
import { routeGroup } from "../http/route";

const CheckSchema = z.object({
  status: z.enum(["ok", "fail"]),
  latencyMs: z.number().optional(),
  error: z.string().optional(),
});
const ReadySchema = z
  .object({ status: z.enum(["ok", "fail"]), checks: z.record(z.string(), CheckSchema) })
  .openapi("Readiness");

async function check(fn: () => Promise<void>, timeoutMs = 2000) {
  const started = performance.now();
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), timeoutMs).unref()),
    ]);
    return { status: "ok" as const, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // Only the kind of failure: connection strings and hosts stay out of public responses.
    return {
      status: "fail" as const,
      error: (error as Error).message === "timed out" ? "timeout" : "unavailable",
    };
  }
}

export function healthRoutes(services: Services, isShuttingDown: () => boolean) {
  const router = createRouter();
  const route = routeGroup({ tag: "Operations" });

  router.openapi(
    route.get("/health/live", {
      summary: "Liveness: the process is running",
      responses: { 200: jsonContent(z.object({ status: z.literal("ok") }), "Alive") },
    }),
    (c) => c.json({ status: "ok" as const }, 200),
  );

  router.openapi(
    route.get("/health/ready", {
      summary: "Readiness: the database (and Redis, when configured) answer",
      responses: { 200: jsonContent(ReadySchema, "Ready"), 503: jsonContent(ReadySchema, "Not ready") },
    }),
    async (c) => {
      const checks: Record<string, z.infer<typeof CheckSchema>> = {
        database: await check(() => services.database.ping()),
      };
      if (services.cache.kind === "redis") checks.redis = await check(() => services.cache.ping());
      if (isShuttingDown()) checks.shutdown = { status: "fail", error: "shutting down" };
      const ok = Object.values(checks).every((r) => r.status === "ok");
      c.header("Cache-Control", "no-store");
      return ok
        ? c.json({ status: "ok" as const, checks }, 200)
        : c.json({ status: "fail" as const, checks }, 503);
    },
  );

  router.get("/metrics", async (c) => {
    c.header("Content-Type", services.metrics.registry.contentType);
    return c.body(await services.metrics.registry.metrics());
  });

  return router;
}
