import { AppError } from "./app-error";

// The one mapping from database failures to problems. Route code turns the failures it expects
// into precise errors first (slug taken, last owner…); what reaches this mapping is a safety net
// that still answers with the right class of status instead of a 500.

const SQLSTATE = /^[0-9A-Z]{5}$/;
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
const CONNECTION_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|connection (?:is )?closed|Client has encountered a connection error|terminating connection/i;

/** The SQLSTATE of a driver error (pg, PGlite), also when wrapped by Drizzle as `cause`. */
export function sqlState(error: unknown): string | null {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && SQLSTATE.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** True when the failure is about reaching the database, not about the statement. */
export function isConnectionError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
    if (typeof message === "string" && CONNECTION_MESSAGES.test(message)) return true;
    // 08xxx connection exception, 57P0x admin/crash shutdown, 53xxx insufficient resources.
    if (typeof code === "string" && /^(08|57P0|53)/.test(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Data exceptions (class 22): the statement failed because of a value, i.e. the input. */
export function isDataError(error: unknown): boolean {
  return sqlState(error)?.startsWith("22") ?? false;
}

const unavailable = () =>
  new AppError(
    503,
    "service_unavailable",
    "The service is temporarily unavailable. Please try again in a moment.",
    undefined,
    { "Retry-After": "5" },
  );

export function problemFromDatabaseError(error: unknown): AppError | null {
  if (isConnectionError(error)) return unavailable();
  const state = sqlState(error);
  if (!state) return null;
  if (state.startsWith("22")) {
    return AppError.badRequest("A value in the request is out of range or not valid.");
  }
  if (state === "23505") return AppError.conflict("conflict", "This already exists.");
  if (state === "23503") {
    return AppError.conflict("conflict", "This refers to something that no longer exists.");
  }
  // Serialization failures and deadlocks resolve on a retry; statement timeouts mean overload.
  if (state === "40001" || state === "40P01" || state === "57014" || state === "55P03") {
    return unavailable();
  }
  return null;
}
