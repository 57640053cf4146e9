// Coleta's own images are always named by digest (repository@sha256:…), like the ECS task
// definitions; a tag, `latest` included, is refused. Third-party images (PostGIS, Valkey in the
// local target) come from deploy/compose/docker-compose.yml, the same pinned versions as compose.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { checkImageDigest, MISSING_IMAGE_DIGEST } from "../../../infra/aws/lib/image.ts";

export { MISSING_IMAGE_DIGEST };

/** `repository@sha256:<64 hex>`; throws on a tag or anything else. */
export function imageByDigest(repository: string, digest: string, what: string): string {
  return `${repository}@${checkImageDigest(digest, what)}`;
}

const COMPOSE_FILE = new URL("../../compose/docker-compose.yml", import.meta.url);

/** The image of a docker-compose.yml service (the local target runs the same database and cache). */
export function composeImage(service: "db" | "cache"): string {
  const compose = parse(readFileSync(COMPOSE_FILE, "utf8")) as {
    services: Record<string, { image?: string }>;
  };
  const image = compose.services[service]?.image;
  if (!image) throw new Error(`deploy/compose/docker-compose.yml: service ${service} has no image`);
  return image;
}
