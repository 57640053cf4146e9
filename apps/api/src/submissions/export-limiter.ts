import { AppError } from "../errors/app-error";

/**
 * Bounds the exports one API process streams at once, in total and per organization. An export
 * reads the database for as long as it streams; without a bound, a few viewers exporting large
 * forms take every pool connection and the submission path waits behind them. Over the limit the
 * client gets 429 with Retry-After and tries again shortly.
 */
export class ExportLimiter {
  private running = 0;
  private readonly perOrg = new Map<string, number>();

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerOrg: number,
    private readonly retryAfterSeconds = 10,
  ) {}

  /** Takes a slot or throws 429; the returned release is idempotent. */
  acquire(orgId: string): () => void {
    const forOrg = this.perOrg.get(orgId) ?? 0;
    if (this.running >= this.maxTotal || forOrg >= this.maxPerOrg) {
      throw new AppError(
        429,
        "too_many_exports",
        forOrg >= this.maxPerOrg
          ? "This organization already has an export running. Try again when it has finished."
          : "Too many exports are running right now. Please try again in a moment.",
        undefined,
        { "Retry-After": String(this.retryAfterSeconds) },
      );
    }
    this.running++;
    this.perOrg.set(orgId, forOrg + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const left = (this.perOrg.get(orgId) ?? 1) - 1;
      if (left > 0) this.perOrg.set(orgId, left);
      else this.perOrg.delete(orgId);
    };
  }

  get active(): number {
    return this.running;
  }
}
