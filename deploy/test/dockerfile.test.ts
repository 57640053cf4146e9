// apps/api/Dockerfile, checked without a Docker engine: its structure, the files it COPYs from
// the build context (and that .dockerignore lets them through), and — outside a container —
// the exact build command of its `build` stage and the start command of its `runtime` stage.
import { type ChildProcess, execFileSync, execSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../apps/api/src/status/testing/net";
import {
  copiesOf,
  dockerignoreMatcher,
  envOf,
  execForm,
  expand,
  instructionsOf,
  parseDockerfile,
  runCommands,
  stage,
  stageChain,
} from "./lib/dockerfile.ts";
import { exists, packageJson, read, root, workspaces } from "./lib/repo.ts";

const DOCKERFILE = "apps/api/Dockerfile";
const df = parseDockerfile(read(DOCKERFILE));
const ignored = dockerignoreMatcher(read(".dockerignore"));
const runtime = df.stages.at(-1);
if (!runtime) throw new Error("Dockerfile has no stage");
const WORKDIR = "/app"; // every stage works in /app = the repository root outside Docker

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir))) {
    if (entry === "node_modules" || entry === "dist") continue;
    const rel = join(dir, entry);
    if (statSync(join(root, rel)).isDirectory()) out.push(...listFiles(rel));
    else out.push(rel);
  }
  return out;
}

describe("apps/api/Dockerfile structure", () => {
  it("has the manifests → deps → build → prod-deps → rds-ca → runtime stages, runtime last", () => {
    expect(df.stages.map((s) => s.name)).toEqual([
      "base",
      "manifests",
      "deps",
      "build",
      "prod-deps",
      "rds-ca",
      "runtime",
    ]);
  });

  it("runs on a Node LTS slim image that is not past end of life (multi-arch, so ARM64 works)", () => {
    const image = expand(runtime.from, df.globalArgs);
    expect(image).toMatch(/^node:\d+(\.\d+)*-(bookworm|trixie)-slim$/);
    const major = Number(image.split(":")[1]?.split(/[.-]/)[0]);
    // Even majors are the LTS lines (odd ones never get long-term support).
    expect(major % 2, `node:${major} is not an LTS line`).toBe(0);
    // Laptops may run older Node (engines, .nvmrc); the image never runs older than them.
    const engines = (JSON.parse(read("package.json")) as { engines?: { node?: string } }).engines;
    const minimum = Number(/(\d+)/.exec(engines?.node ?? "")?.[1]);
    expect(major).toBeGreaterThanOrEqual(Math.max(minimum, Number(read(".nvmrc").trim().split(".")[0])));
    // End of life per https://github.com/nodejs/Release: this fails on the day the image's line
    // stops getting security fixes, so NODE_IMAGE moves to the current LTS before that.
    const endOfLife: Record<number, string> = {
      20: "2026-04-30",
      22: "2027-04-30",
      24: "2028-04-30",
      26: "2029-04-30",
    };
    const known = Math.max(...Object.keys(endOfLife).map(Number));
    const eol = endOfLife[major];
    expect(eol !== undefined || major > known, `no end-of-life date known for node:${major}`).toBe(true);
    if (eol) {
      expect(
        new Date().toISOString().slice(0, 10) < eol,
        `node:${major} reached end of life on ${eol}: move NODE_IMAGE in ${DOCKERFILE} to the current LTS`,
      ).toBe(true);
    }
  });

  it("runs as a non-root user, exposes PORT and health-checks /backend/health/live with node", () => {
    const user = instructionsOf(runtime, "USER").at(-1)?.args.trim();
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
    const env = envOf(runtime);
    expect(env.NODE_ENV).toBe("production");
    expect(instructionsOf(runtime, "EXPOSE").map((i) => i.args.trim())).toEqual([env.PORT]);
    const health = instructionsOf(runtime, "HEALTHCHECK");
    expect(health).toHaveLength(1);
    const cmd = execForm(health[0]?.args ?? "");
    expect(cmd[0]).toBe("node");
    expect(cmd.join(" ")).toContain("/backend/health/live");
    expect(execForm(instructionsOf(runtime, "CMD").at(-1)?.args ?? "")).toEqual([
      "node",
      "apps/api/dist/server.js",
    ]);
  });

  it("installs only production dependencies of the API in the runtime image", () => {
    const [install] = runCommands(stage(df, "prod-deps"));
    expect(install).toMatch(/^npm ci /);
    expect(install).toContain("--omit=dev");
    expect(install).toContain("--workspace @coleta/api");
    expect(install).toContain("--include-workspace-root=false");
    // runtime takes node_modules from prod-deps, never from deps/build (which have devDependencies)
    const fromStages = copiesOf(runtime).map((c) => c.from);
    expect(fromStages).not.toContain("deps");
    for (const c of copiesOf(runtime).filter((c) => c.from === "build")) {
      expect(c.sources.every((s) => s.startsWith(`${WORKDIR}/apps/api/dist`))).toBe(true);
    }
  });

  it("copies every workspace manifest before npm ci (npm ci needs all of them to match the lockfile)", () => {
    for (const name of ["deps", "prod-deps"]) {
      // What the stage has: its own COPYs and those of the stages it is built FROM.
      const copied = stageChain(df, name).flatMap((st) => copiesOf(st).flatMap((c) => c.sources));
      for (const dir of workspaces().values())
        expect(copied, `${name}: ${dir}`).toContain(`${dir}/package.json`);
      expect(copied).toContain("package-lock.json");
    }
  });

  it("COPYs from the build context only files that exist and that .dockerignore lets through", () => {
    const sources = df.stages
      .flatMap((s) => copiesOf(s).filter((c) => c.from === undefined))
      .flatMap((c) => c.sources);
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) {
      expect(exists(src), `${src} exists`).toBe(true);
      expect(ignored(src), `${src} not excluded by .dockerignore`).toBe(false);
      if (statSync(join(root, src)).isDirectory()) {
        for (const file of listFiles(src)) {
          if (/(^|\/)\.env(\.|$)/.test(file)) continue;
          expect(ignored(file), `${file} not excluded by .dockerignore`).toBe(false);
        }
      }
    }
  });

  it(".dockerignore keeps node_modules, build output and .env files out of the context", () => {
    for (const p of [
      "node_modules/x",
      "apps/api/node_modules/x",
      "apps/api/dist/server.js",
      ".env",
      "deploy/compose/.env",
    ]) {
      expect(ignored(p), p).toBe(true);
    }
    expect(ignored("apps/api/.env.local")).toBe(true);
  });

  it("downloads the RDS CA bundle in its own stage into /app/certs", () => {
    const rds = stage(df, "rds-ca");
    const add = instructionsOf(rds, "ADD")
      .map((i) => i.args)
      .join(" ");
    const args = Object.assign(
      {},
      ...instructionsOf(rds, "ARG").map((i) => Object.fromEntries([i.args.split("=")])),
    );
    expect(expand(add, args)).toContain("https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem");
    expect(add).toContain("/app/certs/rds-global-bundle.pem");
    expect(copiesOf(runtime).some((c) => c.from === "rds-ca" && c.dest === "./certs")).toBe(true);
  });
});

describe("apps/api/Dockerfile commands, run outside a container", () => {
  let server: ChildProcess | undefined;
  let dataDir: string | undefined;
  let output = "";
  afterAll(() => {
    server?.kill("SIGTERM");
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("the build stage's build command produces the dist files the runtime stage copies", () => {
    const build = runCommands(stage(df, "build")).filter((c) => c.startsWith("npm run build"));
    expect(build).toEqual(["npm run build -w @coleta/api"]);
    execSync(build[0] as string, { cwd: root, stdio: "pipe", timeout: 240_000 });
    for (const file of ["apps/api/dist/server.js", "apps/api/dist/migrate.js"]) {
      expect(exists(file), file).toBe(true);
    }
  });

  it("the bundle imports only Node built-ins and the API's production dependencies", () => {
    const deps = new Set(Object.keys(packageJson("apps/api").dependencies ?? {}));
    const builtins = new Set(builtinModules);
    const missing = new Set<string>();
    // esbuild's metafile lists exactly what each output still imports at run time.
    const meta = JSON.parse(readFileSync(join(root, "apps/api/dist/meta.json"), "utf8")) as {
      outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
    };
    for (const [file, output] of Object.entries(meta.outputs)) {
      for (const { path: spec, external } of output.imports) {
        if (!external || spec.startsWith(".") || spec.startsWith("node:")) continue;
        const name = spec.startsWith("@")
          ? spec.split("/").slice(0, 2).join("/")
          : (spec.split("/")[0] as string);
        if (builtins.has(name) || deps.has(name)) continue;
        missing.add(`${file}: ${spec}`);
      }
    }
    expect([...missing], "imported but not in apps/api dependencies (absent with --omit=dev)").toEqual([]);
  });

  it("the runtime CMD starts the server with the image's env, and the HEALTHCHECK command passes", async () => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v !== undefined && !/^(DATABASE_|REDIS_|PG)/.test(k)) env[k] = v;
    }
    const port = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), "coleta-deploy-test-"));
    Object.assign(env, envOf(runtime), {
      PORT: String(port), // the image uses 3000; a free port avoids clashing with a dev server
      DATA_DIR: dataDir,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      AUTH_SECRET: "deploy-test-secret-deploy-test-secret-0123456789",
      LOG_LEVEL: "warn",
    });
    const [cmd, ...args] = execForm(instructionsOf(runtime, "CMD").at(-1)?.args ?? "");
    expect(cmd).toBe("node");
    server = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout?.on("data", (d) => {
      output += d;
    });
    server.stderr?.on("data", (d) => {
      output += d;
    });

    const url = `http://127.0.0.1:${port}/backend/health/live`;
    const deadline = Date.now() + 90_000;
    let status = 0;
    while (Date.now() < deadline && server.exitCode === null) {
      status = await fetch(url).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(status, `server output:\n${output.slice(-4000)}`).toBe(200);

    const health = execForm(instructionsOf(runtime, "HEALTHCHECK")[0]?.args ?? "");
    // throws (non-zero exit) if the health check fails
    execFileSync(process.execPath, health.slice(1), { env, timeout: 10_000 });
    expect(existsSync(dataDir)).toBe(true);
  });
});
