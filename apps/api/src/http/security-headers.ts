import { securityHeaders as headersFor } from "@coleta/http-policy";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import { setEarlyHeader } from "./early-headers";

/**
 * Security headers (@coleta/http-policy, the same values CloudFront and the compose nginx send),
 * set before the handler runs, on Node's response when there is one (`setEarlyHeader`). (Setting
 * them on the finished response, as a post-processing middleware does, makes the Node adapter
 * rebuild every response as a full fetch Response, which cost more than the rest of a request.)
 * Only the respondent page may be framed by other sites, for the share panel's embed snippet.
 */
export function securityHeaders(embeddablePrefix: string): MiddlewareHandler<AppEnv> {
  const framedAnywhere = Object.entries(headersFor("anyone"));
  const framedBySelf = Object.entries(headersFor("self"));
  return async (c, next) => {
    const headers = c.req.path.startsWith(embeddablePrefix) ? framedAnywhere : framedBySelf;
    for (const [name, value] of headers) setEarlyHeader(c, name, value);
    await next();
  };
}
