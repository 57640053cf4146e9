import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { StoredObject, UploadStorage } from "./storage";

const KEY = /^[0-9a-f-]{36}\/[0-9a-f-]{36}-[0-9a-f]{16}$/;

/**
 * Files on local disk under `root` (DATA_DIR/uploads by default). Written to a temporary name and
 * renamed into place, so a half-received file is never visible under its key.
 */
export class LocalStorage implements UploadStorage {
  readonly kind = "local";
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    // Keys are ours, but a bug must not become a path traversal: check shape and containment.
    if (!KEY.test(key)) throw new Error(`invalid storage key: ${key}`);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`storage key escapes the root: ${key}`);
    return path;
  }

  async put(key: string, body: Readable): Promise<void> {
    const path = this.path(key);
    const temporary = join(this.root, ".partial", key.replace("/", "_"));
    await mkdir(dirname(temporary), { recursive: true });
    try {
      await pipeline(body, createWriteStream(temporary, { flags: "wx", mode: 0o600 }));
      await mkdir(dirname(path), { recursive: true });
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const info = await stat(this.path(key));
      return { size: info.size, contentType: undefined };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async open(key: string): Promise<Readable | null> {
    const path = this.path(key);
    if (!(await this.head(key))) return null;
    return createReadStream(path);
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
