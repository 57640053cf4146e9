import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { App, type Stack, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { beforeAll } from "vitest";
import { configs, type EnvName } from "../config/index.js";
import { addColetaEnvironment, type ColetaOptions, type ColetaStacks } from "../lib/coleta.js";

const here = dirname(fileURLToPath(import.meta.url));
/** The same feature flags as `cdk synth` (cdk.json), so tests see what deploys. */
const cdkJson = JSON.parse(readFileSync(join(here, "..", "cdk.json"), "utf8")) as {
  context: Record<string, unknown>;
};

export type StackKey = keyof ColetaStacks;

export interface Synthesized {
  readonly app: App;
  readonly stacks: ColetaStacks;
  readonly templates: Record<StackKey, Template>;
}

/** A well-formed image digest for tests (deploys pass the digest the pipeline recorded). */
export const TEST_IMAGE_DIGEST = `sha256:${"ab12".repeat(16)}`;

/** Synthesizes one environment (all six stacks) once; share the result across assertions. */
export function synthEnv(
  envName: EnvName,
  options: ColetaOptions = { apiImageDigest: TEST_IMAGE_DIGEST },
  config = configs[envName],
): Synthesized {
  const app = new App({ context: { ...cdkJson.context }, outdir: undefined });
  const stacks = addColetaEnvironment(app, config, options);
  app.synth();
  const templates = Object.fromEntries(
    Object.entries(stacks).map(([key, stack]) => [key, Template.fromStack(stack as Stack)]),
  ) as Record<StackKey, Template>;
  return { app, stacks, templates };
}

/**
 * Synthesizes dev and prod once, before the tests of the calling file (synthesis is the slow part);
 * the returned function gives one environment's result.
 */
export function synthesizeBeforeAll(
  envs: readonly EnvName[] = ["dev", "prod"],
): (env: EnvName) => Synthesized {
  const synthesized: Partial<Record<EnvName, Synthesized>> = {};
  beforeAll(() => {
    for (const env of envs) synthesized[env] = synthEnv(env);
  });
  return (env) => {
    const s = synthesized[env];
    if (!s) throw new Error(`${env} not synthesized`);
    return s;
  };
}

/** Every resource of `type` in all stacks of an environment: logical id and properties. */
export function resourcesOf(
  s: Synthesized,
  type: string,
): Array<{ id: string; props: Record<string, unknown> }> {
  return Object.values(s.templates).flatMap((t) =>
    Object.entries(resources(t, type)).map(([id, r]) => ({ id, props: r.Properties ?? {} })),
  );
}

/** Runs the AWS Solutions pack over the (already synthesized) construct tree. */
export function nagFindings(app: App) {
  return new AwsSolutionsChecks().validateScope(app).violations;
}

/** Every acknowledgement (cdk-nag suppression) recorded with Validations.of(...).acknowledge(). */
export function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: unknown }> {
  const found: Array<{ path: string; id: string; reason: unknown }> = [];
  for (const node of root.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        found.push({ path: node.node.path, id, reason });
      }
    }
  }
  return found;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

export function resources(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** Logical id of the single resource of `type` whose properties match `predicate`. */
export function logicalId(
  template: Template,
  type: string,
  predicate: (props: Record<string, unknown>) => boolean = () => true,
): string {
  const ids = Object.entries(resources(template, type))
    .filter(([, r]) => predicate(r.Properties ?? {}))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}: ${ids.join(", ")}`);
  return ids[0] as string;
}
