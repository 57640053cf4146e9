/**
 * Prints what first-deploy.sh needs to know about one environment, as shell assignments read from
 * infra/aws/config (the single source): `npx tsx infra/aws/scripts/env-info.ts dev`.
 */
import { configs, isEnvName } from "../config/index.js";
import { githubRoleNames } from "../lib/constructs/github-deploy.js";
import { apiRepositoryName } from "../lib/constructs/registry.js";
import { releaseParameterName } from "../lib/image.js";

const name = process.argv[2] ?? "";
if (!isEnvName(name)) {
  console.error(`usage: env-info.ts <dev|prod> (got "${name}")`);
  process.exit(2);
}
const config = configs[name];
const roles = githubRoleNames(name);
const roleArn = (role: string) => `arn:aws:iam::${config.account}:role/${role}`;
const facts: Record<string, string> = {
  ENV_NAME: name,
  ACCOUNT: config.account,
  REGION: config.region,
  DOMAIN: config.domainName,
  ZONE_MODE: config.hostedZone.mode,
  HOSTED_ZONE_ID: config.hostedZone.mode === "import" ? config.hostedZone.hostedZoneId : "",
  OIDC_MODE: config.github.oidcProvider,
  REPOSITORY: config.github.repository,
  GITHUB_ENVIRONMENT: config.github.environment,
  IMAGE_SOURCE: config.api.image.source,
  IMAGE_FROM: config.api.image.source === "promote" ? config.api.image.from : "",
  PREFIX: `Coleta-${name}`,
  ECR_REPOSITORY: apiRepositoryName(name),
  RELEASE_PARAMETER: releaseParameterName(name),
  DEPLOY_FRONTEND_ROLE_ARN: roleArn(roles.deployFrontend),
  DEPLOY_BACKEND_ROLE_ARN: roleArn(roles.deployBackend),
  INFRA_ROLE_ARN: roleArn(roles.infra),
  DIFF_ROLE_ARN: roleArn(roles.diff),
};
const quote = (value: string) => `'${value.replaceAll("'", `'"'"'`)}'`;
for (const [key, value] of Object.entries(facts)) console.log(`${key}=${quote(value)}`);
