import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll } from "vitest";

export interface TempFiles {
  dir: string;
  /** Deletes the folder and all in it. */
  remove(): void;
}

/** A temporary folder holding `files` (relative path → content), sub-folders made as needed. */
export function tempFiles(prefix: string, files: Record<string, string>): TempFiles {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An empty temporary folder for the tests of the enclosing describe (or file), removed after them. */
export function useTempDir(prefix: string): TempFiles {
  const folder: TempFiles = { dir: "", remove: () => {} };
  beforeAll(() => {
    Object.assign(folder, tempFiles(prefix, {}));
  });
  afterAll(() => folder.remove());
  return folder;
}
