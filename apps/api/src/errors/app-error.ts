import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface FieldError {
  path: string;
  message: string;
  code?: string;
  params?: Record<string, string | number>;
}

/**
 * The one type for expected failures: a stable code, an HTTP status and a message safe to show a
 * user. Anything else that escapes a handler is unexpected and answered as a bare 500.
 */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  static badRequest(message: string, errors?: FieldError[]) {
    return new AppError(400, "bad_request", message, errors);
  }
  static validation(errors: FieldError[], message = "Some values are not valid.") {
    return new AppError(422, "validation_failed", message, errors);
  }
  static unauthorized(message = "Sign in to continue.") {
    return new AppError(401, "unauthorized", message);
  }
  static forbidden(message = "You do not have permission to do this.") {
    return new AppError(403, "forbidden", message);
  }
  static notFound(message = "Not found.") {
    return new AppError(404, "not_found", message);
  }
  static conflict(code: string, message: string, errors?: FieldError[]) {
    return new AppError(409, code, message, errors);
  }
}
