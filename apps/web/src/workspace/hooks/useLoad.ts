import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";

export interface Loaded<T> {
  /** The last value loaded; null until the first load succeeds. */
  data: T | null;
  /** Why the last load failed, or null. */
  error: unknown;
  /** True while a load runs (also when reloading over earlier data). */
  loading: boolean;
  /** Loads again: after a change, or from an error box's Retry. */
  reload: () => Promise<void>;
  /** Replaces the value with one already at hand (what a save returned). */
  setData: (data: T) => void;
}

/**
 * The load / error / retry state every screen needs: runs `load` now and whenever `deps` change.
 * A load overtaken by a newer one (the user moved to another form) is aborted and its answer
 * ignored, so a slow reply never overwrites a newer one.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const current = useRef<AbortController | null>(null);

  const reload = useCallback(async () => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setLoading(true);
    setError(null);
    try {
      const value = await load(controller.signal);
      if (current.current === controller) setData(value);
    } catch (err) {
      if (current.current === controller) setError(err);
    } finally {
      if (current.current === controller) setLoading(false);
    }
    // biome-ignore lint/correctness/useExhaustiveDependencies: `deps` are the caller's inputs of `load`
  }, deps);

  useEffect(() => {
    void reload();
    return () => current.current?.abort();
  }, [reload]);

  return { data, error, loading, reload, setData };
}
