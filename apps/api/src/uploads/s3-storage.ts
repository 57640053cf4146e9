import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import type { DirectUpload, StoredObject, UploadStorage } from "./storage";

/** How long a presigned POST stays usable: long enough for a slow phone, short enough to be useless if leaked. */
const PRESIGN_SECONDS = 15 * 60;

export interface S3Settings {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  /** Tests pass the test server's keys; in AWS the task role's credentials are found by the SDK. */
  credentials?: S3ClientConfig["credentials"];
}

function isMissing(error: unknown): boolean {
  if (error instanceof NotFound || error instanceof NoSuchKey) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 404;
}

/**
 * Upload bytes in an S3 bucket. Browsers upload straight to the bucket with a presigned POST whose
 * policy pins the exact size and type; the API still re-checks each object with HeadObject before a
 * submission may refer to it (a policy is enforced by S3, not by every S3-compatible server).
 */
export class S3Storage implements UploadStorage {
  readonly kind = "s3";
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials: settings.credentials,
      // Checksums only where S3 requires them: the default adds aws-chunked trailers to streamed
      // PutObject bodies, which S3-compatible servers (and the test's) do not all understand.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  async put(key: string, body: Readable, contentType: string, size: number): Promise<void> {
    // A streamed PutObject needs the length up front; the routes require Content-Length in S3 mode.
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ContentLength: size,
      }),
    );
  }

  presign(key: string, contentType: string, size: number): Promise<DirectUpload> {
    return createPresignedPost(this.client, {
      Bucket: this.settings.bucket,
      Key: key,
      Conditions: [
        ["content-length-range", size, size],
        ["eq", "$Content-Type", contentType],
      ],
      Fields: { "Content-Type": contentType },
      Expires: PRESIGN_SECONDS,
    });
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, contentType: out.ContentType };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async open(key: string): Promise<Readable | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }));
      return out.Body as Readable;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
  }
}
