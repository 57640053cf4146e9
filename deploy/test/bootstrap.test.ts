// The deploy scripts (.github/scripts, infra/aws/scripts/first-deploy.sh) run here against stand-ins
// of aws/docker/curl/cdk (lib/fake-cli): they must do the right calls in the right order and fail
// loudly, with what to do, whenever a precondition is missing. The whole first deploy against the
// synthesized stacks is walked in infra/aws/test/delivery.test.ts.
import { describe, expect, it } from "vitest";
import { digestOf, emptyState, FakeCloud, type FakeState } from "./lib/fake-cli.ts";

const ACCOUNT = "111111111111";
const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const PROD_ACCOUNT = "222222222222";
const SHA = "0123456789abcdef0123456789abcdef01234567";
const D1 = digestOf("first build");
const D2 = digestOf("second build");
const RELEASE = (env: string) => `/coleta/${env}/release/api-image-digest`;

/** dev after Data + Cicd (and optionally App): the SSM parameters the stacks write. */
function devParameters(env = "dev", account = ACCOUNT): Record<string, string> {
  const p = (name: string, value: string) => [`/coleta/${env}/deploy/${name}`, value] as const;
  return Object.fromEntries([
    p("ecr-repository-uri", `${account}.dkr.ecr.us-east-1.amazonaws.com/coleta-${env}/api`),
    p("ecr-repository-name", `coleta-${env}/api`),
    p("cluster-name", `coleta-${env}`),
    p("service-name", `coleta-${env}-api`),
    p("migration-task-family", `coleta-${env}-migrate`),
    p("migration-subnet-ids", "subnet-a,subnet-b"),
    p("migration-security-group-id", "sg-migrate"),
    p("api-log-group", `/coleta/${env}/api`),
    p("app-url", `https://${env}.coleta.example.com`),
  ]);
}

function taskDefinition(family: string, revision: number, container: string, image: string) {
  return {
    family,
    revision,
    taskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${family}:${revision}`,
    status: "ACTIVE",
    requiresAttributes: [],
    compatibilities: ["FARGATE"],
    registeredAt: "2025-01-01T00:00:00Z",
    cpu: "512",
    containerDefinitions: [{ name: container, image, essential: true }],
  };
}

/** dev with the service running `digest` (App deployed). */
function runningDev(digest = D1): FakeState {
  const image = `${REGISTRY}/coleta-dev/api@${digest}`;
  return emptyState({
    parameters: { ...devParameters(), [RELEASE("dev")]: digest },
    repositories: { "coleta-dev/api": { images: [{ digest, tags: [SHA.replace(/^0/, "f")] }] } },
    clusters: ["coleta-dev"],
    services: {
      "coleta-dev/coleta-dev-api": {
        name: "coleta-dev-api",
        status: "ACTIVE",
        taskDefinition: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/coleta-dev-api:3`,
      },
    },
    taskDefinitions: {
      "coleta-dev-api:3": taskDefinition("coleta-dev-api", 3, "api", image),
      "coleta-dev-migrate:3": taskDefinition("coleta-dev-migrate", 3, "migrate", image),
    },
    http: { "https://dev.coleta.example.com/backend/health/ready": 200 },
  });
}

const awsCalls = (cloud: FakeCloud) =>
  cloud
    .calls()
    .filter((c) => c.tool === "aws")
    .map((c) => c.args.slice(0, 2).join(" "));

describe("release-digest.sh (what infra.yml deploys the App stack with)", () => {
  it("prints the recorded digest", () => {
    const cloud = new FakeCloud(emptyState({ parameters: { [RELEASE("dev")]: D1 } }));
    const r = cloud.run(".github/scripts/release-digest.sh", ["dev"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(D1);
  });

  it("fails, never falls back to a tag, when nothing was released yet", () => {
    const cloud = new FakeCloud(emptyState());
    const r = cloud.run(".github/scripts/release-digest.sh", ["dev"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /::error::SSM parameter \/coleta\/dev\/release\/api-image-digest does not exist/,
    );
    expect(r.stderr).toMatch(/deploy-backend/);
    expect(r.stderr).toMatch(/first-deploy\.sh dev/);
  });

  it("fails on any other SSM error (access denied) instead of swallowing it", () => {
    const cloud = new FakeCloud(
      emptyState({
        parameters: { [RELEASE("prod")]: D1 },
        errors: { "ssm get-parameter": "AccessDeniedException: not authorized to perform ssm:GetParameter" },
      }),
    );
    const r = cloud.run(".github/scripts/release-digest.sh", ["prod"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/AccessDeniedException/);
  });

  it("refuses a value that is not a digest (a tag such as latest)", () => {
    const cloud = new FakeCloud(emptyState({ parameters: { [RELEASE("dev")]: "latest" } }));
    const r = cloud.run(".github/scripts/release-digest.sh", ["dev"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not an image digest/);
  });
});

describe("check-setup.sh (GitHub variables)", () => {
  const cloud = new FakeCloud(emptyState());
  const arn = `arn:aws:iam::${ACCOUNT}:role/coleta-dev-github-deploy-backend`;
  it("passes with role ARNs, fails with instructions when one is missing or wrong", () => {
    expect(
      cloud.run(".github/scripts/check-setup.sh", ["environment dev", "AWS_X_ROLE_ARN", arn]).status,
    ).toBe(0);
    const missing = cloud.run(".github/scripts/check-setup.sh", ["environment dev", "AWS_X_ROLE_ARN", ""]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/AWS_X_ROLE_ARN is not set \(environment dev\)/);
    const wrong = cloud.run(".github/scripts/check-setup.sh", [
      "repository",
      "AWS_X_ROLE_ARN",
      "arn:aws:iam::1:role/x",
    ]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/not the ARN of a Coleta GitHub role/);
  });
});

describe("api-image.sh: built once, by digest, promoted unchanged", () => {
  it("locate: nothing built yet → empty digest and the repository to push to", () => {
    const cloud = new FakeCloud(
      emptyState({ parameters: devParameters(), repositories: { "coleta-dev/api": { images: [] } } }),
    );
    const r = cloud.run(".github/scripts/api-image.sh", ["locate", "dev", SHA]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.outputs).toEqual({
      "repository-uri": `${REGISTRY}/coleta-dev/api`,
      "repository-name": "coleta-dev/api",
      digest: "",
    });
  });

  it("locate: this commit was built before → its digest (no rebuild, tags are immutable)", () => {
    const cloud = new FakeCloud(
      emptyState({
        parameters: devParameters(),
        repositories: { "coleta-dev/api": { images: [{ digest: D1, tags: [SHA] }] } },
      }),
    );
    const r = cloud.run(".github/scripts/api-image.sh", ["locate", "dev", SHA]);
    expect(r.outputs.digest).toBe(D1);
    expect(r.stderr).toMatch(/not rebuilt/);
  });

  it("locate: fails loudly before the Data/Cicd stacks exist, and on ECR errors", () => {
    const none = new FakeCloud(emptyState());
    const r = none.run(".github/scripts/api-image.sh", ["locate", "dev", SHA]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /\/coleta\/dev\/deploy\/ecr-repository-uri does not exist.*first-deploy\.sh dev/,
    );
    const denied = new FakeCloud(
      emptyState({
        parameters: devParameters(),
        repositories: { "coleta-dev/api": { images: [] } },
        errors: { "ecr describe-images": "AccessDeniedException: no" },
      }),
    );
    const d = denied.run(".github/scripts/api-image.sh", ["locate", "dev", SHA]);
    expect(d.status).toBe(1);
    expect(d.stderr).toMatch(/could not look up coleta-dev\/api.*AccessDeniedException/);
  });

  it("verify: the pushed tag must carry exactly the digest the build reported", () => {
    const cloud = new FakeCloud(
      emptyState({
        parameters: devParameters(),
        repositories: { "coleta-dev/api": { images: [{ digest: D1, tags: [SHA] }] } },
      }),
    );
    expect(cloud.run(".github/scripts/api-image.sh", ["verify", "dev", SHA, D1]).outputs.digest).toBe(D1);
    const other = cloud.run(".github/scripts/api-image.sh", ["verify", "dev", SHA, D2]);
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/image .* is not in the ECR repository coleta-dev\/api/);
    expect(cloud.run(".github/scripts/api-image.sh", ["verify", "dev", SHA, "latest"]).status).toBe(1);
  });

  /** api-image.sh promote prod: copies `digest` from dev's repository into prod's, tagged SHA. */
  const promote = (cloud: FakeCloud, digest: string) =>
    cloud.run(".github/scripts/api-image.sh", ["promote", "prod", SHA, digest, `${REGISTRY}/coleta-dev/api`]);

  const promotion = () =>
    new FakeCloud(
      emptyState({
        account: PROD_ACCOUNT,
        parameters: devParameters("prod", PROD_ACCOUNT),
        repositories: {
          "coleta-dev/api": { images: [{ digest: D1, tags: [SHA] }] },
          "coleta-prod/api": { images: [] },
        },
      }),
    );

  it("promote: copies dev's digest into prod's repository with the same tag, same digest", () => {
    const cloud = promotion();
    const r = promote(cloud, D1);
    expect(r.status, r.stderr).toBe(0);
    expect(r.outputs.digest).toBe(D1);
    expect(cloud.read().repositories["coleta-prod/api"]?.images).toEqual([{ digest: D1, tags: [SHA] }]);
    // Logged in to both registries (dev's is another account), then a carbon copy.
    expect(cloud.read().logins.sort()).toEqual(
      [REGISTRY, `${PROD_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`].sort(),
    );
    const copy = cloud.calls().find((c) => c.tool === "docker" && c.args[1] === "imagetools");
    expect(copy?.args).toContain("--prefer-index=false");
    expect(cloud.calls().some((c) => c.tool === "docker" && c.args.includes("build"))).toBe(false);
    // A re-run finds it there and changes nothing.
    const again = promote(cloud, D1);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/promoted before/);
  });

  it("promote: refuses a different image under an existing tag, or a digest dev does not have", () => {
    const cloud = promotion();
    cloud.update((s) => {
      s.repositories["coleta-prod/api"] = { images: [{ digest: D2, tags: [SHA] }] };
    });
    const r = promote(cloud, D1);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/already exists as .* Tags are immutable/);
    const missing = promote(promotion(), D2);
    expect(missing.status).toBe(1);
  });
});

describe("deploy-api.sh: migrate, roll out, record", () => {
  it("first deploy (no ECS service yet): records the image and says how to continue, touches no ECS", () => {
    const cloud = new FakeCloud(
      emptyState({
        parameters: devParameters(),
        repositories: { "coleta-dev/api": { images: [{ digest: D1, tags: [SHA] }] } },
      }),
    );
    const r = cloud.run(".github/scripts/deploy-api.sh", ["dev", D1]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.outputs.mode).toBe("first-image");
    expect(cloud.read().parameters[RELEASE("dev")]).toBe(D1);
    expect(r.stderr).toMatch(/first-deploy\.sh dev/);
    expect(r.summary).toMatch(/First image/);
    expect(awsCalls(cloud).filter((c) => /register-task-definition|run-task|update-service/.test(c))).toEqual(
      [],
    );
  });

  it("deploys: revisions pin <repository>@<digest>, migrations run first, then the rollout, then the record", () => {
    const cloud = new FakeCloud(runningDev(D1));
    cloud.update((s) => {
      s.repositories["coleta-dev/api"]?.images.push({ digest: D2, tags: [SHA] });
    });
    const r = cloud.run(".github/scripts/deploy-api.sh", ["dev", D2]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.outputs.mode).toBe("deployed");
    const state = cloud.read();
    const image = `${REGISTRY}/coleta-dev/api@${D2}`;
    expect(state.taskDefinitions["coleta-dev-api:4"]?.containerDefinitions[0]?.image).toBe(image);
    expect(state.taskDefinitions["coleta-dev-migrate:4"]?.containerDefinitions[0]?.image).toBe(image);
    expect(state.taskDefinitions["coleta-dev-api:4"]?.cpu).toBe("512"); // everything else copied
    expect(Object.values(state.tasks).map((t) => t.image)).toEqual([image]);
    expect(state.services["coleta-dev/coleta-dev-api"]?.taskDefinition).toMatch(/coleta-dev-api:4$/);
    expect(state.parameters[RELEASE("dev")]).toBe(D2);
    const calls = awsCalls(cloud);
    const at = (c: string) => calls.indexOf(c);
    expect(at("ecs run-task")).toBeGreaterThan(at("ecs register-task-definition"));
    expect(at("ecs update-service")).toBeGreaterThan(at("ecs run-task"));
    expect(calls.lastIndexOf("ssm put-parameter")).toBeGreaterThan(at("ecs update-service"));
    const runTask = cloud.calls().find((c) => c.args[1] === "run-task")?.args ?? [];
    expect(runTask.join(" ")).toMatch(
      /"subnets":\["subnet-a","subnet-b"\],"securityGroups":\["sg-migrate"\]/,
    );
  });

  it("failed migrations stop before the rollout; the released digest stays the old one", () => {
    const cloud = new FakeCloud({ ...runningDev(D1), migrationExitCode: 3 });
    cloud.update((s) => {
      s.repositories["coleta-dev/api"]?.images.push({ digest: D2, tags: [SHA] });
    });
    const r = cloud.run(".github/scripts/deploy-api.sh", ["dev", D2]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Migrations failed \(exit 3\)\. The service was NOT updated/);
    expect(awsCalls(cloud)).not.toContain("ecs update-service");
    expect(cloud.read().parameters[RELEASE("dev")]).toBe(D1);
  });

  it("a circuit-breaker rollback fails the deploy and does not record the new digest", () => {
    const cloud = new FakeCloud({ ...runningDev(D1), rollback: true });
    cloud.update((s) => {
      s.repositories["coleta-dev/api"]?.images.push({ digest: D2, tags: [SHA] });
    });
    const r = cloud.run(".github/scripts/deploy-api.sh", ["dev", D2]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ECS rolled back to .*coleta-dev-api:3/);
    expect(cloud.read().parameters[RELEASE("dev")]).toBe(D1);
  });

  it("refuses an image that is not in the environment's repository, before touching anything", () => {
    const cloud = new FakeCloud(runningDev(D1));
    const r = cloud.run(".github/scripts/deploy-api.sh", ["dev", D2]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/is not in coleta-dev\/api: build or promote it first/);
    expect(awsCalls(cloud).filter((c) => c.startsWith("ecs "))).toEqual([]);
  });

  it("fails when the service cannot be described for another reason (no silent first-image mode)", () => {
    const cloud = new FakeCloud({
      ...runningDev(D1),
      errors: { "ecs describe-services": "AccessDeniedException: not allowed" },
    });
    const r = cloud.run(".github/scripts/deploy-api.sh", ["dev", D1]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/could not describe the ECS service.*AccessDeniedException/);
  });
});

describe("first-deploy.sh: fails before deploying anything when the account is not the configured one", () => {
  it("wrong credentials", () => {
    const cloud = new FakeCloud(emptyState({ account: "999999999999" }));
    const r = cloud.run("infra/aws/scripts/first-deploy.sh", ["dev"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /credentials are for account 999999999999, but infra\/aws\/config\/dev\.ts says account 111111111111/,
    );
    expect(cloud.calls().filter((c) => c.tool === "cdk")).toEqual([]);
  });

  it("no credentials", () => {
    const cloud = new FakeCloud(emptyState({ account: null }));
    const r = cloud.run("infra/aws/scripts/first-deploy.sh", ["dev"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no usable AWS credentials.*aws sso login/s);
  });

  it("GitHub's OIDC provider already exists but the config says create → says to import it", () => {
    const cloud = new FakeCloud(
      emptyState({
        parameters: { "/cdk-bootstrap/hnb659fds/version": "30" },
        oidcProviders: [
          {
            arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
            clientIds: ["sts.amazonaws.com"],
          },
        ],
      }),
    );
    const r = cloud.run("infra/aws/scripts/first-deploy.sh", ["dev"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/already has GitHub's OIDC provider .* Set github\.oidcProvider: "import"/);
    expect(cloud.calls().filter((c) => c.tool === "cdk")).toEqual([]);
  });
});
