import { createHash } from "node:crypto";
import { isIP } from "node:net";
import type { Context } from "hono";
import type { AppEnv, Services } from "../context";
import { AppError, type FieldError } from "../errors/app-error";
import { appErrorResponse } from "../errors/problem";
import { clientIp } from "../http/client-ip";
import { CLIENT_IP_HEADER } from "./client-ip-header";

const NAME_MAX_LENGTH = 100;
const EMAIL_MAX_LENGTH = 254;

// Failed passwords are counted per account from one address (a person mistyping) and per account
// from everywhere (a distributed guess), each in a fixed window.
const FAILED_PER_ACCOUNT_AND_IP_WINDOW_SECONDS = 15 * 60;
const FAILED_PER_ACCOUNT_WINDOW_SECONDS = 60 * 60;

const accountKey = (email: string, ip?: string) =>
  `authfail:${createHash("sha256")
    .update(`${email.trim().toLowerCase()}|${ip ?? "*"}`)
    .digest("base64url")}`;

/** Better-Auth's own fields get the same bounds and per-field errors as every other route. */
function checkIdentityFields(body: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const { name, email } = body;
  if (
    name !== undefined &&
    (typeof name !== "string" || name.trim().length === 0 || name.length > NAME_MAX_LENGTH)
  ) {
    errors.push({ path: "name", code: "invalid_name", message: `Use 1 to ${NAME_MAX_LENGTH} characters.` });
  }
  if (email !== undefined && (typeof email !== "string" || email.length > EMAIL_MAX_LENGTH)) {
    errors.push({ path: "email", code: "invalid_email", message: "Enter a valid e-mail address." });
  }
  return errors;
}

function toProblem(response: Response, body: { code?: string; message?: string } | null): Response {
  // Better-Auth answers errors as {code, message}; turn them into the problem+json every other route uses.
  const headers = new Headers(response.headers);
  headers.set("Content-Type", "application/problem+json");
  const status = response.status;
  return new Response(
    JSON.stringify({
      type: `https://coleta.dev/problems/${(body?.code ?? "auth-error").toLowerCase().replaceAll("_", "-")}`,
      title: response.statusText || "Authentication error",
      status,
      detail: body?.message ?? "Authentication failed.",
      code: (body?.code ?? "auth_error").toLowerCase(),
      // The one auth error that belongs to a form field the web shows (the first-owner setup code).
      ...(body?.code === "SETUP_CODE_INVALID"
        ? { errors: [{ path: "setupCode", code: "setup_code_invalid", message: body.message }] }
        : {}),
    }),
    { status, headers },
  );
}

/**
 * The gateway to Better-Auth: passes the client address (the same one rate limits use elsewhere)
 * so its limits are per client, bounds identity fields, throttles failed passwords per account,
 * and answers errors as problem+json.
 */
export function authHandler(services: Services) {
  const { cache, config } = services;
  const limits = {
    perAccountAndIp: config.env.AUTH_FAILED_SIGNIN_LIMIT_PER_ACCOUNT_AND_IP,
    perAccount: config.env.AUTH_FAILED_SIGNIN_LIMIT_PER_ACCOUNT,
  };
  return async (c: Context<AppEnv>): Promise<Response> => {
    const raw = c.req.raw;
    const ip = clientIp(c, config.env.TRUST_PROXY_HOPS);
    const headers = new Headers(raw.headers);
    headers.delete(CLIENT_IP_HEADER);
    if (isIP(ip.replace(/^::ffff:/, ""))) headers.set(CLIENT_IP_HEADER, ip.replace(/^::ffff:/, ""));
    const hasBody = raw.method !== "GET" && raw.method !== "HEAD";
    const text = hasBody ? await c.req.text() : undefined;

    let signInEmail: string | null = null;
    if (text) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return appErrorResponse(
          c,
          new AppError(400, "malformed_json", "The request body is not valid JSON."),
        );
      }
      if (body !== null && typeof body === "object" && !Array.isArray(body)) {
        const errors = checkIdentityFields(body as Record<string, unknown>);
        if (errors.length > 0) return appErrorResponse(c, AppError.validation(errors));
        const email = (body as { email?: unknown }).email;
        if (c.req.path.endsWith("/sign-in/email") && typeof email === "string") signInEmail = email;
      }
    }

    const keys = signInEmail ? [accountKey(signInEmail, ip), accountKey(signInEmail)] : [];
    if (signInEmail) {
      const [byIp, byAccount] = await Promise.all(keys.map((k) => cache.get(k)));
      const blocked =
        Number(byIp ?? 0) >= limits.perAccountAndIp
          ? FAILED_PER_ACCOUNT_AND_IP_WINDOW_SECONDS
          : Number(byAccount ?? 0) >= limits.perAccount
            ? FAILED_PER_ACCOUNT_WINDOW_SECONDS
            : 0;
      if (blocked) {
        return appErrorResponse(
          c,
          new AppError(
            429,
            "too_many_failed_sign_ins",
            "Too many wrong passwords for this account. Wait a few minutes and try again.",
            undefined,
            { "Retry-After": String(Math.min(blocked, 15 * 60)) },
          ),
        );
      }
    }

    const response = await services.auth.handler(
      new Request(raw.url, { method: raw.method, headers, body: text, signal: raw.signal }),
    );

    if (signInEmail && keys.length === 2) {
      const [ipKey, anyKey] = keys as [string, string];
      if (response.status === 401) {
        await Promise.all([
          cache.hit(ipKey, FAILED_PER_ACCOUNT_AND_IP_WINDOW_SECONDS),
          cache.hit(anyKey, FAILED_PER_ACCOUNT_WINDOW_SECONDS),
        ]);
      } else if (response.ok) {
        await cache.del(ipKey);
      }
    }
    if (response.status >= 400 && response.headers.get("content-type")?.includes("application/json")) {
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { code?: string; message?: string } | null;
      return toProblem(response, body);
    }
    return response;
  };
}
