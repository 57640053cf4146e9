import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppError, FieldError } from "./app-error";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId?: string;
  instance?: string;
  errors?: FieldError[];
}

export function problemBody(
  status: number,
  code: string,
  detail: string,
  requestId?: string,
  errors?: FieldError[],
): Problem {
  return {
    type: `https://coleta.dev/problems/${code.replaceAll("_", "-")}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    code,
    ...(requestId ? { requestId } : {}),
    ...(errors?.length ? { errors } : {}),
  };
}

export function problemResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  detail: string,
  errors?: FieldError[],
  headers?: Record<string, string>,
): Response {
  const body = problemBody(status, code, detail, c.get("requestId"), errors);
  return c.body(JSON.stringify(body), status, { ...headers, "Content-Type": PROBLEM_CONTENT_TYPE });
}

export function appErrorResponse(c: Context, error: AppError): Response {
  return problemResponse(c, error.status, error.code, error.message, error.errors, error.headers);
}
