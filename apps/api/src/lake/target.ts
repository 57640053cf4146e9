import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";

/**
 * Where the lake is written: a local folder (`npm run lake:export -- --out ./lake`) or an S3
 * prefix (the scheduled export in AWS). Keys are `/`-separated paths relative to the lake root.
 */
export interface LakeTarget {
  /** Every key under the root (the lake is listed once per run). */
  list(): Promise<string[]>;
  /** Writes a whole object; an object is never visible half-written. */
  put(key: string, body: Uint8Array[]): Promise<void>;
  get(key: string): Promise<string | null>;
  delete(keys: string[]): Promise<void>;
  describe: string;
}

export function folderTarget(root: string): LakeTarget {
  return {
    describe: root,
    async list() {
      const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return [];
          throw error;
        },
      );
      return entries
        .filter((e) => e.isFile())
        .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join("/"));
    },
    async put(key, body) {
      const path = join(root, key);
      await mkdir(dirname(path), { recursive: true });
      // Written beside, then renamed: readers never see a partial file (the name ends in .tmp,
      // which no *.parquet glob matches, while it is written).
      const temporary = `${path}.tmp`;
      await writeFile(temporary, body);
      await rename(temporary, path);
    },
    async get(key) {
      return readFile(join(root, key), "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return null;
        throw error;
      });
    },
    async delete(keys) {
      for (const key of keys) await rm(join(root, key), { force: true });
    },
  };
}

export function s3Target(client: S3Client, bucket: string, prefix: string): LakeTarget {
  const root = prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
  return {
    describe: `s3://${bucket}/${root}`,
    async list() {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: root, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(root.length));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: root + key, Body: Buffer.concat(body) }));
    },
    async get(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: root + key }));
        return (await object.Body?.transformToString("utf8")) ?? null;
      } catch (error) {
        if (error instanceof NoSuchKey) return null;
        throw error;
      }
    },
    async delete(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        await client.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: batch.map((key) => ({ Key: root + key })), Quiet: true },
          }),
        );
      }
    },
  };
}
