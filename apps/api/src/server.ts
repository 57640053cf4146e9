import cluster from "node:cluster";
import { ConfigError, loadConfig } from "./config";
import { DataDirLockedError } from "./db/pglite";
import { startColeta } from "./start";

// The process entry. With API_WORKERS > 1 a primary forks that many API processes sharing the port
// (node:cluster), restarts any that crash, and passes SIGTERM/SIGINT on; containers normally keep
// the default of 1 and scale by adding tasks instead.

function fail(error: unknown): never {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) console.error(error.message);
  else console.error("Coleta failed to start:", (error as Error).message);
  process.exit(1);
}

async function runWorker(announce: boolean) {
  try {
    const running = await startColeta(process.env);
    let signals = 0;
    const stop = (signal: string) => {
      signals++;
      if (signals > 1) process.exit(1);
      running.services.logger.info({ signal }, "shutting down");
      running.close().then(
        () => process.exit(0),
        (error) => {
          running.services.logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
    if (announce) {
      // The address people open (PUBLIC_URL, or localhost:PORT), not the loopback the tests use.
      const { config } = running;
      const url = config.baseUrl;
      console.log(
        config.webDistDir
          ? `Coleta is running: ${url}${config.webBasePath}/  (API: ${url}${config.apiBasePath})`
          : `Coleta API is running: ${url}${config.apiBasePath}`,
      );
    }
  } catch (error) {
    fail(error);
  }
}

function runPrimary(workers: number) {
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (worker, code) => {
    if (!stopping && code !== 0) {
      console.error(`API worker ${worker.process.pid} exited with ${code}; starting another`);
      setTimeout(() => cluster.fork(), 1000);
    }
    if (stopping && Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

let workers = 1;
try {
  workers = loadConfig(process.env).env.API_WORKERS;
} catch (error) {
  fail(error);
}
if (workers > 1 && cluster.isPrimary) runPrimary(workers);
else await runWorker(!cluster.isWorker || cluster.worker?.id === 1);
