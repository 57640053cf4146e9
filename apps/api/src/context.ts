import type { Logger } from "pino";
import type { Auth } from "./auth/auth";
import type { Cache } from "./cache";
import type { Config } from "./config";
import type { Role } from "./db/schema";
import type { Database } from "./db/types";
import type { Metrics } from "./observability/metrics";
import type { StatusService } from "./status/service";

/** Everything a request handler may need, built once at start and passed down explicitly. */
export interface Services {
  config: Config;
  database: Database;
  cache: Cache;
  auth: Auth;
  metrics: Metrics;
  logger: Logger;
  /** The status board (apps/api/src/status): request signals, dependency prober, timeline. */
  status: StatusService;
}

export interface SessionUser {
  id: string;
  name: string;
  email: string;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    user: SessionUser | null;
    role: Role | null;
  };
};

/** Behind `requireUser`: the caller is signed in, so `c.get("user")` is never null. */
export type SignedInEnv = {
  Variables: AppEnv["Variables"] & { user: SessionUser };
};

/** Behind `requireRole`: the caller is also a member of `{orgId}`, with `c.get("role")`. */
export type MemberEnv = {
  Variables: SignedInEnv["Variables"] & { role: Role };
};
