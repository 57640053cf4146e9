import type { Cache } from "../cache";
import { AppError } from "../errors/app-error";

const WINDOW_SECONDS = 60;

/**
 * Fixed one-minute windows per client address and per form. Counters live in the shared cache, so
 * with Redis every replica enforces the same budget.
 */
export async function enforceSubmissionLimits(
  cache: Cache,
  limits: { perIp: number; perForm: number },
  ip: string,
  formId: string,
): Promise<void> {
  const [byIp, byForm] = await Promise.all([
    cache.hit(`rl:ip:${ip}`, WINDOW_SECONDS),
    cache.hit(`rl:form:${formId}`, WINDOW_SECONDS),
  ]);
  const exceeded = byIp.count > limits.perIp ? byIp : byForm.count > limits.perForm ? byForm : null;
  if (exceeded) {
    throw new AppError(
      429,
      "rate_limited",
      "Too many submissions right now. Please wait a moment and try again.",
      undefined,
      { "Retry-After": String(exceeded.resetSeconds) },
    );
  }
}
