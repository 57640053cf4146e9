// Reading what a journey downloaded: the file's bytes, their digest, and the entries of a ZIP.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Download } from "playwright-core";
import { type Entry, fromBufferPromise } from "yauzl";

/** The bytes of a finished download. */
export async function downloadedBytes(download: Download): Promise<Buffer> {
  const path = await download.path();
  if (!path) throw new Error(`download ${download.suggestedFilename()} failed: ${await download.failure()}`);
  return readFile(path);
}

export const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** Every entry of a ZIP by name, read with yauzl (an independent reader, not the API's writer). */
export async function zipEntries(zip: Buffer): Promise<Map<string, Buffer>> {
  const archive = await fromBufferPromise(zip, { lazyEntries: true });
  const entries = new Map<string, Buffer>();
  for (;;) {
    const entry = await new Promise<Entry | null>((resolve, reject) => {
      archive
        .once("entry", resolve)
        .once("end", () => resolve(null))
        .once("error", reject);
      archive.readEntry();
    });
    archive.removeAllListeners("entry").removeAllListeners("end").removeAllListeners("error");
    if (!entry) return entries;
    const chunks: Buffer[] = [];
    for await (const chunk of await archive.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    entries.set(entry.fileName, Buffer.concat(chunks));
  }
}
