import { z } from "@hono/zod-openapi";

// UUIDs are case-insensitive, and many client libraries print them in upper case. Every id is made
// lower case where it enters (path, query, body), so lookups, cache keys and invalidations all
// agree on one spelling of the same id.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The canonical (lower-case) spelling of a UUID, or null when the text is not one. */
export function canonicalUuid(text: string | undefined): string | null {
  return text !== undefined && UUID.test(text) ? text.toLowerCase() : null;
}

/** A UUID in a request, any case in, lower case out. */
export const uuidString = () =>
  z
    .string()
    .regex(UUID, { message: "Invalid UUID" })
    .transform((v) => v.toLowerCase());

/** A UUID path parameter, documented under `name`. */
export const uuidParam = (name: string) =>
  uuidString().openapi({ param: { name, in: "path" }, type: "string", format: "uuid" });

/** A text path parameter of `min` to `max` characters (a slug, a token), documented under `name`. */
export const textParam = (name: string, min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .openapi({ param: { name, in: "path" } });
