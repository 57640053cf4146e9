import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv, Services } from "../context";
import { AppError } from "../errors/app-error";
import { problemFromDatabaseError, sqlState } from "../errors/database-errors";
import { appErrorResponse, problemResponse } from "../errors/problem";

// The code only: driver messages can quote the offending value, which may be personal data.
function describe(error: unknown): string {
  const { code, name } = error as { code?: unknown; name?: unknown };
  return String(sqlState(error) ?? code ?? name ?? "unknown").slice(0, 40);
}

/** Expected failures become their problem+json; anything else is logged and answered as a bare 500. */
export function errorHandler(services: Services) {
  return (error: Error, c: Context<AppEnv>): Response => {
    if (error instanceof AppError) return appErrorResponse(c, error);
    if (error instanceof HTTPException) {
      const status = error.status;
      if (status === 400 && /json/i.test(error.message)) {
        return problemResponse(c, 400, "malformed_json", "The request body is not valid JSON.");
      }
      if (status === 413)
        return problemResponse(c, 413, "payload_too_large", "The request body is too large.");
      return problemResponse(c, status, "http_error", error.message || "Request failed.");
    }
    const mapped = problemFromDatabaseError(error);
    if (mapped) {
      // Expected classes of failure: one line, no stack (a client error must not flood the logs).
      services.logger.warn(
        { requestId: c.get("requestId"), status: mapped.status, reason: describe(error) },
        "request failed in the database",
      );
      return appErrorResponse(c, mapped);
    }
    services.logger.error(
      {
        requestId: c.get("requestId"),
        err: { type: error.name, message: error.message, stack: error.stack },
      },
      "unexpected error",
    );
    return problemResponse(
      c,
      500,
      "internal_error",
      "Something went wrong on our side. If it keeps happening, contact support with the request id.",
    );
  };
}
