import { PATTERN_MAX_LENGTH, PATTERN_MAX_PROGRAM_SIZE } from "./limits";

/*
 * An owner's `pattern`, matched in time linear in the value. The pattern is parsed (a subset of
 * JavaScript's `u`-flag syntax, see docs/forms.md), compiled to a Thompson NFA and run as a state-set
 * simulation (a Pike VM without captures): at each character every instruction is visited at most
 * once, so a test takes at most 2 × (value length + 1) × program size steps, whatever the pattern.
 * Nothing backtracks. It is plain code with no dependency, so the fill page and the server agree.
 * docs/decisions/0004-pattern-engine.md records why it is written here.
 */

export type PatternProblem = "too_long" | "invalid" | "unsupported" | "too_complex";

export class PatternError extends Error {
  constructor(
    readonly problem: PatternProblem,
    message: string,
  ) {
    super(message);
  }
}

// ---- Character sets: sorted, merged code point ranges [lo, hi, lo, hi, ...], plus `\p{…}` tests.

const MAX_CP = 0x10ffff;
const DIGIT = [0x30, 0x39];
const WORD = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
// ECMAScript WhiteSpace and LineTerminator.
const SPACE = [
  9, 13, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f,
  0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
];
const LINE_TERMINATORS = [0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029];

function normalize(ranges: number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i] as number, ranges[i + 1] as number]);
  pairs.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    if (last > 0 && lo <= (out[last] as number) + 1) out[last] = Math.max(out[last] as number, hi);
    else out.push(lo, hi);
  }
  return out;
}

function complement(ranges: number[]): number[] {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i] as number;
    if (lo > next) out.push(next, lo - 1);
    next = (ranges[i + 1] as number) + 1;
  }
  if (next <= MAX_CP) out.push(next, MAX_CP);
  return out;
}

class CharSet {
  private readonly re: RegExp | null;

  constructor(
    readonly ranges: number[],
    /** Property escapes such as `\p{L}\P{N}`, or "". */
    readonly props = "",
    readonly negated = false,
  ) {
    // The engine's own Unicode tables, asked about one code point at a time: a class of one
    // character cannot backtrack.
    this.re = props ? new RegExp(`[${props}]`, "u") : null;
  }

  has(cp: number): boolean {
    const r = this.ranges;
    let inside = false;
    for (let i = 0; i < r.length; i += 2) {
      if (cp < (r[i] as number)) break;
      if (cp <= (r[i + 1] as number)) {
        inside = true;
        break;
      }
    }
    if (!inside && this.re) inside = this.re.test(String.fromCodePoint(cp));
    return inside !== this.negated;
  }
}

// Assertions.
const START = 0; // ^
const END = 1; // $
const WORD_BOUNDARY = 2; // \b
const NOT_WORD_BOUNDARY = 3; // \B

type Node =
  | { k: "set"; set: number }
  | { k: "assert"; a: number }
  | { k: "cat"; items: Node[] }
  | { k: "alt"; items: Node[] }
  | { k: "rep"; node: Node; min: number; max: number };

const SYNTAX = "^$\\.*+?()[]{}|/";
const HEX = /^[0-9a-fA-F]+$/;
const BRACES = /\{(\d+)(,(\d*))?\}/y;
const GROUP_NAME = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;
const COUNT_CLAMP = PATTERN_MAX_PROGRAM_SIZE + 1;

type ClassAtom = number | CharSet;

class Parser {
  i = 0;
  readonly sets: CharSet[] = [];
  /** Equal sets share one entry, so each is tested once per character of the value. */
  private readonly setIndex = new Map<string, number>();
  private readonly names = new Set<string>();

  constructor(private readonly s: string) {}

  fail(problem: "invalid" | "unsupported", message: string): never {
    throw new PatternError(problem, `${message} (at character ${this.i + 1})`);
  }

  private at(text: string): boolean {
    return this.s.startsWith(text, this.i);
  }

  private eat(text: string): boolean {
    if (!this.at(text)) return false;
    this.i += text.length;
    return true;
  }

  private nextCodePoint(): number {
    const cp = this.s.codePointAt(this.i);
    if (cp === undefined) this.fail("invalid", "Unexpected end of pattern");
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private set(set: CharSet): Node {
    const key = `${set.negated}${set.props}${set.ranges}`;
    let index = this.setIndex.get(key);
    if (index === undefined) {
      index = this.sets.push(set) - 1;
      this.setIndex.set(key, index);
    }
    return { k: "set", set: index };
  }

  parse(): Node {
    const node = this.disjunction();
    if (this.i < this.s.length) this.fail("invalid", "Unmatched )");
    return node;
  }

  private disjunction(): Node {
    const items = [this.alternative()];
    while (this.eat("|")) items.push(this.alternative());
    return items.length === 1 ? (items[0] as Node) : { k: "alt", items };
  }

  private alternative(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && !this.at("|") && !this.at(")")) items.push(this.term());
    return items.length === 1 ? (items[0] as Node) : { k: "cat", items };
  }

  private term(): Node {
    // Assertions cannot be repeated (with the `u` flag): a quantifier after one is "nothing to repeat".
    if (this.eat("^")) return { k: "assert", a: START };
    if (this.eat("$")) return { k: "assert", a: END };
    if (this.eat("\\b")) return { k: "assert", a: WORD_BOUNDARY };
    if (this.eat("\\B")) return { k: "assert", a: NOT_WORD_BOUNDARY };
    if (this.at("(?=") || this.at("(?!")) this.fail("unsupported", "Lookahead (?= (?! is not supported");
    if (this.at("(?<=") || this.at("(?<!")) this.fail("unsupported", "Lookbehind (?<= (?<! is not supported");
    return this.quantifier(this.atom());
  }

  private quantifier(node: Node): Node {
    let min: number;
    let max: number;
    if (this.eat("*")) [min, max] = [0, Number.POSITIVE_INFINITY];
    else if (this.eat("+")) [min, max] = [1, Number.POSITIVE_INFINITY];
    else if (this.eat("?")) [min, max] = [0, 1];
    else if (this.at("{")) {
      BRACES.lastIndex = this.i;
      const m = BRACES.exec(this.s);
      if (!m) this.fail("invalid", "Incomplete quantifier {");
      this.i += m[0].length;
      const from = Number(m[1]);
      const to = m[2] === undefined ? from : m[3] ? Number(m[3]) : Number.POSITIVE_INFINITY;
      if (from > to) this.fail("invalid", "Numbers out of order in {} quantifier");
      // Counts this large cannot fit in the program anyway (see `size`); clamping keeps them small.
      min = Math.min(from, COUNT_CLAMP);
      max = to === Number.POSITIVE_INFINITY ? to : Math.min(to, COUNT_CLAMP);
    } else return node;
    // A lazy quantifier finds the same whole-value matches as a greedy one.
    this.eat("?");
    return { k: "rep", node, min, max };
  }

  private atom(): Node {
    const c = this.s[this.i];
    if (c === "(") return this.group();
    if (c === "[") return this.characterClass();
    if (c === "*" || c === "+" || c === "?") this.fail("invalid", `Nothing to repeat before ${c}`);
    if (c === "{" || c === "}" || c === "]") this.fail("invalid", `Lone ${c}; escape it as \\${c}`);
    if (this.eat(".")) return this.set(new CharSet(complement(LINE_TERMINATORS)));
    if (this.eat("\\")) {
      const atom = this.escape(false);
      return this.set(typeof atom === "number" ? new CharSet([atom, atom]) : atom);
    }
    const cp = this.nextCodePoint();
    return this.set(new CharSet([cp, cp]));
  }

  private group(): Node {
    this.i++;
    if (this.eat("?")) {
      if (this.eat("<")) {
        const end = this.s.indexOf(">", this.i);
        const name = end < 0 ? "" : this.s.slice(this.i, end);
        if (name.includes("\\")) this.fail("unsupported", "Escapes in group names are not supported");
        if (!GROUP_NAME.test(name)) this.fail("invalid", "Invalid group name");
        if (this.names.has(name)) this.fail("invalid", `Duplicate group name ${name}`);
        this.names.add(name);
        this.i = end + 1;
      } else if (!this.eat(":")) {
        if (/^[a-zA-Z-]/.test(this.s.slice(this.i, this.i + 1))) {
          this.fail("unsupported", "Flags such as (?i) are not supported; matching is case-sensitive");
        }
        this.fail("invalid", "Invalid group");
      }
    }
    const node = this.disjunction();
    if (!this.eat(")")) this.fail("invalid", "Unterminated group");
    return node;
  }

  private characterClass(): Node {
    this.i++;
    const negated = this.eat("^");
    const ranges: number[] = [];
    let props = "";
    const add = (atom: ClassAtom) => {
      if (typeof atom === "number") ranges.push(atom, atom);
      else if (atom.props) props += atom.props;
      else ranges.push(...(atom.negated ? complement(atom.ranges) : atom.ranges));
    };
    for (;;) {
      if (this.i >= this.s.length) this.fail("invalid", "Unterminated character class");
      if (this.eat("]")) break;
      const from = this.classAtom();
      if (this.at("-") && this.i + 1 < this.s.length && this.s[this.i + 1] !== "]") {
        this.i++;
        const to = this.classAtom();
        if (typeof from !== "number" || typeof to !== "number") {
          this.fail("invalid", "A range in a class cannot use a class escape such as \\d");
        }
        if (from > to) this.fail("invalid", "Range out of order in character class");
        ranges.push(from, to);
      } else add(from);
    }
    return this.set(new CharSet(normalize(ranges), props, negated));
  }

  private classAtom(): ClassAtom {
    if (!this.eat("\\")) return this.nextCodePoint();
    if (this.eat("b")) return 8;
    return this.escape(true);
  }

  /** After a backslash: a code point or a class escape (`\d`, `\p{L}`, ...). */
  private escape(inClass: boolean): ClassAtom {
    const c = this.s[this.i];
    if (c === undefined) this.fail("invalid", "\\ at end of pattern");
    this.i++;
    switch (c) {
      case "d":
      case "D":
        return new CharSet(DIGIT, "", c === "D");
      case "w":
      case "W":
        return new CharSet(WORD, "", c === "W");
      case "s":
      case "S":
        return new CharSet(SPACE, "", c === "S");
      case "p":
      case "P": {
        const m = /^\{([A-Za-z0-9_=]+)\}/.exec(this.s.slice(this.i, this.i + 80));
        if (m) {
          try {
            const set = new CharSet([], `\\${c}{${m[1]}}`);
            this.i += m[0].length;
            return set;
          } catch {
            // Reported below.
          }
        }
        return this.fail("invalid", `Invalid Unicode property escape \\${c}`);
      }
      case "f":
        return 12;
      case "n":
        return 10;
      case "r":
        return 13;
      case "t":
        return 9;
      case "v":
        return 11;
      case "c": {
        const letter = this.s.charCodeAt(this.i);
        if (!/[a-zA-Z]/.test(this.s[this.i] ?? "")) this.fail("invalid", "Invalid control escape \\c");
        this.i++;
        return letter % 32;
      }
      case "0":
        if (/\d/.test(this.s[this.i] ?? "")) this.fail("invalid", "Invalid escape \\0 followed by a digit");
        return 0;
      case "x":
        return this.hex(2);
      case "u":
        return this.unicodeEscape();
      case "k":
        if (!inClass && this.at("<")) this.fail("unsupported", "Backreferences \\k<name> are not supported");
        return this.fail("invalid", "Invalid escape \\k");
      case "-":
        // Valid in a class; outside one JavaScript refuses it with the `u` flag, but it is common and
        // can only mean a hyphen.
        return 0x2d;
    }
    if (SYNTAX.includes(c)) return c.charCodeAt(0);
    if (!inClass && c >= "1" && c <= "9")
      this.fail("unsupported", "Backreferences such as \\1 are not supported");
    return this.fail("invalid", `Invalid escape \\${c}`);
  }

  private hex(length: number): number {
    const digits = this.s.slice(this.i, this.i + length);
    if (digits.length !== length || !HEX.test(digits)) this.fail("invalid", "Invalid hexadecimal escape");
    this.i += length;
    return Number.parseInt(digits, 16);
  }

  private unicodeEscape(): number {
    if (this.eat("{")) {
      const end = this.s.indexOf("}", this.i);
      const digits = end < 0 ? "" : this.s.slice(this.i, end);
      const cp = HEX.test(digits) ? Number.parseInt(digits, 16) : Number.NaN;
      if (!(cp <= MAX_CP)) this.fail("invalid", "Invalid Unicode escape \\u{…}");
      this.i = end + 1;
      return cp;
    }
    const cp = this.hex(4);
    // With the `u` flag an escaped surrogate pair is one code point.
    if (cp >= 0xd800 && cp <= 0xdbff && this.at("\\u")) {
      const low = this.s.slice(this.i + 2, this.i + 6);
      const lo = HEX.test(low) && low.length === 4 ? Number.parseInt(low, 16) : 0;
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        this.i += 6;
        return 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
      }
    }
    return cp;
  }
}

// ---- Compiler: tree → instructions.

const CHAR = 0; // consume one code point in sets[x]
const SPLIT = 1; // continue at x and at y
const JMP = 2; // continue at x
const ASSERT = 3; // continue at pc + 1 if assertion x holds here
const MATCH = 4;

function saturate(n: number): number {
  return n > PATTERN_MAX_PROGRAM_SIZE ? PATTERN_MAX_PROGRAM_SIZE + 1 : n;
}

/** Instructions `node` compiles to, saturated just above the limit. */
function size(node: Node): number {
  switch (node.k) {
    case "set":
    case "assert":
      return 1;
    case "cat":
      return saturate(node.items.reduce((sum, n) => sum + size(n), 0));
    case "alt":
      return saturate(node.items.reduce((sum, n) => sum + size(n), 0) + 2 * (node.items.length - 1));
    case "rep": {
      const s = size(node.node);
      if (s === 0) return 0;
      if (node.max === Number.POSITIVE_INFINITY) return saturate(node.min === 0 ? s + 2 : node.min * s + 1);
      return saturate(node.min * s + (node.max - node.min) * (s + 1));
    }
  }
}

class Emitter {
  readonly op: number[] = [];
  readonly x: number[] = [];
  readonly y: number[] = [];

  push(op: number, x = 0, y = 0): number {
    this.op.push(op);
    this.x.push(x);
    this.y.push(y);
    return this.op.length - 1;
  }

  get pc(): number {
    return this.op.length;
  }

  emit(node: Node): void {
    switch (node.k) {
      case "set":
        this.push(CHAR, node.set);
        return;
      case "assert":
        this.push(ASSERT, node.a);
        return;
      case "cat":
        for (const item of node.items) this.emit(item);
        return;
      case "alt": {
        const jumps: number[] = [];
        const last = node.items.length - 1;
        for (let i = 0; i < last; i++) {
          // SPLIT this, next; this; JMP out
          const split = this.push(SPLIT, this.pc + 1);
          this.emit(node.items[i] as Node);
          jumps.push(this.push(JMP));
          this.y[split] = this.pc;
        }
        this.emit(node.items[last] as Node);
        for (const jump of jumps) this.x[jump] = this.pc;
        return;
      }
      case "rep": {
        const { node: body, min, max } = node;
        if (size(body) === 0) return;
        if (max === Number.POSITIVE_INFINITY) {
          if (min === 0) {
            // SPLIT L, out; L: body; SPLIT L, out (a second SPLIT rather than a JMP back to the
            // first: one instruction fewer to visit per character)
            const skip = this.push(SPLIT, this.pc + 1);
            const start = this.pc;
            this.emit(body);
            this.push(SPLIT, start, this.pc + 1);
            this.y[skip] = this.pc;
          } else {
            // body × (min - 1); L: body; SPLIT L, out
            for (let i = 1; i < min; i++) this.emit(body);
            const start = this.pc;
            this.emit(body);
            this.push(SPLIT, start, this.pc + 1);
          }
          return;
        }
        for (let i = 0; i < min; i++) this.emit(body);
        // Each optional copy may be skipped to the common exit.
        const splits: number[] = [];
        for (let i = min; i < max; i++) {
          splits.push(this.push(SPLIT, this.pc + 1));
          this.emit(body);
        }
        for (const split of splits) this.y[split] = this.pc;
        return;
      }
    }
  }
}

function isWordUnit(unit: number): boolean {
  return (
    (unit >= 0x30 && unit <= 0x39) ||
    (unit >= 0x41 && unit <= 0x5a) ||
    unit === 0x5f ||
    (unit >= 0x61 && unit <= 0x7a)
  );
}

// ---- Matcher: the state-set simulation.

export class PatternMatcher {
  /** Instructions in the program (at most PATTERN_MAX_PROGRAM_SIZE + 1 with the final MATCH). */
  readonly size: number;
  /** Work done by the last `test`: instructions visited plus character tests. */
  steps = 0;

  /** Instruction `pc` is prog[3pc] (the op), prog[3pc + 1] (x), prog[3pc + 2] (y). */
  private readonly prog: Int32Array;
  // Scratch space, reused: JavaScript runs one `test` at a time.
  private current: Int32Array;
  private next: Int32Array;
  private readonly stack: Int32Array;
  /** mark[pc] === generation: pc already visited in this step. */
  private readonly mark: Int32Array;
  /** Per set, the generation its membership was last computed in, and the result. */
  private readonly setMark: Int32Array;
  private readonly setValue: Uint8Array;
  private generation = 0;

  constructor(
    program: Emitter,
    private readonly sets: CharSet[],
  ) {
    const size = program.pc;
    this.size = size;
    this.prog = new Int32Array(size * 3);
    for (let pc = 0; pc < size; pc++) {
      this.prog[pc * 3] = program.op[pc] as number;
      this.prog[pc * 3 + 1] = program.x[pc] as number;
      this.prog[pc * 3 + 2] = program.y[pc] as number;
    }
    this.current = new Int32Array(size);
    this.next = new Int32Array(size);
    this.stack = new Int32Array(size);
    this.mark = new Int32Array(size);
    this.setMark = new Int32Array(sets.length);
    this.setValue = new Uint8Array(sets.length);
  }

  /** Whether the whole value matches, as `^(?:pattern)$` with the `u` flag would. */
  test(value: string): boolean {
    if (this.generation > 0x3fffffff) {
      this.mark.fill(0);
      this.setMark.fill(0);
      this.generation = 0;
    }
    const { prog, sets, setMark, setValue, stack, mark } = this;
    const length = value.length;
    let current = this.current;
    let next = this.next;
    let steps = 0;
    let generation = ++this.generation;
    // The threads at `pos`: CHAR and MATCH instructions, reached without consuming input.
    let count = 0;
    let pos = 0;
    // Threads to follow at `pos`: instruction numbers on `stack`.
    let top = 1;
    stack[0] = 0;
    mark[0] = generation;
    for (;;) {
      // Follow SPLIT, JMP and ASSERT from the stacked instructions (each at most once per step).
      while (top > 0) {
        let pc = stack[--top] as number;
        // Follow one path without going through the stack; SPLIT stacks its other branch.
        for (;;) {
          steps++;
          const i = pc * 3;
          const op = prog[i];
          let a: number;
          if (op === CHAR || op === MATCH) {
            next[count++] = pc;
            break;
          }
          if (op === SPLIT) {
            const b = prog[i + 2] as number;
            if (mark[b] !== generation) {
              mark[b] = generation;
              stack[top++] = b;
            }
            a = prog[i + 1] as number;
          } else if (op === JMP) a = prog[i + 1] as number;
          else if (holds(value, prog[i + 1] as number, pos)) a = pc + 1;
          else break;
          if (mark[a] === generation) break;
          mark[a] = generation;
          pc = a;
        }
      }
      [current, next] = [next, current];
      if (pos >= length || count === 0) break;
      // Step over one code point: each thread whose set holds it continues at pc + 1.
      const cp = value.codePointAt(pos) as number;
      pos += cp > 0xffff ? 2 : 1;
      generation = ++this.generation;
      steps += count;
      for (let k = 0; k < count; k++) {
        const pc = current[k] as number;
        if (prog[pc * 3] !== CHAR) continue;
        const set = prog[pc * 3 + 1] as number;
        if (setMark[set] !== generation) {
          setMark[set] = generation;
          setValue[set] = (sets[set] as CharSet).has(cp) ? 1 : 0;
        }
        if (setValue[set] === 1 && mark[pc + 1] !== generation) {
          mark[pc + 1] = generation;
          stack[top++] = pc + 1;
        }
      }
      count = 0;
    }
    this.current = current;
    this.next = next;
    this.steps = steps;
    if (pos < length) return false;
    for (let k = 0; k < count; k++) if (prog[(current[k] as number) * 3] === MATCH) return true;
    return false;
  }
}

function holds(value: string, assertion: number, pos: number): boolean {
  if (assertion === START) return pos === 0;
  if (assertion === END) return pos === value.length;
  const before = pos > 0 && isWordUnit(value.charCodeAt(pos - 1));
  const after = pos < value.length && isWordUnit(value.charCodeAt(pos));
  return (before !== after) === (assertion === WORD_BOUNDARY);
}

/** Parses and compiles `source`, or throws a PatternError saying why it cannot be used. */
export function parsePattern(source: string): PatternMatcher {
  if (source.length > PATTERN_MAX_LENGTH) {
    throw new PatternError("too_long", `at most ${PATTERN_MAX_LENGTH} characters`);
  }
  const parser = new Parser(source);
  const tree = parser.parse();
  if (size(tree) > PATTERN_MAX_PROGRAM_SIZE) {
    throw new PatternError(
      "too_complex",
      `the repetitions expand beyond ${PATTERN_MAX_PROGRAM_SIZE} steps; use smaller counts, or maxLength to limit the length`,
    );
  }
  const program = new Emitter();
  program.emit(tree);
  program.push(MATCH);
  return new PatternMatcher(program, parser.sets);
}

/**
 * Compiles an owner's `pattern` so that it must match the whole value, the way the HTML `pattern`
 * attribute does; `null` when it cannot be used (see checkPattern).
 */
export function compilePattern(source: string): PatternMatcher | null {
  try {
    return parsePattern(source);
  } catch (error) {
    if (error instanceof PatternError) return null;
    throw error;
  }
}

/** Definition-time check; `null` when the pattern may be stored. */
export function checkPattern(source: string): PatternProblem | null {
  return describePatternProblem(source)?.problem ?? null;
}

/** Like checkPattern, with an English explanation for the owner. */
export function describePatternProblem(source: string): { problem: PatternProblem; message: string } | null {
  try {
    parsePattern(source);
    return null;
  } catch (error) {
    if (error instanceof PatternError) return { problem: error.problem, message: error.message };
    throw error;
  }
}

// Keyed by the field object and checked against its current source, so a builder that edits a
// field in place still gets a fresh matcher, and definitions that go away free their entries.
const cache = new WeakMap<object, { source: string; matcher: PatternMatcher | null }>();

export function cachedPattern(field: object, source: string): PatternMatcher | null {
  const hit = cache.get(field);
  if (hit && hit.source === source) return hit.matcher;
  const matcher = compilePattern(source);
  cache.set(field, { source, matcher });
  return matcher;
}
