import { randomUUID } from "node:crypto";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { PROBLEM_CONTENT_TYPE, problemBody } from "../errors/problem";

/**
 * A Lambda behind API Gateway returns its response in one piece, at most 6 MB (after base64 for
 * types API Gateway treats as binary, such as NDJSON). Exports are streams of any size, so here a
 * download (a 200 with `Content-Disposition: attachment`) is read up to INLINE_MAX_BYTES: if it ends
 * by then it is answered as usual; if not, it continues into an S3 multipart upload (parts of
 * PART_BYTES, so memory stays flat) and the client gets `303 See Other` to a presigned GET URL,
 * with the same URL in a JSON body for clients that do not follow redirects.
 */
export const INLINE_MAX_BYTES = 4 * 1024 * 1024;
/** S3 parts must be at least 5 MiB (except the last). */
export const PART_BYTES = 8 * 1024 * 1024;
export const DOWNLOAD_URL_SECONDS = 15 * 60;
export const DOWNLOAD_PREFIX = "downloads/";

/** Where large downloads go: an S3 multipart upload, and a presigned URL to read it back. */
export interface DownloadStore {
  start(key: string, contentType: string, disposition: string): Promise<DownloadUpload>;
  presign(key: string, seconds: number): Promise<string>;
}

export interface DownloadUpload {
  part(bytes: Uint8Array): Promise<void>;
  complete(): Promise<void>;
  abort(): Promise<void>;
}

export function s3DownloadStore(bucket: string, client = new S3Client({})): DownloadStore {
  return {
    async start(key, contentType, disposition) {
      const created = await client.send(
        new CreateMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          ContentType: contentType,
          ContentDisposition: disposition,
        }),
      );
      const uploadId = created.UploadId as string;
      const parts: { ETag: string; PartNumber: number }[] = [];
      return {
        async part(bytes) {
          const PartNumber = parts.length + 1;
          const done = await client.send(
            new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: bytes }),
          );
          parts.push({ ETag: done.ETag as string, PartNumber });
        },
        async complete() {
          await client.send(
            new CompleteMultipartUploadCommand({
              Bucket: bucket,
              Key: key,
              UploadId: uploadId,
              MultipartUpload: { Parts: parts },
            }),
          );
        },
        async abort() {
          await client.send(
            new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }),
          );
        },
      };
    },
    presign: (key, seconds) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: seconds }),
  };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

function isDownload(response: Response): boolean {
  return (
    response.status === 200 &&
    response.body !== null &&
    /^attachment/i.test(response.headers.get("content-disposition") ?? "")
  );
}

function failed(requestId: string | null): Response {
  const body = problemBody(
    503,
    "export_failed",
    "The export could not be completed. Please try again.",
    requestId ?? undefined,
  );
  return new Response(JSON.stringify(body), {
    status: 503,
    headers: { "Content-Type": PROBLEM_CONTENT_TYPE, "Cache-Control": "no-store", "Retry-After": "10" },
  });
}

export interface LargeDownloadOptions {
  store: DownloadStore | null;
  inlineMaxBytes?: number;
  partBytes?: number;
  now?: () => Date;
}

/**
 * Answers a download inline when it is small, through S3 when it is not. Without a store (no
 * S3_EXPORTS_BUCKET) a large download is refused with 503 rather than cut short by API Gateway.
 */
export async function deliverLargeDownload(
  response: Response,
  options: LargeDownloadOptions,
): Promise<Response> {
  if (!isDownload(response)) return response;
  const inlineMax = options.inlineMaxBytes ?? INLINE_MAX_BYTES;
  const partBytes = options.partBytes ?? PART_BYTES;
  const requestId = response.headers.get("x-request-id");
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        const headers = new Headers(response.headers);
        // The whole body is here: a length, not the chunked encoding the streaming route asked for.
        headers.delete("transfer-encoding");
        headers.set("content-length", String(size));
        return new Response(concat(chunks, size), { status: 200, headers });
      }
      chunks.push(value);
      size += value.byteLength;
      if (size > inlineMax) break;
    }
  } catch {
    return failed(requestId);
  }
  if (!options.store) {
    await reader.cancel().catch(() => {});
    return failed(requestId);
  }

  const disposition = response.headers.get("content-disposition") as string;
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? "download";
  const day = (options.now?.() ?? new Date()).toISOString().slice(0, 10);
  const key = `${DOWNLOAD_PREFIX}${day}/${randomUUID()}/${name}`;
  let upload: DownloadUpload | null = null;
  try {
    upload = await options.store.start(
      key,
      response.headers.get("content-type") ?? "application/octet-stream",
      disposition,
    );
    for (;;) {
      while (size >= partBytes) {
        const all = concat(chunks, size);
        await upload.part(all.subarray(0, partBytes));
        const rest = all.subarray(partBytes);
        chunks = rest.byteLength > 0 ? [rest] : [];
        size = rest.byteLength;
      }
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
    if (size > 0) await upload.part(concat(chunks, size));
    chunks = [];
    await upload.complete();
  } catch {
    await reader.cancel().catch(() => {});
    await upload?.abort().catch(() => {});
    return failed(requestId);
  }
  const url = await options.store.presign(key, DOWNLOAD_URL_SECONDS);
  const expiresAt = new Date(Date.now() + DOWNLOAD_URL_SECONDS * 1000).toISOString();
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Location: url,
    "Cache-Control": "no-store",
  };
  if (requestId) headers["X-Request-Id"] = requestId;
  return new Response(JSON.stringify({ download: { url, expiresAt } }), { status: 303, headers });
}
