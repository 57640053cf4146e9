import { ApiError, type Problem, type ProblemError } from "./api";

export type TFunction = (key: string, params?: Record<string, string | number>) => string;

/** Codes the catalogs translate as `error.<code>`; anything else falls back to the problem's text. */
export const KNOWN_ERROR_CODES = [
  "validation_failed",
  "not_found",
  "form_closed",
  "forbidden",
  "unauthorized",
  "conflict",
  "slug_taken",
  "rate_limited",
  "payload_too_large",
  "network_error",
  "invalid_credentials",
  "user_already_exists",
  "signup_closed",
  "setup_code_invalid",
  "invitation_invalid",
  "invitation_expired",
  "invitation_email_mismatch",
  "last_owner",
  "not_published",
  "internal_error",
] as const;

/** Better-Auth answers `{ code: "INVALID_EMAIL_OR_PASSWORD", message }`: fold those into our codes. */
const ALIASES: Record<string, string> = {
  INVALID_EMAIL_OR_PASSWORD: "invalid_credentials",
  USER_ALREADY_EXISTS: "user_already_exists",
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: "user_already_exists",
  PASSWORD_TOO_SHORT: "password_too_short",
  INVALID_EMAIL: "invalid_email",
};

const EXTRA_CODES = new Set(["password_too_short", "invalid_email"]);

function normalizeCode(code: string | undefined): string | undefined {
  if (!code) return undefined;
  return ALIASES[code] ?? code;
}

function isKnown(code: string | undefined): code is string {
  return !!code && ((KNOWN_ERROR_CODES as readonly string[]).includes(code) || EXTRA_CODES.has(code));
}

/** A human, translated sentence for any problem: code → catalog, else `detail`, else by status. */
export function problemMessage(problem: Problem, t: TFunction, status = problem.status ?? 0): string {
  const code = normalizeCode(problem.code);
  if (isKnown(code)) return t(`error.${code}`);
  if (problem.detail && typeof problem.detail === "string") return problem.detail;
  if (problem.message && typeof problem.message === "string") return problem.message;
  if (status === 401) return t("error.unauthorized");
  if (status === 403) return t("error.forbidden");
  if (status === 404) return t("error.not_found");
  if (status === 409) return t("error.conflict");
  if (status === 413) return t("error.payload_too_large");
  if (status === 422) return t("error.validation_failed");
  if (status === 429) return t("error.rate_limited");
  if (status === 0) return t("error.network_error");
  const base = t("error.unexpected");
  return problem.requestId ? `${base} (${t("error.requestId", { id: problem.requestId })})` : base;
}

/** Message for anything thrown by `api()` (or by code around it). */
export function errorMessage(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) return problemMessage(error.problem, t, error.status);
  return t("error.unexpected");
}

/** Per-item validation messages: `validation.<code>` when the catalog has it, else the English text. */
export function itemMessage(item: ProblemError, t: TFunction): string {
  const key = `validation.${item.code}`;
  const translated = t(key, item.params);
  return translated === key ? item.message : translated;
}
