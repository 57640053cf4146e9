import { STATE_KEY } from "./layout";
import type { LakeTarget } from "./target";

/**
 * The lake's watermark, kept in the lake itself: the lake says what it holds, so a fresh folder
 * (or an emptied bucket) starts from the beginning instead of trusting a mark that no longer
 * matches. Times are microseconds since the epoch, as decimal text.
 *
 * - `exportedUntil`: every submission received before this time (and not erased) is in the lake.
 * - `erasuresUntil`: every erasure recorded before this time has reached the lake.
 */
export interface LakeState {
  version: 1;
  exportedUntil: string;
  erasuresUntil: string;
  updatedAt: string;
}

export async function readState(
  target: LakeTarget,
): Promise<{ exportedUntil: bigint; erasuresUntil: bigint }> {
  const text = await target.get(STATE_KEY);
  if (text === null) return { exportedUntil: 0n, erasuresUntil: 0n };
  const state = JSON.parse(text) as Partial<LakeState>;
  if (
    state.version !== 1 ||
    !/^\d+$/.test(state.exportedUntil ?? "") ||
    !/^\d+$/.test(state.erasuresUntil ?? "")
  ) {
    throw new Error(`${target.describe}${STATE_KEY} is not a Coleta lake state; refusing to guess.`);
  }
  return {
    exportedUntil: BigInt(state.exportedUntil as string),
    erasuresUntil: BigInt(state.erasuresUntil as string),
  };
}

/** Commits a run: written last, after every file it covers. */
export async function writeState(target: LakeTarget, until: bigint): Promise<void> {
  const state: LakeState = {
    version: 1,
    exportedUntil: String(until),
    erasuresUntil: String(until),
    updatedAt: new Date().toISOString(),
  };
  await target.put(STATE_KEY, [new TextEncoder().encode(`${JSON.stringify(state, null, 2)}\n`)]);
}
