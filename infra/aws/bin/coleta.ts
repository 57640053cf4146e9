#!/usr/bin/env node
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { configs, isEnvName } from "../config/index.js";
import { addColetaEnvironment } from "../lib/coleta.js";

/**
 * Environment selection: `-c env=dev|prod|all` or COLETA_ENV=dev|prod|all (default: dev).
 * Image tag of the API: `-c imageTag=<tag>` (default: the config's api.imageTag, "latest").
 */
const app = new App();
const selected = String(app.node.tryGetContext("env") ?? process.env.COLETA_ENV ?? "dev");
const envNames = selected === "all" ? (["dev", "prod"] as const) : [selected];
const imageTag: string | undefined = app.node.tryGetContext("imageTag");

for (const name of envNames) {
  if (!isEnvName(name)) throw new Error(`Unknown environment "${name}": use dev, prod or all`);
  addColetaEnvironment(app, configs[name], imageTag ? { imageTag } : {});
}

// cdk-nag v3: AWS Solutions checks run as a CDK validation plugin; any unacknowledged finding
// fails `cdk synth` / `cdk deploy`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
