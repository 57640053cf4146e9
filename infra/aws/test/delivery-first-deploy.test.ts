// The documented first deploy (docs/deploy.md), walked from an empty account: the real scripts
// (infra/aws/scripts/first-deploy.sh, .github/scripts/*) run against stand-ins of aws/docker/curl/cdk
// (lib/fake-cli) whose `cdk deploy` creates what the synthesized stacks create (their SSM parameters,
// hosted zone, OIDC provider, repository, ECS service) and refuses what a real deploy would not
// survive: a certificate stack before the zone is delegated, the App stack without an image that
// exists, a second GitHub OIDC provider.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Stack } from "aws-cdk-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { digestOf, emptyState, FakeCloud, type FakeStackModel } from "../../../deploy/test/lib/fake-cli.js";
import { configs, type EnvName } from "../config/index.js";
import type { ColetaStacks } from "../lib/coleta.js";
import { deployTargetNames, githubRoleNames } from "../lib/constructs/github-deploy.js";
import { releaseParameterName } from "../lib/image.js";
import { resources, type Synthesized, synthEnv } from "./helpers.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

const synthesized: Partial<Record<EnvName, Synthesized>> = {};
const get = (env: EnvName) => synthesized[env] as Synthesized;

/** What `cdk deploy` of each stack creates, from the synthesized templates. */
function model(env: EnvName): Record<string, FakeStackModel> {
  const { stacks, templates } = get(env);
  const config = configs[env];
  const account = config.account;
  const repositoryUri = `${account}.dkr.ecr.us-east-1.amazonaws.com/coleta-${env}/api`;
  const roleArns = Object.fromEntries(
    Object.values(githubRoleNames(env)).map((role) => [role, `arn:aws:iam::${account}:role/${role}`]),
  );
  const tokenValues: Record<string, string> = {
    "ecr-repository-uri": repositoryUri,
    "ecr-repository-name": `coleta-${env}/api`,
    "migration-subnet-ids": "subnet-0a,subnet-0b",
    "migration-security-group-id": "sg-0migrate",
    "distribution-id": "E2COLETA",
    "deploy-frontend-role-arn": roleArns[githubRoleNames(env).deployFrontend] as string,
    "deploy-backend-role-arn": roleArns[githubRoleNames(env).deployBackend] as string,
    "infra-role-arn": roleArns[githubRoleNames(env).infra] as string,
    "diff-role-arn": roleArns[githubRoleNames(env).diff] as string,
  };
  const out: Record<string, FakeStackModel> = {};
  for (const [key, stack] of Object.entries(stacks) as Array<[keyof ColetaStacks, Stack]>) {
    const t = templates[key];
    const parameters: Record<string, string> = {};
    for (const p of Object.values(resources(t, "AWS::SSM::Parameter"))) {
      const name = String(p.Properties?.Name);
      const value = p.Properties?.Value;
      const short = name.split("/").at(-1) as string;
      parameters[name] = typeof value === "string" ? value : (tokenValues[short] ?? `token:${short}`);
    }
    const zones = Object.values(resources(t, "AWS::Route53::HostedZone"));
    const service = Object.values(resources(t, "AWS::ECS::Service"))[0];
    const names = deployTargetNames(env);
    out[stack.stackName] = {
      dependencies: stack.dependencies.map((d) => d.stackName),
      parameters,
      domain: config.domainName,
      certificates: Object.keys(resources(t, "AWS::CertificateManager::Certificate")).length > 0,
      ...(zones.some((z) => z.Properties?.Name === `${config.domainName}.` && !z.Properties?.VPCs)
        ? { publicZone: { nameServers: [1, 2, 3, 4].map((n) => `ns-${n}${env}.awsdns-0${n}.org`) } }
        : {}),
      oidcProvider: Object.keys(resources(t, "AWS::IAM::OIDCProvider")).length > 0,
      repositories: Object.values(resources(t, "AWS::ECR::Repository")).map((r) =>
        String(r.Properties?.RepositoryName),
      ),
      ...(service
        ? {
            needsImageDigest: true,
            service: {
              cluster: names.clusterName,
              name: String(service.Properties?.ServiceName),
              family: names.apiTaskFamily,
              migrationFamily: names.migrationTaskFamily,
              repository: `coleta-${env}/api`,
              repositoryUri,
            },
            appUrl: `https://${config.domainName}`,
          }
        : {}),
    };
  }
  return out;
}

describe("the documented first deploy, from an empty account (stubbed aws/docker/cdk/curl)", () => {
  const SHA1 = "1111111111111111111111111111111111111111";
  const SHA2 = "2222222222222222222222222222222222222222";
  const D1 = digestOf("build of commit 1");
  const D2 = digestOf("build of commit 2");
  let cloud: FakeCloud;
  const firstDeploy = (env: EnvName) => cloud.run("infra/aws/scripts/first-deploy.sh", [env]);
  const deploys = (env: EnvName) => cloud.read().deploys.filter((d) => d.stack.startsWith(`Coleta-${env}-`));
  const zoneNs = (env: EnvName) =>
    cloud.read().hostedZones.find((z) => z.name === `${configs[env].domainName}.` && !z.private)
      ?.nameServers ?? [];

  /** The deploy-backend workflow's dev jobs (build: locate → build-push-action → verify; deploy-dev). */
  const backendDev = (sha: string, digest: string) => {
    const located = cloud.run(".github/scripts/api-image.sh", ["locate", "dev", sha]);
    expect(located.status, located.stderr).toBe(0);
    if (located.outputs.digest === "") {
      // docker/build-push-action: push <repository-uri>:<sha>, output the digest.
      cloud.update((s) => {
        s.repositories["coleta-dev/api"]?.images.push({ digest, tags: [sha] });
      });
    }
    const verified = cloud.run(".github/scripts/api-image.sh", ["verify", "dev", sha, digest]);
    expect(verified.status, verified.stderr).toBe(0);
    const deployed = cloud.run(".github/scripts/deploy-api.sh", ["dev", verified.outputs.digest as string]);
    expect(deployed.status, deployed.stderr).toBe(0);
    return { located, deployed, sourceUri: located.outputs["repository-uri"] as string };
  };

  beforeAll(() => {
    synthesized.dev = synthEnv("dev");
    synthesized.prod = synthEnv("prod");
    const stacks = { ...model("dev"), ...model("prod") };
    cloud = new FakeCloud(emptyState({ account: configs.dev.account, model: { stacks } }));
  }, 240_000);

  it("dev 1: bootstraps CDK, deploys Network, then stops until the zone is delegated (exit 3, the 4 NS)", () => {
    const r = firstDeploy("dev");
    expect(r.status, r.stderr + r.stdout).toBe(3);
    expect(cloud.read().bootstrapped).toEqual([`aws://${configs.dev.account}/us-east-1`]);
    expect(deploys("dev").map((d) => d.stack)).toEqual(["Coleta-dev-Network"]);
    for (const ns of zoneNs("dev")) expect(r.stdout).toContain(ns);
    expect(r.stdout).toMatch(/run this command again/);
  });

  it("dev 2: delegated → Data and Cicd (roles, repository); stops until the first image is released (exit 4)", () => {
    cloud.update((s) => {
      s.publicNs[configs.dev.domainName] = zoneNs("dev").map((ns) => `${ns.toUpperCase()}.`);
    });
    const r = firstDeploy("dev");
    expect(r.status, r.stderr + r.stdout).toBe(4);
    // (Network again: a re-run redeploys it, a no-op for CloudFormation.)
    expect([...new Set(deploys("dev").map((d) => d.stack))]).toEqual([
      "Coleta-dev-Network",
      "Coleta-dev-Data",
      "Coleta-dev-Cicd",
    ]);
    expect(r.stdout).toMatch(
      /AWS_DEPLOY_BACKEND_ROLE_ARN\s+arn:aws:iam::111111111111:role\/coleta-dev-github-deploy-backend/,
    );
    expect(r.stdout).toMatch(
      /AWS_DIFF_ROLE_ARN_DEV\s+arn:aws:iam::111111111111:role\/coleta-dev-github-diff/,
    );
    expect(r.stdout).toMatch(/deploy-backend → Run workflow/);
    expect(cloud.read().oidcProviders).toHaveLength(1);
  });

  it("infra.yml cannot deploy yet: the released digest is missing, and it says so", () => {
    const r = cloud.run(".github/scripts/release-digest.sh", ["dev"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/No API image has been released to 'dev' yet/);
  });

  it("dev 3: deploy-backend builds the image once and, with no service yet, records it and stops green", () => {
    const { located, deployed } = backendDev(SHA1, D1);
    expect(located.outputs.digest).toBe("");
    expect(deployed.outputs.mode).toBe("first-image");
    expect(cloud.read().parameters[releaseParameterName("dev")]).toBe(D1);
  });

  it("dev 4: first-deploy.sh creates App (service with that digest), Edge and Monitoring; the API answers", () => {
    const r = firstDeploy("dev");
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const app = deploys("dev").find((d) => d.stack === "Coleta-dev-App");
    expect(app?.context.apiImageDigest).toBe(D1);
    expect(app?.image).toBe(`${configs.dev.account}.dkr.ecr.us-east-1.amazonaws.com/coleta-dev/api@${D1}`);
    const order = deploys("dev").map((d) => d.stack);
    expect(order.indexOf("Coleta-dev-Cicd")).toBeLessThan(order.indexOf("Coleta-dev-App"));
    expect(order.indexOf("Coleta-dev-App")).toBeLessThan(order.indexOf("Coleta-dev-Edge"));
    expect(new Set(order)).toEqual(new Set(Object.keys(model("dev"))));
    expect(cloud.read().stacks).toHaveProperty("Coleta-dev-Monitoring");
    expect(r.stdout).toMatch(/Done\./);
  });

  it("dev 5: the next push deploys normally, and infra.yml then deploys with the digest that runs", () => {
    const { deployed } = backendDev(SHA2, D2);
    expect(deployed.outputs.mode).toBe("deployed");
    const smoke = cloud.run(".github/scripts/smoke-test.sh", ["dev", "/backend/health/ready"]);
    expect(smoke.status, smoke.stderr).toBe(0);
    const released = cloud.run(".github/scripts/release-digest.sh", ["dev"]);
    expect(released.stdout.trim()).toBe(D2);
    // infra.yml deploy-dev: cdk deploy --all -c apiImageDigest=<released> keeps the running image.
    const state = cloud.read();
    const running = state.services["coleta-dev/coleta-dev-api"]?.taskDefinition as string;
    const runningImage = Object.values(state.taskDefinitions).find((t) => t.taskDefinitionArn === running)
      ?.containerDefinitions[0]?.image;
    expect(runningImage).toMatch(new RegExp(`@${D2}$`));
  });

  it("prod: same order; the first image is dev's digest, promoted (copied, not rebuilt)", () => {
    cloud.update((s) => {
      s.account = configs.prod.account;
    });
    expect(firstDeploy("prod").status).toBe(3);
    cloud.update((s) => {
      s.publicNs[configs.prod.domainName] = zoneNs("prod");
    });
    const waiting = firstDeploy("prod");
    expect(waiting.status, waiting.stderr + waiting.stdout).toBe(4);
    expect(waiting.stdout).toMatch(/approve its prod job: it copies that\s+same image/);
    // deploy-backend's deploy-prod job, with the outputs of the build job (dev's repository, D2).
    const sourceUri = `${configs.dev.account}.dkr.ecr.us-east-1.amazonaws.com/coleta-dev/api`;
    const promoted = cloud.run(".github/scripts/api-image.sh", ["promote", "prod", SHA2, D2, sourceUri]);
    expect(promoted.status, promoted.stderr).toBe(0);
    const first = cloud.run(".github/scripts/deploy-api.sh", ["prod", D2]);
    expect(first.outputs.mode).toBe("first-image");
    const done = firstDeploy("prod");
    expect(done.status, done.stderr + done.stdout).toBe(0);
    const app = deploys("prod").find((d) => d.stack === "Coleta-prod-App");
    expect(app?.image).toBe(`${configs.prod.account}.dkr.ecr.us-east-1.amazonaws.com/coleta-prod/api@${D2}`);
    expect(cloud.calls().filter((c) => c.tool === "docker" && c.args.includes("build"))).toEqual([]);
    expect(cloud.read().repositories["coleta-prod/api"]?.images).toEqual([{ digest: D2, tags: [SHA2] }]);
  });

  it("no deploy ever ran a certificate stack before its zone was delegated, or App without an image", () => {
    const state = cloud.read();
    for (const d of state.deploys) {
      const m = state.model.stacks[d.stack] as FakeStackModel;
      if (m.needsImageDigest) expect(d.context.apiImageDigest, d.stack).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    // (The fake cdk refuses both, so reaching here with exit 0 above proves the order.)
    expect(state.deploys.filter((d) => d.stack.endsWith("-App")).length).toBe(2);
  });
});

describe("docs/deploy.md walks the same order", () => {
  const doc = readFileSync(join(root, "docs/deploy.md"), "utf8");
  it("names the one command, and DNS delegation comes before the stacks with certificates", () => {
    expect(doc).toContain("bash infra/aws/scripts/first-deploy.sh dev");
    const at = (text: string) => {
      const i = doc.indexOf(text);
      expect(i, text).toBeGreaterThan(0);
      return i;
    };
    expect(at("Connect GitHub")).toBeLessThan(at("bash infra/aws/scripts/first-deploy.sh dev"));
    // The steps of the first deploy, in the order the script runs them.
    expect(at("NS record")).toBeLessThan(at("run the deploy-backend workflow"));
    expect(at("run the deploy-backend workflow")).toBeLessThan(
      at("`Coleta-dev-App` creates the ECS service"),
    );
    expect(at("Coleta-dev-Cicd")).toBeLessThan(at("`Coleta-dev-App` creates the ECS service"));
    expect(doc).toContain('oidcProvider: "import"');
    expect(doc).toContain("aws iam list-open-id-connect-providers");
    expect(doc).not.toMatch(/imageTag/);
  });
});
