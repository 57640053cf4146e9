import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { renderTarget } from "./app.ts";
import { imageByDigest, MISSING_IMAGE_DIGEST } from "./images.ts";
import { eksTarget, localTarget } from "./targets.ts";

export const DIST_DIR = fileURLToPath(new URL("../dist/", import.meta.url));
/** The local registry of docs/kubernetes.md (kind's local-registry recipe). */
export const DEFAULT_LOCAL_REGISTRY = "localhost:5001";

export interface SynthInputs {
  apiDigest?: string | undefined;
  webDigest?: string | undefined;
  localRegistry?: string | undefined;
}

export function targetsFor(inputs: SynthInputs = {}) {
  const apiDigest = inputs.apiDigest ?? MISSING_IMAGE_DIGEST;
  const webDigest = inputs.webDigest ?? MISSING_IMAGE_DIGEST;
  const ref = (repo: string, digest: string) => imageByDigest(repo, digest, "kubernetes");
  return [
    localTarget({ apiDigest, webDigest, localRegistry: inputs.localRegistry ?? DEFAULT_LOCAL_REGISTRY }, ref),
    eksTarget("dev", apiDigest, ref),
    eksTarget("prod", apiDigest, ref),
  ];
}

/** Every file under dist/, path → content. */
export function synthesizeAll(inputs: SynthInputs = {}): Map<string, string> {
  const files = new Map<string, string>();
  for (const target of targetsFor(inputs)) {
    for (const [path, text] of renderTarget(target)) files.set(path, text);
  }
  return files;
}

export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

export function writeDist(files: Map<string, string>, dir = DIST_DIR) {
  const removed = listFiles(dir).filter((f) => !files.has(f) && f.endsWith(".yaml"));
  for (const f of removed) rmSync(join(dir, f));
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { written: [...files.keys()], removed };
}
