/**
 * `tsx bench/profile-top.ts <file.cpuprofile | dir> [--top N] [--last S]`: the top entries of a
 * V8 CPU profile (what `node --cpu-prof` writes), by self time, and the same grouped by package
 * ("coleta" for our own bundle, "node" for Node internals). `--last S` keeps only the last S
 * seconds of each profile: the load, without start-up. Used to profile the submission path:
 * BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench:submissions.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const top = option("--top", 25);
const lastSeconds = option("--last", Number.POSITIVE_INFINITY);
const target = args[0] ?? "";
const files = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((f) => f.endsWith(".cpuprofile"))
      .map((f) => join(target, f))
  : [target];
if (files.length === 0) throw new Error(`no .cpuprofile in ${target}`);

function where(url: string): string {
  if (!url) return "(native)";
  if (url.startsWith("node:")) return "node";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.includes("/dist/")) return "coleta";
  return url;
}

const self = new Map<string, number>();
// Inclusive time: a function counts every sample it is on the stack of (once per sample).
const inclusive = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => {
    const { functionName, url, lineNumber } = n.callFrame;
    return `${functionName || "(anonymous)"} ${where(url)}${url ? `:${lineNumber + 1}` : ""}`;
  };
  // Time per sample from the deltas (a sample's delta is the time until the next one).
  const since = profile.endTime - lastSeconds * 1e6;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < since) continue;
    const node = nodes.get(profile.samples[i] as number);
    const micros = profile.timeDeltas[i + 1] ?? 0;
    if (!node) continue;
    const { functionName, url } = node.callFrame;
    const name = label(node);
    self.set(name, (self.get(name) ?? 0) + micros);
    const onStack = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      onStack.add(label(nodes.get(id) as ProfileNode));
    }
    for (const frame of onStack) inclusive.set(frame, (inclusive.get(frame) ?? 0) + micros);
    const pkg =
      functionName === "(idle)" ? "(idle)" : functionName === "(garbage collector)" ? "(gc)" : where(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
    total += micros;
  }
}
const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
console.log(`${files.length} profile(s), ${(total / 1e6).toFixed(1)} s sampled`);
console.log("\nby package (self time):");
for (const [name, n] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`${pct(n)}  ${name}`);
console.log(`\ntop ${top} functions (self time):`);
for (const [name, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${pct(n)}  ${name}`);
console.log(`\ntop ${top} functions (inclusive time, with what they call):`);
for (const [name, n] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${pct(n)}  ${name}`);
