// Stand-ins for `aws`, `docker`, `curl` and `cdk`, for running the deploy scripts here (no AWS
// account, no Docker engine, no network). One JSON file (FAKE_STATE) is the "cloud": every call
// reads and updates it; every call is appended to FAKE_LOG. Responses have the AWS APIs' JSON
// shapes and `--query` is real JMESPath, so the scripts' queries are exercised as written.
//   node fake.mjs <aws|docker|curl|cdk> <args...>      (bin wrappers: deploy/test/lib/fake-cli.ts)
import { createHash } from "node:crypto";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const jmespath = createRequire(import.meta.url)("jmespath");
const [tool, ...args] = process.argv.slice(2);
const statePath = process.env.FAKE_STATE;
if (!statePath) throw new Error("FAKE_STATE is not set");
const state = JSON.parse(readFileSync(statePath, "utf8"));
const save = () => writeFileSync(statePath, JSON.stringify(state, null, 2));
if (process.env.FAKE_LOG) appendFileSync(process.env.FAKE_LOG, `${JSON.stringify({ tool, args })}\n`);

const sha = (text) => `sha256:${createHash("sha256").update(text).digest("hex")}`;
const exit = (code, stderr) => {
  if (stderr) process.stderr.write(`${stderr}\n`);
  save();
  process.exit(code);
};

/** --name value pairs; flags without a value are true. */
function options(list, flags = []) {
  const out = { _: [] };
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    if (a.startsWith("--")) {
      const [key, inline] = a.slice(2).split(/=(.*)/s);
      if (inline !== undefined) out[key] = inline;
      else if (flags.includes(key)) out[key] = true;
      else out[key] = list[++i];
    } else if (a === "-c") {
      out.context = [...(out.context ?? []), list[++i]];
    } else out._.push(a);
  }
  return out;
}

// --- aws ---------------------------------------------------------------------------------------
function awsText(value) {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value !== "object") return String(value);
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) return value.map(awsText).join("\t");
    return value.map(awsText).join("\n");
  }
  return Object.values(value).map(awsText).join("\t");
}

class AwsError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const operationName = (op) =>
  op
    .split("-")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");

function repositoryOf(name) {
  const repo = state.repositories?.[name];
  if (!repo)
    throw new AwsError("RepositoryNotFoundException", `The repository with name '${name}' does not exist`);
  return repo;
}

function findTaskDefinition(ref) {
  const key = ref.includes("task-definition/") ? ref.split("task-definition/")[1] : ref;
  if (state.taskDefinitions[key]) return state.taskDefinitions[key];
  const revisions = Object.values(state.taskDefinitions).filter((td) => td.family === key);
  if (revisions.length > 0) return revisions.sort((a, b) => b.revision - a.revision)[0];
  throw new AwsError("ClientException", `Unable to describe task definition ${ref}.`);
}

function serviceOf(cluster, name) {
  if (!state.clusters?.includes(cluster))
    throw new AwsError("ClusterNotFoundException", "Cluster not found.");
  return state.services[`${cluster}/${name}`];
}

function aws(service, op, o) {
  const injected = state.errors?.[`${service} ${op}`];
  if (injected) {
    const [code, ...rest] = injected.split(": ");
    throw new AwsError(code, rest.join(": ") || "injected");
  }
  const key = `${service} ${op}`;
  switch (key) {
    case "sts get-caller-identity":
      if (!state.account)
        throw new AwsError("ExpiredToken", "The security token included in the request is expired");
      return { UserId: "AIDA", Account: state.account, Arn: `arn:aws:iam::${state.account}:user/admin` };
    case "ssm get-parameter": {
      if (!(o.name in state.parameters))
        throw new AwsError("ParameterNotFound", `Parameter ${o.name} not found.`);
      return { Parameter: { Name: o.name, Type: "String", Value: state.parameters[o.name], Version: 1 } };
    }
    case "ssm put-parameter": {
      if (o.name in state.parameters && !o.overwrite)
        throw new AwsError("ParameterAlreadyExists", "The parameter already exists.");
      state.parameters[o.name] = o.value;
      return { Version: 2, Tier: "Standard" };
    }
    case "iam list-open-id-connect-providers":
      return {
        OpenIDConnectProviderList: state.oidcProviders
          .filter((p) => p.arn.includes(`::${state.account}:`))
          .map((p) => ({ Arn: p.arn })),
      };
    case "iam get-open-id-connect-provider": {
      const p = state.oidcProviders.find((x) => x.arn === o["open-id-connect-provider-arn"]);
      if (!p) throw new AwsError("NoSuchEntity", "OpenIDConnect Provider not found");
      return { Url: "token.actions.githubusercontent.com", ClientIDList: p.clientIds, ThumbprintList: [] };
    }
    case "cloudformation describe-stack-resources": {
      const stack = state.stacks[o["stack-name"]];
      if (!stack) throw new AwsError("ValidationError", `Stack with id ${o["stack-name"]} does not exist`);
      return {
        StackResources: stack.resources.map((r) => ({
          StackName: o["stack-name"],
          LogicalResourceId: r.logicalId ?? r.type.replace(/\W/g, ""),
          PhysicalResourceId: r.physicalId,
          ResourceType: r.type,
          ResourceStatus: "CREATE_COMPLETE",
        })),
      };
    }
    case "route53 list-hosted-zones-by-name":
      return {
        HostedZones: state.hostedZones.map((z) => ({
          Id: z.id,
          Name: z.name,
          Config: { PrivateZone: z.private },
        })),
        DNSName: o["dns-name"],
        IsTruncated: false,
      };
    case "route53 get-hosted-zone": {
      const id = o.id.startsWith("/hostedzone/") ? o.id : `/hostedzone/${o.id}`;
      const z = state.hostedZones.find((x) => x.id === id);
      if (!z) throw new AwsError("NoSuchHostedZone", `No hosted zone found with ID: ${o.id}`);
      return {
        HostedZone: { Id: z.id, Name: z.name, Config: { PrivateZone: z.private } },
        ...(z.private ? {} : { DelegationSet: { NameServers: z.nameServers } }),
      };
    }
    case "ecr describe-images": {
      const repo = repositoryOf(o["repository-name"]);
      const [idKey, idValue] = String(o["image-ids"]).split(/=(.*)/s);
      const image = repo.images.find((i) =>
        idKey === "imageTag" ? i.tags.includes(idValue) : i.digest === idValue,
      );
      if (!image)
        throw new AwsError(
          "ImageNotFoundException",
          `The image with imageId {${idKey}:'${idValue}'} does not exist within the repository with name '${o["repository-name"]}'`,
        );
      return {
        imageDetails: [
          { repositoryName: o["repository-name"], imageDigest: image.digest, imageTags: image.tags },
        ],
      };
    }
    case "ecr get-login-password":
      return { __raw: `fake-ecr-token-for-${state.account}` };
    case "ecs describe-services": {
      const s = serviceOf(o.cluster, o.services);
      if (!s) return { services: [], failures: [{ arn: o.services, reason: "MISSING" }] };
      return {
        services: [{ serviceName: s.name, status: s.status, taskDefinition: s.taskDefinition }],
        failures: [],
      };
    }
    case "ecs describe-task-definition":
      return { taskDefinition: findTaskDefinition(o["task-definition"]) };
    case "ecs register-task-definition": {
      const input = JSON.parse(readFileSync(String(o["cli-input-json"]).replace(/^file:\/\//, ""), "utf8"));
      for (const k of ["taskDefinitionArn", "revision", "status", "registeredAt"])
        if (k in input) throw new AwsError("ParamValidation", `Unknown parameter in input: "${k}"`);
      const revision =
        Math.max(
          0,
          ...Object.values(state.taskDefinitions)
            .filter((t) => t.family === input.family)
            .map((t) => t.revision),
        ) + 1;
      const arn = `arn:aws:ecs:us-east-1:${state.account}:task-definition/${input.family}:${revision}`;
      const td = { ...input, revision, taskDefinitionArn: arn, status: "ACTIVE" };
      state.taskDefinitions[`${input.family}:${revision}`] = td;
      return { taskDefinition: td };
    }
    case "ecs run-task": {
      const td = findTaskDefinition(o["task-definition"]);
      const net = JSON.parse(o["network-configuration"]);
      if (!net.awsvpcConfiguration?.subnets?.length || !net.awsvpcConfiguration?.securityGroups?.[0])
        throw new AwsError("InvalidParameterException", "subnets and security groups are required");
      const id = createHash("sha1").update(`${Date.now()}${Math.random()}`).digest("hex").slice(0, 32);
      const taskArn = `arn:aws:ecs:us-east-1:${state.account}:task/${o.cluster}/${id}`;
      state.tasks[taskArn] = {
        exitCode: state.migrationExitCode ?? 0,
        image: td.containerDefinitions[0].image,
        taskDefinitionArn: td.taskDefinitionArn,
      };
      return { tasks: [{ taskArn }], failures: [] };
    }
    case "ecs describe-tasks": {
      const t = state.tasks[o.tasks];
      return {
        tasks: [
          {
            taskArn: o.tasks,
            stoppedReason: "Essential container in task exited",
            containers: [{ name: "migrate", exitCode: t.exitCode }],
          },
        ],
      };
    }
    case "logs get-log-events":
      return { events: [{ message: "migrations: up to date" }] };
    case "ecs update-service": {
      const s = serviceOf(o.cluster, o.service);
      if (!s) throw new AwsError("ServiceNotFoundException", "Service not found.");
      findTaskDefinition(o["task-definition"]);
      state.deployments = [
        ...(state.deployments ?? []),
        { service: s.name, taskDefinition: o["task-definition"] },
      ];
      if (!state.rollback) s.taskDefinition = o["task-definition"];
      return { service: { serviceName: s.name } };
    }
    case "ecs wait":
      return { __raw: "" };
    default:
      throw new AwsError("FakeNotImplemented", `fake aws does not know "${key}"`);
  }
}

function runAws() {
  const [service, op, ...rest] = args;
  const o = options(rest, ["overwrite", "force-new-deployment", "no-cli-pager"]);
  if (service === "ecs" && op === "wait") return exit(0);
  try {
    let result = aws(service, op, o);
    if (result?.__raw !== undefined) {
      process.stdout.write(`${result.__raw}\n`);
      return exit(0);
    }
    if (o.query) result = jmespath.search(result, o.query);
    process.stdout.write(`${o.output === "text" ? awsText(result) : JSON.stringify(result, null, 2)}\n`);
    exit(0);
  } catch (e) {
    if (!(e instanceof AwsError)) throw e;
    exit(
      254,
      `\nAn error occurred (${e.code}) when calling the ${operationName(op)} operation: ${e.message}`,
    );
  }
}

// --- docker ------------------------------------------------------------------------------------
const repoFromUri = (uri) => uri.split("/").slice(1).join("/");
const registryOf = (uri) => uri.split("/")[0];

function runDocker() {
  if (args[0] === "login") {
    const o = options(args.slice(1), ["password-stdin"]);
    const password = readFileSync(0, "utf8").trim();
    if (!password.startsWith("fake-ecr-token")) exit(1, "Error response from daemon: login attempt failed");
    state.logins = [...new Set([...(state.logins ?? []), o._[0]])];
    process.stdout.write("Login Succeeded\n");
    return exit(0);
  }
  if (args[0] === "buildx" && args[1] === "imagetools" && args[2] === "create") {
    const o = options(args.slice(3), []);
    const [source] = o._;
    const [sourceUri, digest] = source.split("@");
    const [targetUri, tag] = o.tag.split(/:(?=[^:/]+$)/);
    for (const uri of [sourceUri, targetUri])
      if (!state.logins?.includes(registryOf(uri)))
        exit(1, `ERROR: ${registryOf(uri)}: unauthorized (docker login first)`);
    const from = state.repositories?.[repoFromUri(sourceUri)]?.images.find((i) => i.digest === digest);
    if (!from) exit(1, `ERROR: ${source}: not found`);
    const target = state.repositories?.[repoFromUri(targetUri)];
    if (!target) exit(1, `ERROR: ${targetUri}: repository does not exist`);
    if (target.images.some((i) => i.tags.includes(tag)))
      exit(
        1,
        `ERROR: tag invalid: The image tag '${tag}' already exists in the '${repoFromUri(targetUri)}' repository and cannot be overwritten because the repository is immutable.`,
      );
    // Without --prefer-index=false, buildx wraps a single manifest in a new index: a new digest.
    const copied = o["prefer-index"] === "false" ? digest : sha(`index of ${digest}`);
    const existing = target.images.find((i) => i.digest === copied);
    if (existing) existing.tags.push(tag);
    else target.images.push({ digest: copied, tags: [tag] });
    process.stdout.write(`pushed ${targetUri}:${tag}@${copied}\n`);
    return exit(0);
  }
  exit(1, `fake docker does not know: docker ${args.join(" ")}`);
}

// --- curl --------------------------------------------------------------------------------------
function runCurl() {
  const url = args.filter((a) => /^https?:\/\//.test(a)).at(-1);
  const writeOut = args.includes("-w") ? args[args.indexOf("-w") + 1] : undefined;
  const failOnHttp = args.some((a) => /^-[a-zA-Z]*f/.test(a));
  const dns = url.match(/^https:\/\/dns\.google\/resolve\?name=([^&]+)&type=NS$/);
  if (dns) {
    const ns = state.publicNs?.[dns[1]];
    const answer = ns ? { Answer: ns.map((data) => ({ name: `${dns[1]}.`, type: 2, TTL: 300, data })) } : {};
    process.stdout.write(JSON.stringify({ Status: 0, ...answer }));
    return exit(0);
  }
  const code = state.http?.[url] ?? 404;
  if (writeOut) process.stdout.write(writeOut.replace("%{http_code}", String(code)));
  if (failOnHttp && code >= 400) exit(22, `curl: (22) The requested URL returned error: ${code}`);
  exit(0);
}

// --- cdk (deploy/bootstrap, modelled on the synthesized stacks: state.model) -------------------
function runCdk() {
  const [command, ...rest] = args;
  const o = options(rest, ["all", "exclusively"]);
  const context = Object.fromEntries((o.context ?? []).map((kv) => kv.split(/=(.*)/s)));
  if (command === "bootstrap") {
    state.parameters["/cdk-bootstrap/hnb659fds/version"] = "30";
    state.bootstrapped = [...(state.bootstrapped ?? []), o._[0]];
    return exit(0);
  }
  if (command !== "deploy") exit(1, `fake cdk does not know: cdk ${args.join(" ")}`);
  if (o["require-approval"] !== "never")
    exit(1, "fake cdk: an unattended deploy needs --require-approval never");
  const env = context.env ?? "dev";
  const model = state.model.stacks;
  const all = Object.keys(model).filter((name) => name.startsWith(`Coleta-${env}-`));
  let selected = o.all ? all : o._;
  for (const name of selected) if (!model[name]) exit(1, `No stack found matching '${name}'`);
  if (!o.exclusively) {
    const withDeps = new Set();
    const add = (n) => {
      for (const d of model[n].dependencies) add(d);
      withDeps.add(n);
    };
    for (const n of selected) add(n);
    selected = [...withDeps];
  }
  // Like the CLI: every selected stack is validated (error annotations) before any is deployed.
  for (const name of selected) {
    if (model[name].needsImageDigest && !context.apiImageDigest)
      exit(
        1,
        `[Error at /${name}] No API image for ${name}: deploy it with -c apiImageDigest=sha256:<digest>\nFound errors`,
      );
  }
  const order = all.filter((n) => selected.includes(n)); // model order is the dependency order
  for (const name of order) {
    const m = model[name];
    for (const d of m.dependencies)
      if (!state.stacks[d] && !order.slice(0, order.indexOf(name)).includes(d))
        exit(1, `${name}: dependency ${d} is not deployed`);
    const event = { stack: name, context };
    if (m.certificates) {
      const zone = state.hostedZones.find((z) => !z.private && z.name === `${m.domain}.`);
      const norm = (list) =>
        [...new Set(list.map((n) => n.toLowerCase().replace(/\.$/, "")))].sort().join(",");
      if (!zone || norm(state.publicNs?.[m.domain] ?? []) !== norm(zone.nameServers))
        exit(
          1,
          `${name}: CREATE_IN_PROGRESS AWS::CertificateManager::Certificate ... the DNS validation never completes: ${m.domain} is not delegated to its zone (the fake stops here instead of hanging)`,
        );
    }
    if (m.publicZone && !state.hostedZones.some((z) => z.name === `${m.domain}.` && !z.private)) {
      const id = `/hostedzone/Z${name.length}PUBLIC`;
      state.hostedZones.push({
        id,
        name: `${m.domain}.`,
        private: false,
        nameServers: m.publicZone.nameServers,
      });
      state.hostedZones.push({
        id: `/hostedzone/Z${name.length}PRIVATE`,
        name: `${m.domain}.`,
        private: true,
        nameServers: [],
      });
    }
    const resources = [];
    if (m.oidcProvider) {
      const arn = `arn:aws:iam::${state.account}:oidc-provider/token.actions.githubusercontent.com`;
      const ours = state.stacks[name]?.resources.some((r) => r.type === "AWS::IAM::OIDCProvider");
      if (!ours && state.oidcProviders.some((p) => p.arn === arn))
        exit(
          1,
          `${name}: CREATE_FAILED AWS::IAM::OIDCProvider: Provider with url https://token.actions.githubusercontent.com already exists. (ROLLBACK_COMPLETE)`,
        );
      if (!ours) state.oidcProviders.push({ arn, clientIds: ["sts.amazonaws.com"] });
      resources.push({ type: "AWS::IAM::OIDCProvider", physicalId: arn });
    }
    for (const repo of m.repositories ?? []) state.repositories[repo] ??= { images: [] };
    if (m.service) {
      const { cluster, name: service, family, migrationFamily, repository, repositoryUri } = m.service;
      const digest = context.apiImageDigest;
      if (!state.repositories[repository]?.images.some((i) => i.digest === digest))
        exit(
          1,
          `${name}: the ECS service never stabilizes (CannotPullContainerError: ${repositoryUri}@${digest} not found); the circuit breaker rolls the stack back`,
        );
      state.clusters = [...new Set([...(state.clusters ?? []), cluster])];
      const register = (fam, container) => {
        const revision =
          Math.max(
            0,
            ...Object.values(state.taskDefinitions)
              .filter((t) => t.family === fam)
              .map((t) => t.revision),
          ) + 1;
        const arn = `arn:aws:ecs:us-east-1:${state.account}:task-definition/${fam}:${revision}`;
        state.taskDefinitions[`${fam}:${revision}`] = {
          family: fam,
          revision,
          taskDefinitionArn: arn,
          status: "ACTIVE",
          requiresAttributes: [],
          compatibilities: ["FARGATE"],
          containerDefinitions: [{ name: container, image: `${repositoryUri}@${digest}` }],
        };
        return arn;
      };
      const api = register(family, "api");
      register(migrationFamily, "migrate");
      state.services[`${cluster}/${service}`] = { name: service, status: "ACTIVE", taskDefinition: api };
      state.http[`${m.appUrl}/backend/health/ready`] = 200;
      event.image = `${repositoryUri}@${digest}`;
    }
    Object.assign(state.parameters, m.parameters);
    state.stacks[name] = { resources };
    state.deploys = [...(state.deploys ?? []), event];
  }
  exit(0);
}

({ aws: runAws, docker: runDocker, curl: runCurl, cdk: runCdk })[tool]?.() ??
  exit(1, `unknown fake tool ${tool}`);
