import type { FormDefinition } from "@coleta/forms";

/** A form with two file questions: photos (images, ≤ 64 KB, up to 2) and one document (PDF). */
export const filesDefinition: FormDefinition = {
  schemaVersion: 1,
  title: "House visit",
  pages: [
    {
      id: "p1",
      fields: [
        { id: "name", type: "short_text", label: "Name" },
        {
          id: "photos",
          type: "file",
          label: "Photos",
          accept: ["image/*"],
          maxSizeBytes: 64 * 1024,
          maxFiles: 2,
        },
        { id: "document", type: "file", label: "Document", accept: [".pdf", "text/html"] },
      ],
    },
  ],
};

/** A real 1×1 PNG plus `extra` bytes of padding after IEND (viewers ignore it), so sizes can vary. */
export function png(extra = 0, fill = 0): Uint8Array {
  const base = Buffer.from(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
      "1f15c4890000000d49444154789c6360f8cfc0f01f0005fe02fea7d6a4b80000000049454e44ae426082",
    "hex",
  );
  return new Uint8Array(Buffer.concat([base, Buffer.alloc(extra, fill)]));
}

export interface UploadOptions {
  type?: string;
  name?: string;
  id?: string;
  headers?: Record<string, string>;
  /** Send without Content-Length (chunked), as a stream. */
  chunked?: boolean;
}

/** POST /public/forms/{slug}/uploads with the bytes as the body, as the fill page does. */
export async function uploadFile(
  baseUrl: string,
  slug: string,
  bytes: Uint8Array | null,
  options: UploadOptions = {},
) {
  const headers: Record<string, string> = {
    "content-type": options.type ?? "image/png",
    "x-file-name": encodeURIComponent(options.name ?? "photo.png"),
    ...(options.id ? { "x-upload-id": options.id } : {}),
    ...options.headers,
  };
  // A Blob is a body under both the DOM and the Node typings (the web's e2e imports this file too).
  let body: RequestInit["body"] = bytes === null ? null : new Blob([new Uint8Array(bytes)]);
  if (options.chunked && bytes) {
    body = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.subarray(i, i + 8192));
        controller.close();
      },
    });
  }
  const response = await fetch(`${baseUrl}/backend/public/forms/${slug}/uploads`, {
    method: "POST",
    headers,
    body,
    ...(options.chunked ? { duplex: "half" } : {}),
  } as RequestInit);
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body: json, text };
}
