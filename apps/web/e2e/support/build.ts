import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST_DIR, REPO_ROOT, WEB_DIR } from "./paths";

const SOURCES = [
  join(WEB_DIR, "src"),
  join(WEB_DIR, "public"),
  join(WEB_DIR, "index.html"),
  join(WEB_DIR, "fill.html"),
  join(WEB_DIR, "vite.config.ts"),
  join(WEB_DIR, "base-paths.ts"),
  join(REPO_ROOT, "packages", "forms", "src"),
  join(REPO_ROOT, "packages", "permissions", "src"),
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry.endsWith(".test.ts") || entry.endsWith(".test.tsx")) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when dist/ has both entries and is newer than every source file. */
export function webBuildIsFresh(): boolean {
  const outputs = [join(DIST_DIR, "index.html"), join(DIST_DIR, "fill.html")];
  if (!outputs.every(existsSync)) return false;
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  return SOURCES.every((s) => newestMtime(s) <= built);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A cross-process lock (mkdir is atomic); a lock left by a dead process is taken over. */
async function withLock<T>(name: string, fn: () => Promise<T>, timeoutMs = 10 * 60_000): Promise<T> {
  const dir = join(tmpdir(), `${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, "pid"), String(process.pid));
      break;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(join(dir, "pid"), "utf8"));
      } catch {
        // Being created right now; wait.
      }
      const age = Date.now() - (existsSync(dir) ? statSync(dir).mtimeMs : 0);
      if ((owner && !pidAlive(owner)) || (!owner && age > 30_000)) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for lock ${dir}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Vitest sets NODE_ENV=test, and Vite would then build a development bundle (React dev mode,
    // import.meta.env.DEV true, no service worker): the journeys must run against what ships.
    const child = spawn(cmd, args, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_ENV: "production" },
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} failed (${code}):\n${output}`)),
    );
  });
}

/**
 * Runs `vite build` for apps/web once when dist/ is missing or older than the sources. Safe to call
 * from every test file: a lock serialises concurrent callers, and the freshness check is repeated
 * after taking it. Set COLETA_E2E_SKIP_BUILD=1 to use dist/ as it is.
 */
export async function ensureWebBuilt(): Promise<void> {
  if (process.env.COLETA_E2E_SKIP_BUILD === "1" || webBuildIsFresh()) return;
  await withLock("coleta-web-build", async () => {
    if (webBuildIsFresh()) return;
    const vite = join(REPO_ROOT, "node_modules", ".bin", "vite");
    await run(existsSync(vite) ? vite : "npx", existsSync(vite) ? ["build"] : ["vite", "build"], WEB_DIR);
  });
}
