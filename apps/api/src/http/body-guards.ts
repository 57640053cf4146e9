import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../context";
import { problemResponse } from "../errors/problem";

const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

// Header reads only: touching c.req.raw.body would make @hono/node-server build a full fetch
// Request (with an AbortSignal) for every request, which costs more than the whole handler.
function hasBody(header: (name: string) => string | undefined): boolean {
  const length = header("content-length");
  return (length !== undefined && length !== "0") || header("transfer-encoding") !== undefined;
}

/** The API speaks JSON only: any other request body is refused with 415 before parsing. */
export function jsonOnly(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (METHODS_WITH_BODY.has(c.req.method) && hasBody((name) => c.req.header(name))) {
      const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
      if (type !== "application/json" && !type.endsWith("+json")) {
        return problemResponse(
          c,
          415,
          "unsupported_media_type",
          "Send the request body as application/json.",
        );
      }
    }
    await next();
  };
}

export function limitBody(maxSize: number): MiddlewareHandler<AppEnv> {
  const tooLarge = (c: Context<AppEnv>) =>
    problemResponse(c, 413, "payload_too_large", `The request body is larger than ${maxSize} bytes.`);
  const limit = bodyLimit({ maxSize, onError: tooLarge });
  // Declared lengths are checked from the header alone; only chunked bodies (no Content-Length) go
  // through Hono's limiter, which counts bytes as they stream in.
  return async (c, next) => {
    if (!METHODS_WITH_BODY.has(c.req.method)) return next();
    const chunked = c.req.header("transfer-encoding") !== undefined;
    const length = c.req.header("content-length");
    if (length !== undefined && !chunked) return Number(length) > maxSize ? tooLarge(c) : next();
    return chunked ? limit(c, next) : next();
  };
}
