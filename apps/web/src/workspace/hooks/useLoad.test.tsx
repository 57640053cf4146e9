import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { useAction } from "./useAction";
import { useLoad } from "./useLoad";

afterEach(cleanup);

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("useLoad", () => {
  it("loads, reports a failure, and retries", async () => {
    let attempt = 0;
    const { result } = renderHook(() =>
      useLoad(async () => {
        attempt++;
        if (attempt === 1) throw new Error("offline");
        return "data";
      }, []),
    );
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.data).toBeNull();
    expect((result.current.error as Error).message).toBe("offline");
    await act(() => result.current.reload());
    expect(result.current.data).toBe("data");
    expect(result.current.error).toBeNull();
  });

  it("ignores a slow answer overtaken by a newer load, and aborts it", async () => {
    const replies: Record<string, ReturnType<typeof deferred<string>>> = { a: deferred(), b: deferred() };
    const signals: Record<string, AbortSignal> = {};
    const { result, rerender } = renderHook(
      ({ id }) =>
        useLoad(
          (signal) => {
            signals[id] = signal;
            return (replies[id] as ReturnType<typeof deferred<string>>).promise;
          },
          [id],
        ),
      { initialProps: { id: "a" } },
    );
    rerender({ id: "b" });
    expect(signals.a?.aborted).toBe(true);
    await act(async () => replies.b?.resolve("form b"));
    await act(async () => replies.a?.resolve("form a"));
    expect(result.current.data).toBe("form b");
    expect(result.current.loading).toBe(false);
  });
});

describe("useAction", () => {
  it("is busy while running, keeps the error and returns undefined on failure", async () => {
    const { result } = renderHook(() => useAction());
    const reply = deferred<number>();
    let outcome: Promise<number | undefined> = Promise.resolve(undefined);
    act(() => {
      outcome = result.current.run(() => reply.promise);
    });
    expect(result.current.busy).toBe(true);
    await act(async () => reply.resolve(7));
    expect(await outcome).toBe(7);
    expect(result.current.busy).toBe(false);

    let failed: number | undefined = 0;
    await act(async () => {
      failed = await result.current.run(async (): Promise<number> => {
        throw new Error("forbidden");
      });
    });
    expect(failed).toBeUndefined();
    expect((result.current.error as Error).message).toBe("forbidden");
    act(() => result.current.clearError());
    expect(result.current.error).toBeNull();
  });
});
