import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
// @ts-expect-error s3rver ships no types (docs/decisions/0005-s3-test-server.md).
import S3rver from "s3rver";

/** The keys s3rver accepts; it checks the signatures made with them. */
export const S3_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface S3Server {
  /** http://127.0.0.1:<port>, for S3_ENDPOINT or an SDK client. */
  endpoint: string;
  /** An SDK client of this server; `config` adds to (or overrides) the connection settings. */
  client(config?: S3ClientConfig): S3Client;
  /** Stops the server and removes its objects. */
  stop(): Promise<void>;
}

/** A real S3-protocol server (s3rver) on a free loopback port, storing in a temp folder. */
export async function startS3Server(...buckets: string[]): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), "coleta-s3rver-"));
  const server: { run(): Promise<AddressInfo>; close(): Promise<void> } = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    client: (config = {}) =>
      new S3Client({
        region: "us-east-1",
        endpoint,
        forcePathStyle: true,
        credentials: S3_CREDENTIALS,
        ...config,
      }),
    stop: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
