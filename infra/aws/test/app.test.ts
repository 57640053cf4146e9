import { Annotations, Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import type { EnvName } from "../config/index.js";
import { acknowledgements, nagFindings, synthesizeBeforeAll } from "./helpers.js";

const envs: EnvName[] = ["dev", "prod"];
const get = synthesizeBeforeAll(envs);

describe.each(envs)("%s: whole app", (env) => {
  it("synthesizes six stacks in deployment order, with no context lookups", () => {
    const { app, stacks } = get(env);
    expect(Object.values(stacks).map((s) => s.stackName)).toEqual(
      ["Network", "Data", "Cicd", "App", "Edge", "Monitoring"].map((n) => `Coleta-${env}-${n}`),
    );
    const assembly = app.synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);
    for (const stack of Object.values(stacks)) {
      expect(stack.region).toBe("us-east-1");
      expect(assembly.getStackByName(stack.stackName).template.Resources).toBeDefined();
    }
  });

  it("has no CDK validation warnings or errors (Annotations)", () => {
    for (const stack of Object.values(get(env).stacks)) {
      const annotations = Annotations.fromStack(stack);
      expect(annotations.findWarning("*", Match.anyValue()), stack.stackName).toEqual([]);
      expect(annotations.findError("*", Match.anyValue()), stack.stackName).toEqual([]);
    }
  });

  it("has zero unacknowledged cdk-nag AwsSolutions findings on every stack", () => {
    const findings = nagFindings(get(env).app).map((v) => ({
      rule: v.ruleName,
      at: v.violatingResources.map((r) => r.constructPath),
    }));
    expect(findings).toEqual([]);
  });

  it("gives every cdk-nag acknowledgement a real reason", () => {
    const acks = acknowledgements(get(env).app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(typeof ack.reason, `${ack.path} ${ack.id}`).toBe("string");
      expect(String(ack.reason).trim().length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
    }
  });

  it("acknowledges only the expected cdk-nag rules", () => {
    // Our acknowledgements are stored as "Annotation::<rule>"; aws-cdk-lib itself records a few
    // "CloudFormation-Validate::..." ones (e.g. on VPC flow logs) that are not cdk-nag rules.
    const ours = acknowledgements(get(env).app).filter((a) => /^annotation::/i.test(a.id));
    const ids = new Set(ours.map((a) => a.id.replace(/^annotation::/i, "").replace(/\[.*$/, "")));
    const allowed = new Set([
      "AwsSolutions-IAM5",
      "AwsSolutions-IAM4",
      "AwsSolutions-SMG4",
      "AwsSolutions-RDS11",
      "AwsSolutions-CFR1",
      ...(env === "dev" ? ["AwsSolutions-RDS3", "AwsSolutions-RDS10", "AwsSolutions-AEC4"] : []),
    ]);
    for (const id of ids) expect(allowed.has(id), id).toBe(true);
  });
});
