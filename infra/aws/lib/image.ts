/**
 * The API image is always named by digest. The pipeline builds it once (dev), records the digest
 * it deployed in SSM (`releaseParameterName`), promotes the same digest to prod, and every
 * `cdk deploy` of the App stack passes that digest with `-c apiImageDigest=sha256:…`
 * (.github/scripts/release-digest.sh prints it).
 */

/** CDK context key: `-c apiImageDigest=sha256:<64 hex>`. */
export const API_IMAGE_DIGEST_CONTEXT = "apiImageDigest";

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Parameter the pipeline writes (never CloudFormation, which would roll it back) after it has
 * deployed an image to `env`, or after it has pushed the first image before the App stack exists.
 */
export function releaseParameterName(env: string): string {
  return `/coleta/${env}/release/api-image-digest`;
}

/** Throws unless `value` is a sha256 image digest: tags (`latest`, a git SHA) are refused. */
export function checkImageDigest(value: unknown, envName: string): string {
  if (typeof value === "string" && DIGEST.test(value)) return value;
  throw new Error(
    `Coleta ${envName}: the API image must be a digest "sha256:<64 hex>", got ${JSON.stringify(value)}. ` +
      "Tags such as `latest` are refused: ECR tags are immutable and task definitions pin digests. " +
      `Use -c ${API_IMAGE_DIGEST_CONTEXT}=$(bash .github/scripts/release-digest.sh ${envName}).`,
  );
}

/**
 * Synthesizes an App stack that cannot be deployed when no digest is given (an error annotation
 * stops `cdk deploy`/`cdk synth` of that stack only, so Network, Data and Cicd still deploy).
 */
export const MISSING_IMAGE_DIGEST = `sha256:${"0".repeat(64)}`;

export function missingImageMessage(envName: string): string {
  return (
    `No API image for Coleta-${envName}-App: deploy it with -c ${API_IMAGE_DIGEST_CONTEXT}=sha256:<digest>, ` +
    `the digest recorded in SSM ${releaseParameterName(envName)} ` +
    `(bash .github/scripts/release-digest.sh ${envName}). On a first deploy the deploy-backend workflow ` +
    "pushes the image and records it; infra/aws/scripts/first-deploy.sh continues from there (docs/deploy.md)."
  );
}
