// Minimal Dockerfile reader for the deploy tests: instructions (continuations joined,
// comments dropped), grouped by stage, plus helpers for ENV/ARG/COPY/CMD.

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string | undefined;
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  globalArgs: Record<string, string>;
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let buffer = "";
  let startLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const trimmed = raw.trim();
    if (buffer === "" && (trimmed === "" || trimmed.startsWith("#"))) continue;
    if (buffer !== "" && trimmed.startsWith("#")) continue; // comment inside a continuation
    if (buffer === "") startLine = i + 1;
    if (trimmed.endsWith("\\")) {
      buffer += `${trimmed.slice(0, -1).trim()} `;
      continue;
    }
    buffer += trimmed;
    const match = /^(\S+)\s*([\s\S]*)$/.exec(buffer.trim());
    if (match)
      instructions.push({ keyword: (match[1] ?? "").toUpperCase(), args: match[2] ?? "", line: startLine });
    buffer = "";
  }

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === "FROM") {
      const parts = ins.args.split(/\s+/).filter((p) => !p.startsWith("--"));
      const asIndex = parts.findIndex((p) => p.toUpperCase() === "AS");
      stages.push({
        from: parts[0] ?? "",
        name: asIndex >= 0 ? parts[asIndex + 1] : undefined,
        instructions: [],
      });
      continue;
    }
    const current = stages.at(-1);
    if (!current) {
      if (ins.keyword === "ARG") Object.assign(globalArgs, parseAssignments(ins.args));
      continue;
    }
    current.instructions.push(ins);
  }
  return { globalArgs, stages };
}

/** `A=1 B="two words"` → { A: "1", B: "two words" }; `A` alone → { A: "" }. */
export function parseAssignments(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z_][A-Za-z0-9_]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g;
  for (const m of args.matchAll(re)) {
    const key = m[1] as string;
    let value = m[2] ?? "";
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
      value = value.slice(1, -1);
    }
    out[key] = value;
  }
  return out;
}

export function stage(df: Dockerfile, name: string): Stage {
  const found = df.stages.find((s) => s.name === name);
  if (!found) throw new Error(`Dockerfile has no stage named ${name}`);
  return found;
}

/** The stage `name` and the stages it is built FROM, nearest first (images outside the file end it). */
export function stageChain(df: Dockerfile, name: string): Stage[] {
  const chain: Stage[] = [];
  for (let current: Stage | undefined = stage(df, name); current; ) {
    chain.push(current);
    const parent: string = current.from;
    current = df.stages.find((s) => s.name === parent);
  }
  return chain;
}

export function instructionsOf(st: Stage, keyword: string): Instruction[] {
  return st.instructions.filter((i) => i.keyword === keyword);
}

export function envOf(st: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const ins of instructionsOf(st, "ENV")) Object.assign(env, parseAssignments(ins.args));
  return env;
}

export interface Copy {
  from: string | undefined;
  sources: string[];
  dest: string;
  line: number;
}

export function copiesOf(st: Stage): Copy[] {
  return instructionsOf(st, "COPY").map((ins) => {
    const words = ins.args.split(/\s+/).filter(Boolean);
    const flags = words.filter((w) => w.startsWith("--"));
    const paths = words.filter((w) => !w.startsWith("--"));
    const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length);
    return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? "", line: ins.line };
  });
}

/** RUN arguments without BuildKit flags such as `--mount=type=cache,target=/root/.npm`. */
export function runCommands(st: Stage): string[] {
  return instructionsOf(st, "RUN").map((ins) => ins.args.replace(/^(?:--\S+\s+)+/, "").trim());
}

/** Exec-form JSON array of CMD / HEALTHCHECK ... CMD. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf("["));
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === "string")) {
    throw new Error(`not an exec-form array: ${args}`);
  }
  return parsed;
}

/** Expands ${VAR} / $VAR with the given values (ARG defaults). */
export function expand(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a, b) => {
    const key = (a ?? b) as string;
    return vars[key] ?? "";
  });
}

/**
 * .dockerignore semantics (simplified but faithful for our patterns): patterns are matched
 * against the path and each of its parent folders, the last matching pattern wins, `!`
 * re-includes, `**` spans folders, `*` stays within one path segment.
 */
export function dockerignoreMatcher(text: string): (path: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const negate = l.startsWith("!");
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+/, "").replace(/\/+$/, "");
      return { negate, re: globToRegExp(pattern) };
    });
  return (path: string) => {
    const segments = path.replace(/^\.\//, "").split("/");
    const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join("/"));
    let excluded = false;
    for (const rule of rules) {
      if (prefixes.some((p) => rule.re.test(p))) excluded = !rule.negate;
    }
    return excluded;
  };
}

function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      // `**/` matches zero or more folders
      if (glob[i + 2] === "/") {
        re += "(?:.*/)?";
        i += 2;
      } else {
        re += ".*";
        i += 1;
      }
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
