import { isAbsolute, resolve } from "node:path";
import { type Env, type EnvInput, parseEnv } from "./env";
import { isWildcardHost } from "./host";

export { ConfigError, type EnvInput } from "./env";
export { isLoopbackHost } from "./host";

export type DatabaseConfig =
  | { kind: "pglite"; dataDir: string }
  | {
      kind: "postgres";
      connectionString?: string;
      host?: string;
      port: number;
      database: string;
      user?: string;
      password?: string;
      poolSize: number;
      /** serverName: the name the certificate must carry when it differs from the host we dial. */
      ssl: { mode: "disable" | "require" | "verify-full"; caFile?: string; serverName?: string };
      /**
       * Role bootstrap, run before anything else by a process given administrator credentials (the
       * migration task): the process's own user becomes the migrator (DDL), appUser the app (DML).
       */
      roles?: { adminUser: string; adminPassword?: string; appUser: string; appPassword?: string };
    };

export type RedisConfig = { url?: string; host?: string; port: number; password?: string; tls: boolean };

/**
 * What the environment says, read once and validated, without touching the disk. Start-up
 * (prepareStart in ./startup) fills in what needs the disk: the development secret and the web build.
 */
export interface LoadedConfig {
  env: Env;
  production: boolean;
  baseUrl: string;
  apiBasePath: string;
  webBasePath: string;
  /** WEB_DIST_DIR when set; otherwise start-up looks for apps/web/dist. */
  webDistDir: string | null;
  dataDir: string;
  database: DatabaseConfig;
  redis: RedisConfig | null;
  /** AUTH_SECRET when set; otherwise start-up reads (or writes once) the development secret. */
  authSecret: string | null;
  trustedOrigins: string[];
}

/** The configuration a running process uses: every value resolved. */
export interface Config extends LoadedConfig {
  authSecret: string;
}

// Relative paths are taken from where the user ran npm (INIT_CWD), not the workspace folder npm
// switches into, so `./.coleta/data` lands in the repository root as the README says.
function fromInvocationDir(path: string, input: EnvInput): string {
  return isAbsolute(path) ? path : resolve(input.INIT_CWD ?? process.cwd(), path);
}

/**
 * Without PUBLIC_URL the app is wherever it listens locally: both spellings of loopback are ours.
 * Called once the real port is known (PORT=0 picks a free one).
 */
export function withListeningPort(config: Config, port: number): Config {
  if (config.env.PUBLIC_URL) return config;
  const wildcard = isWildcardHost(config.env.HOST);
  const baseUrl = `http://${wildcard ? "localhost" : config.env.HOST}:${port}`;
  const loopback = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  const extra = config.env.TRUSTED_ORIGINS.map((o) => new URL(o).origin);
  return { ...config, baseUrl, trustedOrigins: [...new Set([baseUrl, ...loopback, ...extra])] };
}

export function loadConfig(input: EnvInput = process.env): LoadedConfig {
  const env = parseEnv(input);
  const dataDir = fromInvocationDir(env.DATA_DIR, input);
  const baseUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT || 3000}`;
  const usesPostgres = Boolean(env.DATABASE_URL || env.DATABASE_HOST);
  const database: DatabaseConfig = usesPostgres
    ? {
        kind: "postgres",
        connectionString: env.DATABASE_URL,
        host: env.DATABASE_HOST,
        port: env.DATABASE_PORT,
        database: env.DATABASE_NAME,
        user: env.DATABASE_USER,
        password: env.DATABASE_PASSWORD,
        poolSize: env.DATABASE_POOL_SIZE,
        ssl: {
          mode: env.DATABASE_SSL_MODE,
          caFile: env.DATABASE_SSL_CA_FILE && fromInvocationDir(env.DATABASE_SSL_CA_FILE, input),
          serverName: env.DATABASE_SSL_SERVERNAME,
        },
        ...(env.DATABASE_ADMIN_USER && env.DATABASE_APP_USER
          ? {
              roles: {
                adminUser: env.DATABASE_ADMIN_USER,
                adminPassword: env.DATABASE_ADMIN_PASSWORD,
                appUser: env.DATABASE_APP_USER,
                appPassword: env.DATABASE_APP_PASSWORD,
              },
            }
          : {}),
      }
    : { kind: "pglite", dataDir: resolve(dataDir, "pglite") };
  const redis: RedisConfig | null =
    env.REDIS_URL || env.REDIS_HOST
      ? {
          url: env.REDIS_URL,
          host: env.REDIS_HOST,
          port: env.REDIS_PORT,
          password: env.REDIS_PASSWORD,
          tls: env.REDIS_TLS,
        }
      : null;
  return {
    env,
    production: env.NODE_ENV === "production",
    baseUrl,
    apiBasePath: env.API_BASE_PATH,
    webBasePath: env.WEB_BASE_PATH,
    webDistDir: env.WEB_DIST_DIR ? fromInvocationDir(env.WEB_DIST_DIR, input) : null,
    dataDir,
    database,
    redis,
    authSecret: env.AUTH_SECRET ?? null,
    trustedOrigins: [new URL(baseUrl).origin, ...env.TRUSTED_ORIGINS.map((o) => new URL(o).origin)],
  };
}
