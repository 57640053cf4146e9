import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

// Reading a socket's address is a system call each time; a keep-alive connection asks once.
const socketAddresses = new WeakMap<object, string>();

/**
 * The caller's address. Behind CloudFront + ALB, each proxy appends the address it saw to
 * X-Forwarded-For, so with N trusted hops the client is the N-th entry from the right; anything
 * further left was written by the client and cannot be trusted.
 */
export function clientIp(c: Context, trustedHops: number): string {
  if (trustedHops > 0) {
    const forwarded = (c.req.header("x-forwarded-for") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const candidate = forwarded[forwarded.length - trustedHops];
    if (candidate) return candidate;
  }
  const socket = (c.env as { incoming?: { socket?: object } } | undefined)?.incoming?.socket;
  if (!socket) return "unknown";
  let address = socketAddresses.get(socket);
  if (address === undefined) {
    address = getConnInfo(c).remote.address ?? "unknown";
    socketAddresses.set(socket, address);
  }
  return address;
}
