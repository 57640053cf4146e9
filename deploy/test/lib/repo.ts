import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (deploy/test/lib → ../../..). */
export const root = fileURLToPath(new URL("../../../", import.meta.url));

export function read(path: string): string {
  return readFileSync(join(root, path), "utf8");
}

export function exists(path: string): boolean {
  return existsSync(join(root, path));
}

export interface PackageJson {
  name: string;
  workspaces?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export function packageJson(dir = "."): PackageJson {
  return JSON.parse(read(join(dir, "package.json"))) as PackageJson;
}

/** Workspace folder by package name, e.g. "@coleta/api" → "apps/api". */
export function workspaces(): Map<string, string> {
  const map = new Map<string, string>();
  for (const dir of packageJson().workspaces ?? []) map.set(packageJson(dir).name, dir);
  return map;
}
