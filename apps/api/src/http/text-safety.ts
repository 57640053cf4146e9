import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import type { FieldError } from "../errors/app-error";
import { problemResponse } from "../errors/problem";

// PostgreSQL text and jsonb cannot hold U+0000, and a lone UTF-16 surrogate cannot be encoded as
// UTF-8 at all: either one reaching a query fails the whole statement (and, batched, every row in
// it). Coleta refuses such text at the edge instead of silently rewriting what people typed.

const NUL = "\u0000";
// Without the u flag a regex sees UTF-16 code units: a high surrogate not followed by a low one,
// or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored, or null when it can. */
export function unsafeTextReason(text: string): "nul" | "lone_surrogate" | null {
  if (text.includes(NUL)) return "nul";
  if (LONE_SURROGATE.test(text)) return "lone_surrogate";
  return null;
}

const MESSAGES = {
  nul: "Contains a NUL character (U+0000), which cannot be stored.",
  lone_surrogate: "Contains an unpaired UTF-16 surrogate, which is not valid text.",
} as const;

/** The first unsafe string (or object key) in a parsed JSON value, with its dotted path. */
export function findUnsafeText(value: unknown, path = ""): FieldError | null {
  // An explicit stack rather than recursion: a hostile body may nest deeply.
  const stack: Array<[unknown, string]> = [[value, path]];
  while (stack.length > 0) {
    const [current, at] = stack.pop() as [unknown, string];
    if (typeof current === "string") {
      const reason = unsafeTextReason(current);
      if (reason) return { path: at || "(body)", code: "invalid_text", message: MESSAGES[reason] };
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], at ? `${at}.${i}` : String(i)]);
    } else if (current !== null && typeof current === "object") {
      for (const [key, item] of Object.entries(current)) {
        const keyReason = unsafeTextReason(key);
        const child = at ? `${at}.${key}` : key;
        if (keyReason) {
          return { path: at || "(body)", code: "invalid_text", message: MESSAGES[keyReason] };
        }
        stack.push([item, child]);
      }
    }
  }
  return null;
}

// In JSON text both can only arrive as \u escapes (raw control characters are invalid JSON, and
// invalid UTF-8 decodes to U+FFFD), so a body without "\u" needs no second look.
const MAY_HOLD_ESCAPES = "\\u";

/**
 * Refuses JSON bodies holding text that cannot be stored: 422 naming the field. Runs after the
 * body-size and content-type guards, so the text read here is bounded; parse errors are left to
 * the route's validator (which answers 400 malformed_json).
 */
export function rejectUnsafeJsonText(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
    const type = c.req.header("content-type") ?? "";
    if (!/json/i.test(type)) return next();
    const text = await c.req.text();
    if (!text.includes(MAY_HOLD_ESCAPES)) return next();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return next();
    }
    const problem = findUnsafeText(parsed);
    if (problem) {
      return problemResponse(c, 422, "validation_failed", "Some values contain text that cannot be stored.", [
        problem,
      ]);
    }
    await next();
  };
}

function decodes(component: string): boolean {
  try {
    return unsafeTextReason(decodeURIComponent(component)) === null;
  } catch {
    return false;
  }
}

/**
 * Refuses URLs whose path or query does not decode to storable text (malformed percent-encoding,
 * %00, encoded lone surrogates) with 400, for every route — API and static web alike — so no
 * handler ever sees them.
 */
export function rejectUnsafeUrl(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = c.req.url;
    const start = url.indexOf("/", url.indexOf("//") + 2);
    const pathAndQuery = start < 0 ? "/" : url.slice(start);
    if (pathAndQuery.includes("%") || pathAndQuery.includes(NUL)) {
      const [path = "", query = ""] = pathAndQuery.split(/\?(.*)/s, 2);
      const parts = [path, ...query.split(/[&=]/)].map((p) => p.replaceAll("+", " "));
      if (!parts.every(decodes)) {
        return problemResponse(
          c,
          400,
          "malformed_url",
          "The address contains characters that are not valid (bad percent-encoding or a NUL).",
        );
      }
    }
    await next();
  };
}
