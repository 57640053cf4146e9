/**
 * Resolves with the promise's value, or rejects after `ms`. The original promise keeps running (a
 * Redis command cannot be recalled), so its late failure is swallowed here rather than reported as
 * an unhandled rejection.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    timer.unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Runs one Redis operation at a time with a deadline. While an earlier call has not settled (Redis
 * hangs), new calls fail at once instead of piling up commands behind it.
 */
export class Gate {
  private busy = false;

  constructor(private readonly timeoutMs: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw new Error("busy");
    this.busy = true;
    let op: Promise<T>;
    try {
      op = fn();
    } catch (error) {
      this.busy = false;
      throw error;
    }
    op.then(
      () => {
        this.busy = false;
      },
      () => {
        this.busy = false;
      },
    );
    return withTimeout(op, this.timeoutMs);
  }
}
