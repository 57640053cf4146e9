import { form, organization } from "../db/schema";
import { AppError } from "./app-error";

// The one mapping from database failures to problems, applied by the error handler to whatever a
// handler lets escape. Services check the rules they can check before writing (last owner, …) and
// let the database enforce the rest (unique slugs); a violation of a known constraint becomes its
// precise problem here, anything else still gets the right class of status instead of a 500.

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

/** The constraint a violation names (pg and PGlite both report it), also through Drizzle's wrapper. */
export function violatedConstraint(error: unknown): string | null {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const constraint = (current as { constraint?: unknown }).constraint;
    if (typeof constraint === "string") return constraint;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
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

// Unique constraints whose violation is an expected, precise conflict. The names come from the
// Drizzle schema (the same names the migrations create), so renaming a column cannot go unnoticed.
const UNIQUE_CONFLICTS = new Map<string | undefined, () => AppError>([
  [
    form.slug.uniqueName,
    () =>
      AppError.conflict("slug_taken", "This link name is already used by another form.", [
        { path: "slug", code: "slug_taken", message: "Already used by another form; choose another." },
      ]),
  ],
  [
    // The slug is the name plus a random suffix: two equal draws are rare, and a retry draws again.
    organization.slug.uniqueName,
    () =>
      AppError.conflict(
        "organization_slug_taken",
        "Another organization got the same link name at the same moment. Please try again.",
      ),
  ],
]);

export function problemFromDatabaseError(error: unknown): AppError | null {
  if (isConnectionError(error)) return unavailable();
  const state = sqlState(error);
  if (!state) return null;
  if (state.startsWith("22")) {
    return AppError.badRequest("A value in the request is out of range or not valid.");
  }
  if (state === "23505") {
    const precise = UNIQUE_CONFLICTS.get(violatedConstraint(error) ?? undefined);
    return precise ? precise() : AppError.conflict("conflict", "This already exists.");
  }
  if (state === "23503") {
    return AppError.conflict("conflict", "This refers to something that no longer exists.");
  }
  // Serialization failures and deadlocks resolve on a retry; statement timeouts mean overload.
  if (state === "40001" || state === "40P01" || state === "57014" || state === "55P03") {
    return unavailable();
  }
  return null;
}
