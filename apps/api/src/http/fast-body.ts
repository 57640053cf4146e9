import type { IncomingMessage } from "node:http";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";

function readAll(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    incoming.once("error", reject);
  });
}

/**
 * For the hot public submission route: reads the JSON body straight from Node's request stream and
 * hands it to Hono's body cache, so validation never asks the Node adapter for a full fetch Request
 * (building one per request cost about as much as the rest of the handler). Size limits have
 * already been enforced from Content-Length by then.
 */
export function fastJsonBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (
      incoming &&
      c.req.method === "POST" &&
      !incoming.readableEnded &&
      c.req.header("content-length") !== undefined
    ) {
      (c.req.bodyCache as { text?: Promise<string> }).text = readAll(incoming);
    }
    await next();
  };
}
