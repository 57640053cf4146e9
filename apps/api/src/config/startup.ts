import { randomBytes } from "node:crypto";
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config, LoadedConfig } from "./index";

// The start-up side of the configuration: what needs the disk. loadConfig only reads the
// environment; startColeta calls prepareStart once, before anything else uses the config.

function defaultWebDist(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  // Works from src/config (tsx) and from dist (the bundle): both sit under apps/api.
  for (const candidate of [resolve(here, "../../../web/dist"), resolve(here, "../../web/dist")]) {
    if (existsSync(resolve(candidate, "index.html"))) return candidate;
  }
  return null;
}

/**
 * A development secret is generated once and kept beside the data so sessions survive restarts.
 * Written to a private file and then hard-linked into place, which fails if the file exists: processes
 * starting together agree on the first one, and nobody reads a half-written file.
 */
function developmentSecret(dataDir: string): string {
  const file = resolve(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(draft, randomBytes(32).toString("base64url"), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  return readFileSync(file, "utf8").trim();
}

/** Resolves what the environment left open: the auth secret and where the built web app is. */
export function prepareStart(loaded: LoadedConfig): Config {
  return {
    ...loaded,
    authSecret: loaded.authSecret ?? developmentSecret(loaded.dataDir),
    webDistDir: loaded.webDistDir ?? defaultWebDist(),
  };
}
