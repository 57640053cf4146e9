import { resolve } from "node:path";
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Services } from "../context";
import { LocalStorage } from "./local-storage";
import { type S3Settings, S3Storage } from "./s3-storage";
import { UploadService } from "./service";
import type { UploadStorage } from "./storage";

export { uploadRoutes } from "./routes";
export { referencedUploadIds, UploadService } from "./service";

/** The storage the configuration asks for: DATA_DIR/uploads, or the S3 bucket. */
export function createUploadStorage(
  services: Services,
  s3Overrides: Partial<S3Settings> = {},
): UploadStorage {
  const { env, dataDir } = services.config;
  if (env.UPLOAD_STORAGE === "s3") {
    return new S3Storage({
      bucket: env.S3_BUCKET as string,
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      ...s3Overrides,
    });
  }
  return new LocalStorage(resolve(dataDir, "uploads"));
}

export function createUploadService(
  services: Services,
  storage = createUploadStorage(services),
): UploadService {
  return new UploadService(services.database, storage, {
    maxBytes: services.config.env.UPLOAD_MAX_BYTES,
    ttlHours: services.config.env.UPLOAD_TTL_HOURS,
  });
}

/**
 * Runs the sweep of expired uploads every UPLOAD_SWEEP_INTERVAL_MS (0: never). Every replica runs
 * it; they may delete the same object twice, which is harmless. Returns the stop function.
 */
export function startUploadSweep(services: Services, uploads: UploadService): () => Promise<void> {
  const interval = services.config.env.UPLOAD_SWEEP_INTERVAL_MS;
  if (interval === 0) return async () => {};
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = uploads
      .sweep()
      .then((n) => n > 0 && services.logger.info({ deleted: n }, "expired uploads deleted"))
      .catch((error) => services.logger.warn({ err: error }, "upload sweep failed"));
  }, interval);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

const UPLOAD_PATH = /\/public\/forms\/[^/]+\/uploads$/;

/**
 * The JSON-only and body-size guards of the rest of the API, skipped for file uploads: their body
 * is the file, and its limit comes from the form (413 from the upload route itself).
 */
export function exceptUploads(guard: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return (c, next) => (c.req.method === "POST" && UPLOAD_PATH.test(c.req.path) ? next() : guard(c, next));
}
