import { ConfigError } from "./config";
import { DataDirLockedError } from "./db/pglite";
import { startColeta } from "./start";

// The process entry: start, then stop cleanly on SIGTERM/SIGINT (containers, Ctrl-C).
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
  if (running.config.webDistDir) {
    console.log(`Coleta is running: ${running.url}${running.config.webBasePath}/  (API: ${running.url}${running.config.apiBasePath})`);
  } else {
    console.log(`Coleta API is running: ${running.url}${running.config.apiBasePath}`);
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    console.error(error.message);
    process.exit(1);
  }
  console.error("Coleta failed to start:", (error as Error).message);
  process.exit(1);
}
