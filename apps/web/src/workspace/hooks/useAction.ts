import { useCallback, useState } from "react";

export interface ActionState {
  /** True while an action runs: disable its buttons. */
  busy: boolean;
  /** Why the last action failed, or null. */
  error: unknown;
  /** Runs `fn`; resolves with its result, or undefined when it failed (then `error` is set). */
  run: <R>(fn: () => Promise<R>) => Promise<R | undefined>;
  clearError: () => void;
}

/** The busy / error state of a button that calls the API (save, delete, invite…). */
export function useAction(): ActionState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <R>(fn: () => Promise<R>): Promise<R | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, clearError };
}
