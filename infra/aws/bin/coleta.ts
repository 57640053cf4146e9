#!/usr/bin/env node
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { configs, isEnvName } from "../config/index.js";
import {
  addColetaEksEnvironment,
  addColetaEnvironment,
  addColetaLambdaEnvironment,
  checkCompute,
} from "../lib/coleta.js";
import { API_IMAGE_DIGEST_CONTEXT } from "../lib/image.js";

/**
 * Environment selection: `-c env=dev|prod|all` or COLETA_ENV=dev|prod|all (default: dev).
 * Compute: `-c compute=ecs|lambda|eks` (default: ecs). Lambda deploys the bundle built by
 * `npm run build:lambda -w @coleta/api` (apps/api/dist-lambda, or `-c lambdaBundle=<dir>`).
 * API image: `-c apiImageDigest=sha256:<64 hex>` (no default, no tags; the pipeline passes the digest
 * it recorded in SSM /coleta/<env>/release/api-image-digest). Without it the App stack, and only it,
 * fails to synthesize/deploy; with anything but a digest (e.g. `latest`) the whole synth fails.
 */
const app = new App();
const selected = String(app.node.tryGetContext("env") ?? process.env.COLETA_ENV ?? "dev");
const envNames = selected === "all" ? (["dev", "prod"] as const) : [selected];
if (app.node.tryGetContext("imageTag") !== undefined) {
  throw new Error(
    `-c imageTag is gone: images are pinned by digest. Use -c ${API_IMAGE_DIGEST_CONTEXT}=sha256:<digest> ` +
      "(bash .github/scripts/release-digest.sh <env> prints the released one).",
  );
}
const apiImageDigest: unknown = app.node.tryGetContext(API_IMAGE_DIGEST_CONTEXT);

// Compute: `-c compute=ecs|lambda|eks` (default ecs). EKS runs the API from deploy/kubernetes'
// manifests, so the image digest is not an input of this app there (docs/kubernetes.md); Lambda
// runs the bundle (docs/serverless.md).
const compute = checkCompute(app.node.tryGetContext("compute"));
const lambdaBundleDir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../..",
  String(app.node.tryGetContext("lambdaBundle") ?? "apps/api/dist-lambda"),
);

for (const name of envNames) {
  if (!isEnvName(name)) throw new Error(`Unknown environment "${name}": use dev, prod or all`);
  if (compute === "eks") {
    addColetaEksEnvironment(app, configs[name]);
    continue;
  }
  if (compute === "lambda") {
    addColetaLambdaEnvironment(app, configs[name], { lambdaBundleDir });
    continue;
  }
  addColetaEnvironment(
    app,
    configs[name],
    apiImageDigest === undefined ? {} : { apiImageDigest: String(apiImageDigest) },
  );
}

// cdk-nag v3: AWS Solutions checks run as a CDK validation plugin; any unacknowledged finding
// fails `cdk synth` / `cdk deploy`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
