import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, envSchema, parseEnv } from "./env";

const fail = (env: Record<string, string>) => {
  try {
    parseEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a configuration error");
};

describe("configuration", () => {
  it("has working defaults for a laptop", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      API_BASE_PATH: "/backend",
      SIGNUP_MODE: "open",
      BODY_LIMIT_BYTES: 1048576,
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("names the variable and what it expects in one line", () => {
    expect(fail({ PORT: "abc" })).toBe(
      "Invalid configuration: PORT: expected a whole number between 0 and 65535",
    );
    expect(fail({ DATABASE_URL: "mysql://x" })).toMatch(
      /^Invalid configuration: DATABASE_URL: expected a URL starting with postgres:/,
    );
    expect(fail({ AUTH_SECRET: "short" })).toBe(
      "Invalid configuration: AUTH_SECRET: expected at least 32 characters",
    );
    expect(fail({ NODE_ENV: "production" })).toMatch(
      /^Invalid configuration: AUTH_SECRET: required in production/,
    );
    expect(fail({ DATABASE_SSL_MODE: "verify-full", DATABASE_URL: "postgres://h/db" })).toMatch(
      /DATABASE_SSL_CA_FILE/,
    );
    expect(fail({ API_BASE_PATH: "backend/" })).toMatch(/^Invalid configuration: API_BASE_PATH: /);
    expect(fail({ SIGNUP_MODE: "maybe" })).toMatch(/^Invalid configuration: SIGNUP_MODE: /);
    for (const message of [fail({ PORT: "abc" }), fail({ NODE_ENV: "production" })])
      expect(message).not.toContain("\n");
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ PORT: "", REDIS_URL: "" }).PORT).toBe(3000);
  });

  it("documents every variable in docs/configuration.md", () => {
    const doc = readFileSync(
      fileURLToPath(new URL("../../../../docs/configuration.md", import.meta.url)),
      "utf8",
    );
    const missing = Object.keys(envSchema.shape).filter((key) => !doc.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });

  it("stops the process with exit code 1 and one line on a bad value", () => {
    const server = fileURLToPath(new URL("../server.ts", import.meta.url));
    const result = spawnSync(process.execPath, ["--import", "tsx", server], {
      env: { PATH: process.env.PATH, PORT: "70000" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe("Invalid configuration: PORT: expected at most 65535");
  });
});

describe("SMTP configuration", () => {
  it("is optional, and then invitations are printed", () => {
    expect(parseEnv({}).SMTP_HOST).toBeUndefined();
  });

  it("names the variable that is wrong or missing", () => {
    expect(fail({ SMTP_HOST: "smtp.example.org" })).toBe(
      "Invalid configuration: SMTP_FROM: required when SMTP_HOST is set",
    );
    expect(fail({ SMTP_HOST: "smtp.example.org", SMTP_FROM: "not an address" })).toMatch(
      /^Invalid configuration: SMTP_FROM: expected an address/,
    );
    expect(fail({ SMTP_HOST: "smtp.example.org", SMTP_FROM: "a@b.org", SMTP_PORT: "99999" })).toMatch(
      /^Invalid configuration: SMTP_PORT: /,
    );
    expect(fail({ SMTP_HOST: "smtp.example.org", SMTP_FROM: "a@b.org", SMTP_USER: "u" })).toMatch(
      /^Invalid configuration: SMTP_PASSWORD: /,
    );
    expect(fail({ SMTP_USER: "u" })).toBe("Invalid configuration: SMTP_USER: only used with SMTP_HOST");
    expect(fail({ SMTP_HOST: "smtp example" })).toMatch(/^Invalid configuration: SMTP_HOST: /);
  });

  it("accepts a complete setting", () => {
    const env = parseEnv({
      SMTP_HOST: "smtp.example.org",
      SMTP_PORT: "465",
      SMTP_SECURE: "true",
      SMTP_USER: "u",
      SMTP_PASSWORD: "p",
      SMTP_FROM: "Coleta <coleta@example.org>",
    });
    expect(env).toMatchObject({
      SMTP_PORT: 465,
      SMTP_SECURE: true,
      SMTP_FROM: "Coleta <coleta@example.org>",
    });
  });
});

describe("HOST", () => {
  it("defaults to loopback, so a fresh install is not reachable from the network", () => {
    expect(parseEnv({}).HOST).toBe("127.0.0.1");
  });
});
