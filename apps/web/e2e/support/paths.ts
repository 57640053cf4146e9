import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const REPO_ROOT = resolve(WEB_DIR, "..", "..");
/** The built web; COLETA_E2E_WEB_DIST points the harness at another build (with COLETA_E2E_SKIP_BUILD=1). */
export const DIST_DIR = process.env.COLETA_E2E_WEB_DIST
  ? resolve(process.env.COLETA_E2E_WEB_DIST)
  : join(WEB_DIR, "dist");
export const ARTIFACTS_DIR = join(WEB_DIR, "artifacts");
