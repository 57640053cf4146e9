import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { buildApp } from "./app";
import { createAuth } from "./auth/auth";
import { countUsers } from "./auth/queries";
import { createSetupGate } from "./auth/setup-code";
import { openCache } from "./cache";
import { type Config, type EnvInput, type LoadedConfig, loadConfig, withListeningPort } from "./config";
import { isWildcardHost } from "./config/host";
import { prepareStart } from "./config/startup";
import type { Services } from "./context";
import { openDatabase } from "./db/client";
import { runMigrations } from "./db/migrate";
import { ensureRoles } from "./db/roles";
import { createLogger } from "./observability/logger";
import { createMetrics } from "./observability/metrics";
import { checkStatusConfig } from "./status/config";
import { StatusService } from "./status/service";

export interface RunningColeta {
  url: string;
  port: number;
  config: Config;
  services: Services;
  /**
   * The one-time code the first sign-up needs, when the server is reachable from the network and
   * has no owner yet (auth/setup-code.ts); null otherwise. The CLI prints it.
   */
  setupCode: string | null;
  close(): Promise<void>;
}

function isLoadedConfig(source: EnvInput | LoadedConfig): source is LoadedConfig {
  return typeof (source as LoadedConfig).env === "object" && source.env !== null;
}

type HttpServer = ReturnType<typeof serve> & { closeIdleConnections?(): void; closeAllConnections?(): void };

interface HttpTimeouts {
  headersMs: number;
  requestMs: number;
}

function listen(
  fetch: (request: Request, env: unknown) => Response | Promise<Response>,
  port: number,
  hostname: string,
  timeouts: HttpTimeouts,
) {
  return new Promise<{ server: HttpServer; port: number }>((resolve, reject) => {
    const server = serve(
      {
        fetch,
        port,
        hostname,
        serverOptions: {
          // Keep-alive longer than a load balancer's idle timeout (ALB: 60 s), so the balancer, not
          // Node, closes idle connections; otherwise a request can race a closing socket (a 502).
          keepAliveTimeout: 65_000,
          // A client that trickles its headers or body holds a socket; these bound how long.
          headersTimeout: timeouts.headersMs,
          requestTimeout: timeouts.requestMs,
          // How often Node checks those timeouts (its default is 30 s, too coarse for a bound of 15 s).
          connectionsCheckingInterval: Math.min(5_000, Math.max(250, Math.floor(timeouts.headersMs / 3))),
        },
      },
      (info: AddressInfo) => resolve({ server, port: info.port }),
    );
    server.once("error", reject);
  });
}

/**
 * Starts a complete Coleta API: config → database (+ migrations) → cache → HTTP server. The CLI
 * entry (server.ts), the tests and the e2e harness all use it, so they run the same wiring.
 * Takes the environment, or a configuration the caller already loaded (read once per process);
 * start-up's own side effects (development secret, web build lookup) happen here, once.
 */
export async function startColeta(source: EnvInput | LoadedConfig = process.env): Promise<RunningColeta> {
  let config = prepareStart(isLoadedConfig(source) ? source : loadConfig(source));
  checkStatusConfig(config.env);
  const logger = createLogger(config.env.LOG_LEVEL);
  // With administrator credentials (DATABASE_ADMIN_*) the roles must exist before we connect.
  if (config.env.MIGRATE_ON_START && config.database.kind === "postgres") await ensureRoles(config.database);
  const database = await openDatabase(config.database);
  const cache = openCache(config);
  let listening: { server: HttpServer; port: number } | undefined;
  try {
    if (config.env.MIGRATE_ON_START) await runMigrations(database);
    // Bind first so PORT=0 resolves to a real port before auth learns its own origin.
    // The adapter's second argument ({ incoming, outgoing }) must reach the app: the client address,
    // the fast body reader and the export's connection abort all read the Node socket from it.
    let handle: (request: Request, env: unknown) => Response | Promise<Response> = () =>
      new Response("starting", { status: 503, headers: { "Retry-After": "1" } });
    listening = await listen((request, env) => handle(request, env), config.env.PORT, config.env.HOST, {
      headersMs: config.env.HTTP_HEADERS_TIMEOUT_MS,
      requestMs: config.env.HTTP_REQUEST_TIMEOUT_MS,
    });
    config = withListeningPort(config, listening.port);

    const metrics = createMetrics(database);
    const auth = createAuth(config, database, cache);
    const status = new StatusService({ config, database, cache, metrics, logger });
    const services: Services = { config, database, cache, auth, metrics, logger, status };
    let shuttingDown = false;
    const { app, writer, stopBackground } = buildApp(services, () => shuttingDown);
    handle = app.fetch;
    status.start();

    const host = isWildcardHost(config.env.HOST) ? "127.0.0.1" : config.env.HOST;
    const url = `http://${host}:${listening.port}`;
    logger.info(
      { url: `${url}${config.apiBasePath}`, database: database.kind, cache: cache.kind },
      "coleta api listening",
    );

    const { server } = listening;
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        shuttingDown = true;
        // Stop accepting, let in-flight requests finish (bounded), then flush writes and close stores.
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        const deadline = new Promise<void>((resolve) =>
          setTimeout(resolve, config.env.SHUTDOWN_TIMEOUT_MS).unref(),
        );
        server.closeIdleConnections?.();
        await Promise.race([drained, deadline]);
        server.closeAllConnections?.();
        await writer.drain();
        await stopBackground();
        await status.stop();
        await cache.close();
        await database.close();
        logger.info("coleta api stopped");
      })();
      return closing;
    };
    const gate = createSetupGate(config);
    const setupCode = gate.required && (await countUsers(database.db)) === 0 ? gate.code : null;
    return { url, port: listening.port, config, services, setupCode, close };
  } catch (error) {
    listening?.server.close();
    await cache.close().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}
