import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { ApiHandler } from "../src/lambda/handler";

/** The host API Gateway sees behind CloudFront (its own execute-api name), and the public one. */
export const API_DOMAIN = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";
export const PUBLIC_URL = "https://coleta.example.org";
/** CloudFront appends the viewer's address, API Gateway the edge's: viewer is 2nd from the right. */
export const VIEWER_IP = "203.0.113.7";

export interface LambdaReply<T = any> {
  status: number;
  headers: Record<string, string>;
  body: T;
  text: string;
  result: APIGatewayProxyStructuredResultV2;
}

/** An API Gateway HTTP API (payload format 2.0) event, as AWS documents and sends it. */
export function httpApiEvent(
  method: string,
  pathWithQuery: string,
  init: { headers?: Record<string, string>; cookies?: string[]; body?: string; base64?: boolean } = {},
): APIGatewayProxyEventV2 {
  const [rawPath = "/", rawQueryString = ""] = pathWithQuery.split("?");
  const now = new Date();
  const query = new URLSearchParams(rawQueryString);
  const headers: Record<string, string> = {
    host: API_DOMAIN,
    "user-agent": "coleta-lambda-test",
    "x-forwarded-for": `${VIEWER_IP}, 130.176.12.34`,
    "x-forwarded-proto": "https",
    "x-forwarded-port": "443",
    "x-amzn-trace-id": `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomUUID().replaceAll("-", "").slice(0, 24)}`,
    ...init.headers,
  };
  if (init.body !== undefined) {
    // API Gateway passes the client's Content-Length through.
    headers["content-length"] = String(Buffer.byteLength(init.body, init.base64 ? "base64" : "utf8"));
  }
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    ...(init.cookies?.length ? { cookies: init.cookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters: Object.fromEntries(query) } : {}),
    requestContext: {
      accountId: "123456789012",
      apiId: "a1b2c3d4e5",
      domainName: API_DOMAIN,
      domainPrefix: "a1b2c3d4e5",
      http: {
        method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "130.176.12.34",
        userAgent: "coleta-lambda-test",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
    isBase64Encoded: init.base64 ?? false,
  };
}

export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "coleta-test-api",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:coleta-test-api",
    memoryLimitInMB: "1024",
    awsRequestId: randomUUID(),
    logGroupName: "/aws/lambda/coleta-test-api",
    logStreamName: "test",
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** A browser talking to the API through API Gateway: a cookie jar, and its own origin on writes. */
export class LambdaClient {
  private cookies = new Map<string, string>();

  constructor(private readonly handler: ApiHandler) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    init: { headers?: Record<string, string>; base64?: boolean } = {},
  ): Promise<LambdaReply<T>> {
    const headers: Record<string, string> = { ...init.headers };
    if (method !== "GET" && method !== "HEAD") headers.origin ??= PUBLIC_URL;
    let text: string | undefined;
    if (body !== undefined) {
      headers["content-type"] ??= "application/json";
      text = typeof body === "string" ? body : JSON.stringify(body);
      if (init.base64) text = Buffer.from(text).toString("base64");
    }
    const event = httpApiEvent(method, `/backend${path}`, {
      headers,
      cookies: [...this.cookies].map(([k, v]) => `${k}=${v}`),
      ...(text !== undefined ? { body: text, base64: init.base64 ?? false } : {}),
    });
    const result = (await this.handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
    for (const line of result.cookies ?? []) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const raw = result.body ?? "";
    const decoded = result.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
    let parsed: unknown = decoded;
    try {
      parsed = decoded ? JSON.parse(decoded) : null;
    } catch {
      // CSV, NDJSON: keep the text.
    }
    const lower = Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    return { status: result.statusCode ?? 200, headers: lower, body: parsed as T, text: decoded, result };
  }

  get = <T = any>(path: string) => this.request<T>("GET", path);
  post = <T = any>(path: string, body: unknown = {}) => this.request<T>("POST", path, body);
}

/** The function's environment as the CDK stack sets it, pointed at the suite's database (and Redis). */
export function lambdaTestEnv(databaseEnv: Record<string, string | undefined>, redisUrl?: string) {
  return {
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    PUBLIC_URL,
    TRUST_PROXY_HOPS: "2",
    MIGRATE_ON_START: "false",
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "100000",
    RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_FORM: "1000000",
    ...databaseEnv,
    ...(redisUrl
      ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `coleta-lambda-${randomUUID().slice(0, 8)}:` }
      : {}),
  };
}
