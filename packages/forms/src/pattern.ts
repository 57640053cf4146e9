import { PATTERN_MAX_LENGTH } from "./limits";

/**
 * Compiles an owner's `pattern` so that it must match the whole value, the way the HTML `pattern`
 * attribute does. The source must also compile on its own: otherwise `a)|(b` would escape the
 * anchoring group and match any value containing `b`.
 */
export function compilePattern(source: string): RegExp | null {
  try {
    new RegExp(source, "u");
    return new RegExp(`^(?:${source})$`, "u");
  } catch {
    return null;
  }
}

export type PatternProblem = "too_long" | "invalid" | "unsafe";

/** Definition-time checks; `null` when the pattern may be stored. */
export function checkPattern(source: string): PatternProblem | null {
  if (source.length > PATTERN_MAX_LENGTH) return "too_long";
  if (compilePattern(source) === null) return "invalid";
  if (hasNestedUnboundedQuantifier(source)) return "unsafe";
  return null;
}

/**
 * A cheap guard against catastrophic backtracking: rejects a group that holds an unbounded
 * quantifier (`+`, `*`, `{n,}`) and is itself repeated without bound, as in `(a+)+` or `(\w+\s?)*`.
 * It does not catch every slow pattern (overlapping alternations), but together with the length
 * limits on the pattern and the value it removes the classic ones.
 */
export function hasNestedUnboundedQuantifier(source: string): boolean {
  // One entry per open group: whether it (or a group nested in it) contains an unbounded quantifier.
  const stack: boolean[] = [];
  let inClass = false;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      i++;
      continue;
    }
    if (c === "[") {
      inClass = true;
      i++;
      continue;
    }
    if (c === "(") {
      stack.push(false);
      i++;
      continue;
    }
    const quantifierLength = unboundedQuantifierAt(source, i);
    if (c === ")") {
      const inner = stack.pop() ?? false;
      const outer = unboundedQuantifierAt(source, i + 1);
      if (inner && outer > 0) return true;
      if ((inner || outer > 0) && stack.length > 0) stack[stack.length - 1] = true;
      i++;
      continue;
    }
    if (quantifierLength > 0) {
      if (stack.length > 0) stack[stack.length - 1] = true;
      i += quantifierLength;
      continue;
    }
    i++;
  }
  return false;
}

/** Length of an unbounded quantifier (`*`, `+`, `{n,}`) starting at `i`, or 0. */
function unboundedQuantifierAt(source: string, i: number): number {
  const c = source[i];
  if (c === "*" || c === "+") return 1;
  if (c === "{") {
    const m = /^\{\d+,\}/.exec(source.slice(i, i + 12));
    if (m) return m[0].length;
  }
  return 0;
}

// Keyed by the field object and checked against its current source, so a builder that edits a
// field in place still gets a fresh regex, and definitions that go away free their entries.
const cache = new WeakMap<object, { source: string; regex: RegExp | null }>();

export function cachedPattern(field: object, source: string): RegExp | null {
  const hit = cache.get(field);
  if (hit && hit.source === source) return hit.regex;
  const regex = compilePattern(source);
  cache.set(field, { source, regex });
  return regex;
}
