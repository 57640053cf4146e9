import type { DatabaseConfig } from "../config";
import type { Database } from "./types";

// The factory alone: callers import the types from ./types. (The type re-export below keeps
// older importers compiling; it is erased at build time and creates no runtime edge.)
export type { Database, Db, PoolStats } from "./types";

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === "pglite") {
    const { openPglite } = await import("./pglite");
    return openPglite(config.dataDir);
  }
  const { openPostgres } = await import("./postgres");
  return openPostgres(config);
}
