import pino, { type Logger } from "pino";

/**
 * JSON logs. Request bodies are never logged (they hold respondents' answers), and the redact list
 * catches credentials if an error object ever carries them.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "coleta-api" },
    redact: {
      paths: [
        "*.password",
        "*.authorization",
        "*.cookie",
        "*.headers.cookie",
        "*.headers.authorization",
        "*.token",
        "*.secret",
        "*.connectionString",
      ],
      censor: "[redacted]",
    },
  });
}
