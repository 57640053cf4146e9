// .github: every workflow parses, every `npm run X` it uses exists in the right package.json,
// files it points at exist, AWS access is OIDC-only, and CODEOWNERS paths exist.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exists, packageJson, read, root, workspaces } from "./lib/repo.ts";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  "working-directory"?: string;
}
interface Job {
  "runs-on": string;
  environment?: string;
  permissions?: Record<string, string>;
  steps: Step[];
  needs?: string | string[];
}
interface Workflow {
  name: string;
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const dir = ".github/workflows";
const files = readdirSync(join(root, dir)).filter((f) => /\.ya?ml$/.test(f));
const workflows = files.map((f) => ({ file: f, wf: parse(read(join(dir, f))) as Workflow }));
const ws = workspaces();

/** `npm run X`, `npm run X -w @coleta/api`, `npm run X --workspace=...`, `npm test`. */
function npmScripts(run: string): Array<{ script: string; workspace: string | undefined; line: string }> {
  const out: Array<{ script: string; workspace: string | undefined; line: string }> = [];
  for (const line of run.split("\n")) {
    for (const m of line.matchAll(/\bnpm (?:run(?:-script)?|test)\b([^;&|\n]*)/g)) {
      const isTest = m[0].startsWith("npm test");
      const rest = (m[1] ?? "").trim().split(/\s+/).filter(Boolean);
      const script = isTest ? "test" : rest.find((w) => !w.startsWith("-"));
      const wIndex = rest.findIndex((w) => w === "-w" || w === "--workspace");
      const wEq = rest.find((w) => w.startsWith("--workspace="));
      const workspace = wEq ? wEq.split("=")[1] : wIndex >= 0 ? rest[wIndex + 1] : undefined;
      if (script) out.push({ script, workspace, line: line.trim() });
    }
  }
  return out;
}

describe(".github/workflows", () => {
  it("has ci, deploy-frontend, deploy-backend and infra workflows", () => {
    expect(files.sort()).toEqual(["ci.yml", "deploy-backend.yml", "deploy-frontend.yml", "infra.yml"]);
  });

  for (const { file, wf } of workflows) {
    describe(file, () => {
      it("parses and has a name, triggers and jobs with steps", () => {
        expect(wf.name).toBeTruthy();
        expect(wf.on).toBeTruthy();
        expect(Object.keys(wf.jobs).length).toBeGreaterThan(0);
        for (const [id, job] of Object.entries(wf.jobs)) {
          expect(job["runs-on"], id).toBeTruthy();
          expect(job.steps.length, id).toBeGreaterThan(0);
          for (const n of [job.needs ?? []].flat()) expect(wf.jobs, `${id} needs ${n}`).toHaveProperty(n);
        }
      });

      it("every `npm run` script exists in the package.json it targets", () => {
        for (const job of Object.values(wf.jobs)) {
          for (const step of job.steps) {
            for (const { script, workspace, line } of npmScripts(step.run ?? "")) {
              const wsDir = workspace ? ws.get(workspace) : step["working-directory"];
              expect(workspace === undefined || wsDir !== undefined, `unknown workspace in: ${line}`).toBe(
                true,
              );
              const scripts = packageJson(wsDir ?? ".").scripts ?? {};
              expect(Object.keys(scripts), `${file}: ${line}`).toContain(script);
            }
          }
        }
      });

      it("files and scripts it references exist", () => {
        const text = read(join(dir, file));
        const paths = [
          ...text.matchAll(/(?:^|\s)(?:file|working-directory|node-version-file):\s+([\w./-]+)/gm),
          ...text.matchAll(/\bbash\s+([\w./-]+\.sh)/g),
          ...text.matchAll(/\bnpx (?:tsx|vitest run --project)\s+([\w./-]+)/g),
        ].map((m) => m[1] as string);
        for (const p of paths) expect(exists(p), `${file}: ${p}`).toBe(true);
      });

      it("uses AWS only through OIDC role assumption (id-token: write, no stored keys)", () => {
        const text = read(join(dir, file));
        expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
        for (const [id, job] of Object.entries(wf.jobs)) {
          const aws = job.steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
          if (aws.length === 0) continue;
          const perms = job.permissions ?? wf.permissions ?? {};
          expect(perms["id-token"], `${id} id-token permission`).toBe("write");
          for (const s of aws)
            expect(String(s.with?.["role-to-assume"]), id).toMatch(/^\$\{\{ vars\.AWS_\w+_ROLE_ARN \}\}$/);
          expect(
            job.environment,
            `${id} runs in a GitHub environment (the roles trust only those)`,
          ).toBeTruthy();
        }
      });

      it("pins every action to a version", () => {
        for (const job of Object.values(wf.jobs)) {
          for (const s of job.steps) if (s.uses) expect(s.uses).toMatch(/^[\w.-]+\/[\w./-]+@[\w.-]+$/);
        }
      });
    });
  }

  it("deploy-backend builds apps/api/Dockerfile for linux/arm64 and migrates before rolling out", () => {
    const text = read(join(dir, "deploy-backend.yml"));
    expect(text).toContain("file: apps/api/Dockerfile");
    expect(text).toContain("platforms: linux/arm64");
    expect(text).toContain("migration-task-family"); // the CDK task definition runs migrate.js
    const migrate = text.indexOf("aws ecs run-task");
    const rollout = text.indexOf("aws ecs update-service");
    expect(migrate).toBeGreaterThan(0);
    expect(rollout).toBeGreaterThan(migrate);
    expect(text).toContain("aws ecs wait services-stable");
  });

  it("deploy-frontend publishes hashed assets as immutable and HTML as no-cache, then invalidates", () => {
    const text = read(join(dir, "deploy-frontend.yml"));
    expect(text).toMatch(/dist\/assets[\s\S]*immutable/);
    expect(text).toMatch(/--exclude "assets\/\*" --cache-control "no-cache"/);
    expect(text).toContain("aws cloudfront create-invalidation");
  });

  it("deploy-frontend uploads the fill page service worker fill-sw.js as no-cache, never as immutable", () => {
    const wf = workflows.find((w) => w.file === "deploy-frontend.yml")?.wf as Workflow;
    const runs = Object.values(wf.jobs)
      .flatMap((job) => job.steps)
      .map((step) => step.run ?? "");
    // Built from apps/web/public, so it lands in dist/ (not dist/assets, the immutable upload).
    expect(exists("apps/web/public/fill-sw.js")).toBe(true);
    const swUpload = runs.find((run) => /aws s3 cp apps\/web\/dist\/fill-sw\.js /.test(run));
    expect(swUpload, "explicit fill-sw.js upload").toBeDefined();
    expect(swUpload).toMatch(/"\$\{S3_URI\}fill-sw\.js"/);
    expect(swUpload).toMatch(/--cache-control "no-cache"/);
    expect(swUpload).toMatch(/--content-type "text\/javascript/);
    expect(swUpload).not.toMatch(/immutable|max-age/);
    // The immutable upload only covers the hashed assets directory.
    const immutable = runs.filter((run) => run.includes("immutable"));
    expect(immutable).toHaveLength(1);
    expect(immutable[0]).toMatch(/aws s3 sync apps\/web\/dist\/assets /);
    // It runs after the HTML sync and before the invalidation.
    const order = runs.map((run) =>
      run.includes("fill-sw.js")
        ? "sw"
        : run.includes("create-invalidation")
          ? "invalidate"
          : run.includes('--exclude "assets/*"')
            ? "html"
            : "",
    );
    expect(order.filter(Boolean)).toEqual(["html", "sw", "invalidate"]);
  });

  it("infra deploys prod only after dev, in the approval-gated prod environment", () => {
    const infra = workflows.find((w) => w.file === "infra.yml")?.wf as Workflow;
    expect(infra.jobs["deploy-prod"]?.environment).toBe("prod");
    expect(infra.jobs["deploy-prod"]?.needs).toBe("deploy-dev");
  });
});

describe(".github/CODEOWNERS", () => {
  it("assigns apps/web to frontend, apps/api to backend, packages/forms to both; paths exist", () => {
    const rules = read(".github/CODEOWNERS")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"))
      .map((l) => l.split(/\s+/));
    const owners = (p: string) => rules.find((r) => r[0] === p)?.slice(1) ?? [];
    expect(owners("/apps/web/")).toEqual(["@coleta-org/frontend"]);
    expect(owners("/apps/api/")).toEqual(["@coleta-org/backend"]);
    expect(owners("/packages/forms/").sort()).toEqual(["@coleta-org/backend", "@coleta-org/frontend"]);
    for (const [path] of rules) {
      if (path === "*" || !path) continue;
      expect(exists(path.replace(/^\//, "")), path).toBe(true);
    }
  });
});
