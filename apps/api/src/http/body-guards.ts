import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../context";
import { problemResponse } from "../errors/problem";

const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function hasBody(headers: Headers): boolean {
  const length = headers.get("content-length");
  return (length !== null && length !== "0") || headers.has("transfer-encoding");
}

/** The API speaks JSON only: any other request body is refused with 415 before parsing. */
export function jsonOnly(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (METHODS_WITH_BODY.has(c.req.method) && hasBody(c.req.raw.headers)) {
      const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
      if (type !== "application/json" && !type.endsWith("+json")) {
        return problemResponse(c, 415, "unsupported_media_type", "Send the request body as application/json.");
      }
    }
    await next();
  };
}

export function limitBody(maxSize: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      problemResponse(c, 413, "payload_too_large", `The request body is larger than ${maxSize} bytes.`),
  });
}
