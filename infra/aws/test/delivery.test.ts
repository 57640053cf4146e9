// First deploy and delivery, as template assertions: stack order and dependencies, image pinned by
// digest, ECR tags immutable, who may assume which GitHub role, OIDC provider import, promotion
// dev → prod. The documented first deploy itself is walked, against these synthesized stacks, in
// delivery-first-deploy.test.ts.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { App, type Stack } from "aws-cdk-lib";
import { Annotations, Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { configs, type EnvName } from "../config/index.js";
import { addColetaEnvironment, type ColetaStacks } from "../lib/coleta.js";
import { deployTargetNames, githubRoleNames } from "../lib/constructs/github-deploy.js";
import { releaseParameterName } from "../lib/image.js";
import { resources, type Synthesized, synthEnv, TEST_IMAGE_DIGEST } from "./helpers.js";

type Json = Record<string, unknown>;
const infraDir = fileURLToPath(new URL("..", import.meta.url));
const synthesized: Partial<Record<EnvName, Synthesized>> = {};
let withoutImage: ColetaStacks;
let importProvider: Synthesized;

beforeAll(() => {
  synthesized.dev = synthEnv("dev");
  synthesized.prod = synthEnv("prod");
  withoutImage = addColetaEnvironment(new App(), configs.dev);
  importProvider = synthEnv("dev", undefined, {
    ...configs.dev,
    github: { ...configs.dev.github, oidcProvider: "import" },
  });
});
const get = (env: EnvName) => synthesized[env] as Synthesized;
const envs: EnvName[] = ["dev", "prod"];

const allDependencies = (stack: Stack): string[] => {
  const seen = new Set<string>();
  const visit = (s: Stack) => {
    for (const d of s.dependencies) {
      if (!seen.has(d.stackName)) {
        seen.add(d.stackName);
        visit(d);
      }
    }
  };
  visit(stack);
  return [...seen].sort();
};

describe.each(envs)("%s: stack order", (env) => {
  it("is Network → Data → Cicd → App → Edge → Monitoring, and Cicd needs neither App nor Edge", () => {
    const { stacks } = get(env);
    const p = `Coleta-${env}`;
    expect(Object.values(stacks).map((s) => s.stackName)).toEqual(
      ["Network", "Data", "Cicd", "App", "Edge", "Monitoring"].map((n) => `${p}-${n}`),
    );
    expect(allDependencies(stacks.cicd)).toEqual([`${p}-Data`, `${p}-Network`]);
    expect(allDependencies(stacks.app)).toEqual([`${p}-Data`, `${p}-Network`]);
    expect(allDependencies(stacks.edge)).toEqual([`${p}-App`, `${p}-Cicd`, `${p}-Data`, `${p}-Network`]);
    const cicd = JSON.stringify(get(env).templates.cicd.toJSON());
    expect(cicd).not.toMatch(new RegExp(`${p}-(App|Edge|Monitoring)`));
  });

  it("certificates (DNS-validated in the public zone) are only in App and Edge, after the delegation step", () => {
    const withCertificates = Object.entries(get(env).templates)
      .filter(([, t]) => Object.keys(resources(t, "AWS::CertificateManager::Certificate")).length > 0)
      .map(([key]) => key);
    expect(withCertificates.sort()).toEqual(["app", "edge"]);
  });
});

describe.each(envs)("%s: the API image", (env) => {
  const images = (t: Template) =>
    Object.values(resources(t, "AWS::ECS::TaskDefinition")).map((r) =>
      JSON.stringify(((r.Properties?.ContainerDefinitions ?? []) as Json[])[0]?.Image),
    );

  it("every task definition pins <repository>@<digest>, never a tag", () => {
    const found = images(get(env).templates.app);
    // The API service, the migration task and the scheduled lake export.
    expect(found).toHaveLength(3);
    for (const image of found) {
      expect(image).toContain(`/",{"Fn::GetStackOutput"`.slice(0, 3)); // the repository URI…
      expect(image.endsWith(`"@${TEST_IMAGE_DIGEST}"]]}`), image).toBe(true); // …then @digest
      expect(image).not.toMatch(/:latest|"[^"]*:[0-9a-f]{40}"/);
    }
  });

  it("refuses a tag at synth: `latest` (or any tag) throws, for prod and dev alike", () => {
    for (const tag of ["latest", "0123456789abcdef0123456789abcdef01234567", "sha256:abc"]) {
      expect(() => addColetaEnvironment(new App(), configs[env], { apiImageDigest: tag })).toThrow(
        /must be a digest "sha256:<64 hex>"/,
      );
    }
  });

  it("keeps ECR tags immutable", () => {
    get(env).templates.data.hasResourceProperties("AWS::ECR::Repository", {
      RepositoryName: `coleta-${env}/api`,
      ImageTagMutability: "IMMUTABLE",
    });
  });
});

describe("bin/coleta.ts (what `cdk synth`/`cdk deploy` run)", () => {
  const synth = (context: Json) =>
    spawnSync("npx", ["tsx", "bin/coleta.ts"], {
      cwd: infraDir,
      encoding: "utf8",
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: "/tmp/coleta-bin-test" },
    });

  it("fails the whole synth of prod with -c apiImageDigest=latest, and with the old -c imageTag", () => {
    const latest = synth({ env: "prod", apiImageDigest: "latest" });
    expect(latest.status).not.toBe(0);
    expect(latest.stderr).toMatch(/Coleta prod: the API image must be a digest/);
    const old = synth({ env: "prod", imageTag: "latest" });
    expect(old.status).not.toBe(0);
    expect(old.stderr).toMatch(/-c imageTag is gone/);
  });
});

describe("without an image digest (before the first image exists)", () => {
  it("only the App stack carries an error (so `cdk deploy` of Network, Data and Cicd works; App cannot)", () => {
    for (const [key, stack] of Object.entries(withoutImage)) {
      const errors = Annotations.fromStack(stack).findError("*", Match.anyValue());
      if (key === "app") {
        expect(errors).toHaveLength(1);
        expect(JSON.stringify(errors[0]?.entry.data)).toMatch(
          /No API image for Coleta-dev-App.*\/coleta\/dev\/release\/api-image-digest/,
        );
      } else {
        // Edge and Monitoring depend on App, so a deploy of them fails too (the CLI selects App).
        expect(errors, key).toEqual([]);
      }
    }
  });
});

describe("GitHub roles", () => {
  const trust = (t: Template) =>
    Object.values(resources(t, "AWS::IAM::Role"))
      .filter((r) => String(r.Properties?.RoleName).includes("-github-"))
      .map((r) => {
        const statements = ((r.Properties?.AssumeRolePolicyDocument ?? {}) as Json).Statement as Json[];
        expect(statements).toHaveLength(1);
        const condition = (statements[0] as Json).Condition as Json;
        return {
          name: String(r.Properties?.RoleName),
          condition,
          principal: (statements[0] as Json).Principal,
        };
      });

  it.each(envs)(
    "%s: deploy roles trust only the protected environment; the diff role only pull requests",
    (env) => {
      const repo = configs[env].github.repository;
      const roles = trust(get(env).templates.cicd);
      expect(roles.map((r) => r.name).sort()).toEqual(Object.values(githubRoleNames(env)).sort());
      for (const role of roles) {
        const expectedSub =
          role.name === githubRoleNames(env).diff
            ? `repo:${repo}:pull_request`
            : `repo:${repo}:environment:${env}`;
        // Exact match (StringEquals, one subject), no StringLike/wildcards.
        expect(role.condition, role.name).toEqual({
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": [expectedSub],
          },
        });
      }
    },
  );

  const policy = (env: EnvName, roleName: string) => {
    const t = get(env).templates.cicd;
    const id = Object.entries(resources(t, "AWS::IAM::Role")).find(
      ([, r]) => r.Properties?.RoleName === roleName,
    )?.[0] as string;
    return Object.values(resources(t, "AWS::IAM::Policy"))
      .filter((p) => JSON.stringify(p.Properties?.Roles).includes(id))
      .flatMap((p) => ((p.Properties?.PolicyDocument ?? {}) as Json).Statement as Json[]);
  };

  it.each(envs)(
    "%s: the diff role is read-only (templates of this environment, the released digest)",
    (env) => {
      const statements = policy(env, githubRoleNames(env).diff);
      const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
      expect(actions.sort()).toEqual([
        "cloudformation:DescribeStacks",
        "cloudformation:GetTemplate",
        "cloudformation:ListStackResources",
        "ssm:GetParameter",
      ]);
      const res = JSON.stringify(statements.map((s) => s.Resource));
      expect(res).toContain(`stack/Coleta-${env}-*/*`);
      expect(res).toContain(`parameter${releaseParameterName(env)}`);
    },
  );

  it.each(envs)("%s: only deploy-backend may write the released digest; no stack creates it", (env) => {
    const writers = Object.values(githubRoleNames(env)).filter((role) =>
      policy(env, role).some((s) => [s.Action].flat().includes("ssm:PutParameter")),
    );
    expect(writers).toEqual([githubRoleNames(env).deployBackend]);
    for (const t of Object.values(get(env).templates)) {
      const names = Object.values(resources(t, "AWS::SSM::Parameter")).map((p) => p.Properties?.Name);
      expect(names).not.toContain(releaseParameterName(env));
    }
  });

  it("prod's deploy-backend role may read dev's repository, and dev's repository lets it (cross-account)", () => {
    const read = policy("prod", githubRoleNames("prod").deployBackend).find(
      (s) => s.Sid === "ReadPromotedImages",
    );
    expect(read?.Resource).toEqual(`arn:aws:ecr:us-east-1:${configs.dev.account}:repository/coleta-dev/api`);
    get("dev").templates.data.hasResourceProperties("AWS::ECR::Repository", {
      RepositoryPolicyText: {
        Statement: [
          Match.objectLike({
            Principal: { AWS: Match.stringLikeRegexp(`:iam::${configs.prod.account}:root$`) },
            Condition: {
              ArnEquals: {
                "aws:PrincipalArn": `arn:aws:iam::${configs.prod.account}:role/coleta-prod-github-deploy-backend`,
              },
            },
          }),
        ],
      },
    });
    // Nobody promotes from prod.
    const prodRepo = Object.values(resources(get("prod").templates.data, "AWS::ECR::Repository"))[0];
    expect(prodRepo?.Properties?.RepositoryPolicyText).toBeUndefined();
  });

  it("imports GitHub's OIDC provider when configured: no provider resource, roles trust the account's one", () => {
    const t = importProvider.templates.cicd;
    t.resourceCountIs("AWS::IAM::OIDCProvider", 0);
    t.resourceCountIs("Custom::AWSCDKOpenIdConnectProvider", 0);
    const principals = JSON.stringify(trust(t).map((r) => r.principal));
    expect(principals).toContain(":iam::111111111111:oidc-provider/token.actions.githubusercontent.com");
    get("dev").templates.cicd.resourceCountIs("AWS::IAM::OIDCProvider", 1);
  });

  it.each(envs)("%s: the Cicd stack's literal names are the App stack's resources", (env) => {
    const { templates } = get(env);
    const names = deployTargetNames(env);
    for (const role of [names.taskRoleName, names.migrationTaskRoleName, names.executionRoleName]) {
      templates.app.hasResourceProperties("AWS::IAM::Role", { RoleName: role });
    }
    templates.app.hasResourceProperties("AWS::ECS::Cluster", { ClusterName: names.clusterName });
    templates.app.hasResourceProperties("AWS::ECS::Service", { ServiceName: names.serviceName });
    templates.app.hasResourceProperties("AWS::ECS::TaskDefinition", { Family: names.apiTaskFamily });
    templates.app.hasResourceProperties("AWS::ECS::TaskDefinition", { Family: names.migrationTaskFamily });
    templates.app.hasResourceProperties("AWS::Logs::LogGroup", { LogGroupName: names.logGroupName });
  });

  it.each(envs)("%s: the Edge stack grants the invalidation and publishes distribution-id", (env) => {
    const t = get(env).templates.edge;
    t.hasResourceProperties("AWS::SSM::Parameter", { Name: `/coleta/${env}/deploy/distribution-id` });
    t.hasResourceProperties("AWS::IAM::Policy", {
      Roles: [githubRoleNames(env).deployFrontend],
      PolicyDocument: {
        Statement: [Match.objectLike({ Action: Match.arrayWith(["cloudfront:CreateInvalidation"]) })],
      },
    });
    expect(t.toJSON().Outputs).toHaveProperty("DistributionId");
  });
});
