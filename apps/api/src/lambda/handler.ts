import { timingSafeEqual } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { handle } from "hono/aws-lambda";
import type { EnvInput } from "../config";
import { type DownloadStore, deliverLargeDownload, s3DownloadStore } from "./large-downloads";
import { type SecretReader, withSecrets } from "./secrets";
import { type LambdaServices, openLambdaServices } from "./services";

export { ORIGIN_VERIFY_ENV } from "./services";

export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/**
 * The header CloudFront adds to every request for /backend/* (the same secret the ALB checks in the
 * container variant). An HTTP API is reachable on its own execute-api name and takes no security
 * group or WAF, so the function refuses, before any work, requests that did not come through the
 * distribution. Set from the origin-verify secret (ORIGIN_VERIFY_ENV through COLETA_SECRET_ENV);
 * unset, nothing is checked.
 */
export const ORIGIN_VERIFY_HEADER = "x-origin-verify";

function sameSecret(given: string | undefined, expected: Buffer): boolean {
  if (given === undefined) return false;
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

const FORBIDDEN: APIGatewayProxyResultV2 = {
  statusCode: 403,
  headers: { "content-type": "text/plain" },
  body: "Forbidden",
  isBase64Encoded: false,
};

export interface LambdaHandlerOptions {
  /** Reads Secrets Manager values (tests give a reader of their own). */
  readSecret?: SecretReader;
  /** Where large downloads go; defaults to the S3_EXPORTS_BUCKET bucket when it is set. */
  downloadStore?: DownloadStore | null;
  /** Answers up to this size inline (tests make it small). */
  inlineMaxBytes?: number;
  partBytes?: number;
}

/**
 * The API as a Lambda function behind an API Gateway HTTP API (payload format 2.0): the same Hono
 * app as the server (buildApp), adapted by hono/aws-lambda. Services are opened on the first
 * invocation of an execution environment and reused by the next ones; each invocation settles
 * (queued writes committed, status counts pushed) before it returns, because the environment may
 * be frozen, or never thawed, right after.
 */
export function createLambdaHandler(env: EnvInput, options: LambdaHandlerOptions = {}): ApiHandler {
  let opening: Promise<LambdaServices> | null = null;
  const open = () => {
    opening ??= withSecrets(env, options.readSecret).then(openLambdaServices);
    // A failed start (a secret unreadable, the database down) is retried by the next invocation.
    opening.catch(() => {
      opening = null;
    });
    return opening;
  };
  const store =
    options.downloadStore !== undefined
      ? options.downloadStore
      : env.S3_EXPORTS_BUCKET
        ? s3DownloadStore(env.S3_EXPORTS_BUCKET)
        : null;

  return async (event, context) => {
    const lambda = await open();
    const expected = lambda.originVerify;
    if (expected && !sameSecret(event.headers?.[ORIGIN_VERIFY_HEADER], expected)) return FORBIDDEN;
    const adapted = handle({
      fetch: async (request: Request, bindings: unknown) =>
        deliverLargeDownload(await lambda.fetch(request, bindings), {
          store,
          ...(options.inlineMaxBytes ? { inlineMaxBytes: options.inlineMaxBytes } : {}),
          ...(options.partBytes ? { partBytes: options.partBytes } : {}),
        }),
    } as Parameters<typeof handle>[0]);
    let status: number | undefined;
    try {
      const result = (await adapted(event as never, context)) as APIGatewayProxyResultV2;
      status = typeof result === "object" ? result.statusCode : undefined;
      return result;
    } finally {
      await lambda.settle();
      // A rotated database password: pooled connections keep working, new ones fail with 28P01.
      // After a 503 we check once; if the password is refused, the next invocation reads the
      // secrets again and opens new connections with the new password.
      if (status === 503 && (await lambda.credentialsRejected())) {
        lambda.services.logger.warn("database password refused: reopening with fresh secrets");
        opening = null;
        await lambda.close().catch(() => {});
      }
    }
  };
}
