// Runs the deploy scripts against stand-ins of `aws`, `docker`, `curl` and `cdk` (fake-cli/fake.mjs)
// put first on PATH in a temporary directory. The "cloud" is one JSON state file the test seeds
// and inspects; every call is logged.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (deploy/test/lib → ../../..). No import of ./repo.ts: the infra project uses this file too. */
const root = fileURLToPath(new URL("../../../", import.meta.url));

const fake = fileURLToPath(new URL("./fake-cli/fake.mjs", import.meta.url));

export interface FakeImage {
  digest: string;
  tags: string[];
}

export interface FakeTaskDefinition {
  family: string;
  revision: number;
  taskDefinitionArn: string;
  containerDefinitions: Array<{ name: string; image: string }>;
  [key: string]: unknown;
}

/** What `cdk deploy` of a stack creates, taken from its synthesized template. */
export interface FakeStackModel {
  dependencies: string[];
  /** SSM parameters (name → value) the stack creates. */
  parameters: Record<string, string>;
  domain: string;
  /** The stack validates ACM certificates through the public zone (needs the delegation). */
  certificates?: boolean;
  publicZone?: { nameServers: string[] };
  oidcProvider?: boolean;
  repositories?: string[];
  /** The App stack: needs -c apiImageDigest, creates the ECS service with that image. */
  needsImageDigest?: boolean;
  service?: {
    cluster: string;
    name: string;
    family: string;
    migrationFamily: string;
    repository: string;
    repositoryUri: string;
  };
  appUrl?: string;
}

export interface FakeState {
  account: string | null;
  parameters: Record<string, string>;
  oidcProviders: Array<{ arn: string; clientIds: string[] }>;
  stacks: Record<string, { resources: Array<{ type: string; physicalId: string }> }>;
  hostedZones: Array<{ id: string; name: string; private: boolean; nameServers: string[] }>;
  publicNs: Record<string, string[]>;
  repositories: Record<string, { images: FakeImage[] }>;
  clusters: string[];
  services: Record<string, { name: string; status: string; taskDefinition: string }>;
  taskDefinitions: Record<string, FakeTaskDefinition>;
  tasks: Record<string, { exitCode: number; image: string; taskDefinitionArn: string }>;
  migrationExitCode: number;
  rollback: boolean;
  http: Record<string, number>;
  errors: Record<string, string>;
  logins: string[];
  deploys: Array<{ stack: string; context: Record<string, string>; image?: string }>;
  deployments: Array<{ service: string; taskDefinition: string }>;
  bootstrapped: string[];
  model: { stacks: Record<string, FakeStackModel> };
}

export function emptyState(overrides: Partial<FakeState> = {}): FakeState {
  return {
    account: "111111111111",
    parameters: {},
    oidcProviders: [],
    stacks: {},
    hostedZones: [],
    publicNs: {},
    repositories: {},
    clusters: [],
    services: {},
    taskDefinitions: {},
    tasks: {},
    migrationExitCode: 0,
    rollback: false,
    http: {},
    errors: {},
    logins: [],
    deploys: [],
    deployments: [],
    bootstrapped: [],
    model: { stacks: {} },
    ...overrides,
  };
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export class FakeCloud {
  readonly dir = mkdtempSync(join(tmpdir(), "coleta-fake-cli-"));
  private readonly statePath = join(this.dir, "state.json");
  private readonly logPath = join(this.dir, "calls.jsonl");
  private readonly realNpx = spawnSync("bash", ["-c", "command -v npx"], { encoding: "utf8" }).stdout.trim();

  constructor(initial: FakeState) {
    const bin = join(this.dir, "bin");
    spawnSync("mkdir", ["-p", bin]);
    for (const tool of ["aws", "docker", "curl"]) {
      writeFileSync(join(bin, tool), `#!/bin/sh\nexec node "${fake}" ${tool} "$@"\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    // npx: `npx --no-install cdk …` is the fake; anything else (tsx) is the real npx.
    writeFileSync(
      join(bin, "npx"),
      `#!/bin/sh\nif [ "$1" = "--no-install" ] && [ "$2" = "cdk" ]; then shift 2; exec node "${fake}" cdk "$@"; fi\n` +
        `if [ "$1" = "cdk" ]; then shift; exec node "${fake}" cdk "$@"; fi\nexec "${this.realNpx}" "$@"\n`,
    );
    chmodSync(join(bin, "npx"), 0o755);
    writeFileSync(this.logPath, "");
    this.write(initial);
  }

  get bin(): string {
    return join(this.dir, "bin");
  }

  read(): FakeState {
    return JSON.parse(readFileSync(this.statePath, "utf8")) as FakeState;
  }

  write(state: FakeState): void {
    writeFileSync(this.statePath, JSON.stringify(state, null, 2));
  }

  update(change: (state: FakeState) => void): void {
    const state = this.read();
    change(state);
    this.write(state);
  }

  /** Every fake call so far, e.g. { tool: "aws", args: ["ssm", "get-parameter", …] }. */
  calls(): Array<{ tool: string; args: string[] }> {
    return readFileSync(this.logPath, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { tool: string; args: string[] });
  }

  /** Runs `bash <script> <args>` from the repository root, with the fakes first on PATH. */
  run(script: string, args: string[], env: Record<string, string> = {}): RunResult {
    const outputFile = join(this.dir, `output-${Date.now()}-${Math.random()}`);
    const summaryFile = `${outputFile}.summary`;
    writeFileSync(outputFile, "");
    writeFileSync(summaryFile, "");
    const result = spawnSync("bash", [script, ...args], {
      cwd: root,
      encoding: "utf8",
      timeout: 120_000,
      env: {
        PATH: `${this.bin}:${process.env.PATH}`,
        HOME: process.env.HOME ?? "/root",
        FAKE_STATE: this.statePath,
        FAKE_LOG: this.logPath,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_RUN_ID: "4242",
        ...env,
      },
    });
    const outputs = Object.fromEntries(
      readFileSync(outputFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    return {
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      outputs,
      summary: readFileSync(summaryFile, "utf8"),
    };
  }
}

export const digestOf = (text: string) =>
  `sha256:${[...Array(64)].map((_, i) => "0123456789abcdef"[(text.charCodeAt(i % text.length) + i) % 16]).join("")}`;
