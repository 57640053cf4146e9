// Files a respondent picked, held on the device until the outbox has sent them. The answer keeps
// only `{ uploadId, name, size, type }` (JSON, so drafts stay in localStorage); the bytes stay here,
// then in the outbox's IndexedDB record once the response is submitted.

const blobs = new Map<string, Blob>();

/** A random RFC 4122 v4 UUID, also on plain http where crypto.randomUUID is missing. */
export function newUuid(): string {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Keeps the bytes under a fresh upload id (chosen once, so every retry of the upload reuses it). */
export function keepFile(blob: Blob): string {
  const id = newUuid();
  blobs.set(id, blob);
  return id;
}

export function deviceFile(uploadId: string): Blob | undefined {
  return blobs.get(uploadId);
}

export function forgetFile(uploadId: string): void {
  blobs.delete(uploadId);
}

const SCALABLE = /^image\/(jpeg|png|webp)$/;

/**
 * Scales a photo down so its longer side is at most `maxDimension` pixels, on the device (canvas),
 * before it costs mobile data. Anything else, or a result no smaller, keeps the original bytes.
 */
export async function downscaleImage(file: Blob, maxDimension: number): Promise<Blob> {
  if (!SCALABLE.test(file.type) || typeof createImageBitmap !== "function") return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return file;
  }
  const scale = maxDimension / Math.max(bitmap.width, bitmap.height);
  if (scale >= 1) {
    bitmap.close();
    return file;
  }
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext("2d")?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const scaled = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, file.type, 0.85));
  return scaled && scaled.size < file.size ? scaled : file;
}
