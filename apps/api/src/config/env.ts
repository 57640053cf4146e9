import { z } from "zod";
import { DEFAULT_API_BASE_PATH, DEFAULT_WEB_BASE_PATH } from "./base-paths";

// Every setting the API reads, in one place. docs/configuration.md documents each variable; keep
// the two in step (a test checks that every key here appears there).

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");
const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: `expected a whole number between ${min} and ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { message: `expected at least ${min}` })
        .max(max, { message: `expected at most ${max}` }),
    );
const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}` },
  );
/** A comma-separated list (blanks around entries and empty entries ignored); unset is empty. */
const commaList = z
  .string()
  .default("")
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
const basePath = z.string().regex(/^\/[a-z0-9/_-]*[a-z0-9_-]$/i, {
  message: "expected a path like /backend (leading slash, no trailing slash)",
});

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // Loopback by default: a fresh install on a laptop is not reachable from the network until HOST
  // says so (and then the first sign-up needs the setup code printed at start, see auth/setup-code.ts).
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: int(0, 65535).default(3000),
  PUBLIC_URL: url(["http:", "https:"]).optional(),
  API_BASE_PATH: basePath.default(DEFAULT_API_BASE_PATH),
  WEB_BASE_PATH: basePath.default(DEFAULT_WEB_BASE_PATH),
  WEB_DIST_DIR: z.string().optional(),
  DATA_DIR: z.string().min(1).default("./.coleta/data"),

  DATABASE_URL: url(["postgres:", "postgresql:"]).optional(),
  DATABASE_HOST: z.string().optional(),
  DATABASE_PORT: int(1, 65535).default(5432),
  DATABASE_NAME: z.string().default("coleta"),
  DATABASE_USER: z.string().optional(),
  DATABASE_PASSWORD: z.string().optional(),
  DATABASE_POOL_SIZE: int(1, 500).default(20),
  DATABASE_SSL_MODE: z.enum(["disable", "require", "verify-full"]).default("disable"),
  DATABASE_SSL_CA_FILE: z.string().optional(),
  // verify-full against the name on the server's certificate when DATABASE_HOST is another name
  // for the same server (db.internal.<domain> → the RDS endpoint), and the role bootstrap that the
  // migration task runs as the administrator (docs/configuration.md, "Database roles").
  DATABASE_SSL_SERVERNAME: z
    .string()
    .regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i, {
      message: "expected a host name like mydb.abc123.us-east-1.rds.amazonaws.com",
    })
    .optional(),
  DATABASE_ADMIN_USER: z.string().optional(),
  DATABASE_ADMIN_PASSWORD: z.string().optional(),
  DATABASE_APP_USER: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, {
      message: "expected a role name of lower-case letters, digits and _ (like coleta_app)",
    })
    .optional(),
  DATABASE_APP_PASSWORD: z.string().optional(),
  MIGRATE_ON_START: bool.default(true),

  REDIS_URL: url(["redis:", "rediss:"]).optional(),
  REDIS_HOST: z.string().optional(),
  REDIS_PORT: int(1, 65535).default(6379),
  REDIS_PASSWORD: z.string().optional(),
  REDIS_TLS: bool.default(false),
  REDIS_KEY_PREFIX: z.string().default("coleta:"),

  AUTH_SECRET: z.string().min(32, { message: "expected at least 32 characters" }).optional(),
  SIGNUP_MODE: z.enum(["open", "invite-only", "closed"]).default("open"),
  TRUSTED_ORIGINS: commaList.pipe(z.array(url(["http:", "https:"]))),
  CORS_ORIGINS: commaList,
  TRUST_PROXY_HOPS: int(0, 10).default(0),
  AUTH_RATE_LIMIT_ENABLED: bool.optional(),
  AUTH_RATE_LIMIT_PER_MINUTE: int(1, 100_000).default(30),
  AUTH_FAILED_SIGNIN_LIMIT_PER_ACCOUNT_AND_IP: int(1, 10_000).default(10),
  AUTH_FAILED_SIGNIN_LIMIT_PER_ACCOUNT: int(1, 100_000).default(50),

  BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: int(1, 10_000_000).default(60),
  RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_FORM: int(1, 100_000_000).default(6000),
  SUBMISSION_BATCH_MAX: int(1, 5000).default(200),
  EXPORT_MAX_CONCURRENT: int(1, 100).default(2),
  EXPORT_MAX_CONCURRENT_PER_ORG: int(1, 100).default(1),
  HTTP_HEADERS_TIMEOUT_MS: int(1_000, 600_000).default(15_000),
  HTTP_REQUEST_TIMEOUT_MS: int(1_000, 3_600_000).default(60_000),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  API_WORKERS: int(1, 64).default(1),
  // Status board (docs/monitoring.md): who may see it, whom it tells people to call, where runbooks are.
  STATUS_BOARD: z.enum(["public", "token", "off"]).default("public"),
  STATUS_TOKEN: z.string().min(16, { message: "expected at least 16 characters" }).optional(),
  STATUS_TIMEZONE: z
    .string()
    .refine(
      (v) => {
        try {
          new Intl.DateTimeFormat("en", { timeZone: v });
          return true;
        } catch {
          return false;
        }
      },
      { message: "expected an IANA time zone like America/Sao_Paulo" },
    )
    .default("America/Sao_Paulo"),
  STATUS_PROBE_INTERVAL_MS: int(500, 300_000).default(10_000),
  RUNBOOK_BASE_URL: url(["http:", "https:"]).optional(),
  TEAM_FRONTEND_NAME: z.string().max(80).optional(),
  TEAM_FRONTEND_CONTACT: z.string().max(200).optional(),
  TEAM_BACKEND_NAME: z.string().max(80).optional(),
  TEAM_BACKEND_CONTACT: z.string().max(200).optional(),
  TEAM_PLATFORM_NAME: z.string().max(80).optional(),
  TEAM_PLATFORM_CONTACT: z.string().max(200).optional(),
  // Invitation e-mail (apps/api/src/mail). Without SMTP_HOST invitations are printed to the console.
  SMTP_HOST: z
    .string()
    .regex(/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/i, { message: "expected a host name like smtp.example.org" })
    .optional(),
  SMTP_PORT: int(1, 65535).default(587),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z
    .string()
    .max(320)
    .regex(/^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
      message: 'expected an address like coleta@example.org or "Coleta <coleta@example.org>"',
    })
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // File uploads (docs/api.md, "Uploads"): on disk under DATA_DIR/uploads, or in an S3 bucket.
  UPLOAD_STORAGE: z.enum(["local", "s3"]).default("local"),
  UPLOAD_MAX_BYTES: int(1024, 5 * 1024 * 1024 * 1024).default(25 * 1024 * 1024),
  UPLOAD_TTL_HOURS: int(1, 24 * 365).default(24 * 7),
  UPLOAD_SWEEP_INTERVAL_MS: int(0, 86_400_000).default(600_000),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ENDPOINT: url(["http:", "https:"]).optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
});

export type Env = z.infer<typeof envSchema>;
export type EnvInput = Record<string, string | undefined>;

export class ConfigError extends Error {}

/**
 * Parses the environment. Empty strings count as unset, so `FOO=` in a .env file means "default".
 * The thrown message is one line naming the first bad variable and what it expects.
 */
export function parseEnv(input: EnvInput): Env {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = input[key];
    if (value !== undefined && value !== "") cleaned[key] = value;
  }
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    throw new ConfigError(`Invalid configuration: ${name}: ${issue?.message ?? "invalid value"}`);
  }
  const env = result.data;
  if (env.NODE_ENV === "production" && !env.AUTH_SECRET) {
    throw new ConfigError(
      "Invalid configuration: AUTH_SECRET: required in production (at least 32 characters)",
    );
  }
  if (env.DATABASE_HOST && !env.DATABASE_USER) {
    throw new ConfigError("Invalid configuration: DATABASE_USER: required when DATABASE_HOST is set");
  }
  if (env.API_WORKERS > 1 && !env.DATABASE_URL && !env.DATABASE_HOST) {
    throw new ConfigError(
      "Invalid configuration: API_WORKERS: more than 1 needs a real database (DATABASE_URL); the embedded one serves one process",
    );
  }
  if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      "Invalid configuration: HTTP_HEADERS_TIMEOUT_MS: must not be larger than HTTP_REQUEST_TIMEOUT_MS",
    );
  }
  if (env.DATABASE_SSL_MODE === "verify-full" && !env.DATABASE_SSL_CA_FILE) {
    throw new ConfigError(
      "Invalid configuration: DATABASE_SSL_CA_FILE: required when DATABASE_SSL_MODE is verify-full",
    );
  }
  if (env.UPLOAD_STORAGE === "s3" && !env.S3_BUCKET) {
    throw new ConfigError("Invalid configuration: S3_BUCKET: required when UPLOAD_STORAGE is s3");
  }
  checkDatabaseRoles(env);
  checkSmtp(env);
  return env;
}

/** SMTP settings come together: a server needs a sender, credentials come in pairs. */
function checkSmtp(env: Env): void {
  const fail = (name: string, message: string): never => {
    throw new ConfigError(`Invalid configuration: ${name}: ${message}`);
  };
  if (!env.SMTP_HOST) {
    for (const name of ["SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM"] as const) {
      if (env[name]) fail(name, "only used with SMTP_HOST");
    }
    return;
  }
  if (!env.SMTP_FROM) fail("SMTP_FROM", "required when SMTP_HOST is set");
  if (Boolean(env.SMTP_USER) !== Boolean(env.SMTP_PASSWORD)) {
    fail(env.SMTP_USER ? "SMTP_PASSWORD" : "SMTP_USER", "SMTP_USER and SMTP_PASSWORD go together");
  }
}

/** The server-name override and the role bootstrap only make sense in a few combinations. */
function checkDatabaseRoles(env: Env): void {
  const fail = (name: string, message: string): never => {
    throw new ConfigError(`Invalid configuration: ${name}: ${message}`);
  };
  if (env.DATABASE_SSL_SERVERNAME && env.DATABASE_SSL_MODE !== "verify-full") {
    fail("DATABASE_SSL_SERVERNAME", "only used with DATABASE_SSL_MODE=verify-full");
  }
  if (!env.DATABASE_ADMIN_USER) {
    for (const name of ["DATABASE_ADMIN_PASSWORD", "DATABASE_APP_USER", "DATABASE_APP_PASSWORD"] as const) {
      if (env[name]) fail(name, "only used with DATABASE_ADMIN_USER (the role bootstrap)");
    }
    return;
  }
  if (!env.DATABASE_URL && !env.DATABASE_HOST) {
    fail("DATABASE_ADMIN_USER", "needs a PostgreSQL server (DATABASE_URL or DATABASE_HOST)");
  }
  if (!env.DATABASE_APP_USER) fail("DATABASE_APP_USER", "required when DATABASE_ADMIN_USER is set");
  // The process itself connects as the migrator (DATABASE_USER, or the user in DATABASE_URL).
  const migrator =
    env.DATABASE_USER ?? (env.DATABASE_URL ? decodeURIComponent(new URL(env.DATABASE_URL).username) : "");
  if (!migrator) fail("DATABASE_USER", "required when DATABASE_ADMIN_USER is set (the migrator role)");
  if (env.DATABASE_ADMIN_USER === migrator) {
    fail("DATABASE_ADMIN_USER", "must differ from DATABASE_USER (the migrator role)");
  }
  if (env.DATABASE_APP_USER === migrator || env.DATABASE_APP_USER === env.DATABASE_ADMIN_USER) {
    fail("DATABASE_APP_USER", "must differ from DATABASE_USER and DATABASE_ADMIN_USER");
  }
}
