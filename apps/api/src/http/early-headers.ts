import type { ServerResponse } from "node:http";
import type { Context } from "hono";

/**
 * Sets a header that every response to this request carries (security headers, the request id),
 * before the handler runs. Served by @hono/node-server, it goes straight onto Node's response,
 * which merges it with the handler's headers when it writes the head (the handler's value wins
 * for the same name): Hono then builds no fetch `Headers` for a response that sets none itself.
 * Validating, storing and re-reading about ten headers through `Headers` on every request cost
 * more than the rest of the middleware chain of the submission route. Elsewhere (Lambda), Hono's
 * `c.header`.
 */
export function setEarlyHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing && !outgoing.headersSent) outgoing.setHeader(name, value);
  else c.header(name, value);
}
