import cluster from "node:cluster";
import { ConfigError, type LoadedConfig, loadConfig } from "./config";
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

async function runWorker(loaded: LoadedConfig, announce: boolean) {
  try {
    const running = await startColeta(loaded);
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
      if (running.setupCode) {
        console.log(
          `This server is reachable from the network (HOST=${config.env.HOST}) and has no owner yet.\n` +
            `To create the owner account, enter this one-time setup code on the sign-up page: ${running.setupCode}`,
        );
      }
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

// Read and validated once per process; a bad value stops here with one line naming the variable.
let loaded: LoadedConfig;
try {
  loaded = loadConfig(process.env);
} catch (error) {
  fail(error);
}
const workers = loaded.env.API_WORKERS;
if (workers > 1 && cluster.isPrimary) runPrimary(workers);
else await runWorker(loaded, !cluster.isWorker || cluster.worker?.id === 1);
