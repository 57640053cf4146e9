import { buildApp } from "../app";
import { createAuth } from "../auth/auth";
import { openCache } from "../cache";
import { type Config, type EnvInput, loadConfig } from "../config";
import type { Services } from "../context";
import { openDatabase } from "../db/client";
import { sqlState } from "../errors/database-errors";
import { createLogger } from "../observability/logger";
import { createMetrics } from "../observability/metrics";
import { checkStatusConfig } from "../status/config";
import { StatusService } from "../status/service";

/** The variable holding the X-Origin-Verify value (see handler.ts). */
export const ORIGIN_VERIFY_ENV = "ORIGIN_VERIFY_HEADER_VALUE";

export interface LambdaServices {
  services: Services;
  fetch: (request: Request, env: unknown) => Response | Promise<Response>;
  /** Everything the invocation started is finished: queued writes stored, status counts pushed. */
  settle(): Promise<void>;
  /** True when the database refuses our password (it was rotated): read the secrets again. */
  credentialsRejected(): Promise<boolean>;
  close(): Promise<void>;
  /** The value CloudFront's X-Origin-Verify header must carry, when one is configured. */
  originVerify: Buffer | null;
}

/**
 * The configuration as the server reads it, minus what needs a writable disk of its own: the
 * development secret (every execution environment would invent another) and the embedded database
 * (environments come and go). The web app is served by CloudFront from S3, never by the function.
 */
export function lambdaConfig(env: EnvInput): Config {
  const loaded = loadConfig(env);
  if (loaded.database.kind !== "postgres") {
    throw new Error("Invalid configuration: DATABASE_URL or DATABASE_HOST: required on Lambda");
  }
  if (!loaded.authSecret) throw new Error("Invalid configuration: AUTH_SECRET: required on Lambda");
  return { ...loaded, authSecret: loaded.authSecret, webDistDir: null };
}

/**
 * The same wiring as startColeta (src/start.ts) minus the HTTP server, the migrations and the
 * background timers: one execution environment serves one request at a time and is frozen between
 * invocations, so nothing may be left to run "later".
 */
export async function openLambdaServices(env: EnvInput): Promise<LambdaServices> {
  const config = lambdaConfig(env);
  checkStatusConfig(config.env);
  const logger = createLogger(config.env.LOG_LEVEL);
  const database = await openDatabase(config.database);
  const cache = openCache(config);
  const metrics = createMetrics(database);
  const auth = createAuth(config, database, cache);
  // Never started: its prober and flush timer would fire in a frozen sandbox. Counts are pushed
  // at the end of each invocation (settle) instead, and the board probes when it is asked.
  const status = new StatusService({ config, database, cache, metrics, logger });
  const services: Services = { config, database, cache, auth, metrics, logger, status };
  const { app, writer } = buildApp(services);
  const originVerify = env[ORIGIN_VERIFY_ENV];
  return {
    services,
    originVerify: originVerify ? Buffer.from(originVerify) : null,
    fetch: app.fetch,
    async settle() {
      await writer.drain();
      await status.flush().catch((error) => logger.warn({ err: error }, "status flush failed"));
    },
    async credentialsRejected() {
      try {
        await database.ping();
        return false;
      } catch (error) {
        return sqlState(error) === "28P01";
      }
    },
    async close() {
      await writer.drain();
      await status.stop();
      await cache.close();
      await database.close();
    },
  };
}
