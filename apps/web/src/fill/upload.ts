// Sends one file of a queued response: POST /public/forms/{slug}/uploads with the bytes as the
// body and the upload id chosen when the file was picked, so a retry after a lost answer is
// recognised by the server (same id, same bytes → 200) and stored once. With S3 storage the API
// answers with a presigned POST and the bytes go straight to the bucket.

export interface OutboxFile {
  uploadId: string;
  name: string;
  type: string;
  blob: Blob;
  /** True once the server (or the bucket) confirmed the bytes; never sent again after that. */
  sent: boolean;
}

export type FileOutcome =
  | { ok: true }
  | { ok: false; retry: true; reason: string; wait?: number }
  | { ok: false; retry: false; status: number; code?: string; message?: string };

interface DirectUpload {
  url: string;
  fields: Record<string, string>;
}

function retryAfter(res: Response): number | undefined {
  const seconds = Number(res.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

async function verdict(res: Response): Promise<FileOutcome> {
  if (res.status === 429 || res.status >= 500) {
    return { ok: false, retry: true, reason: `HTTP ${res.status}`, wait: retryAfter(res) };
  }
  let problem: { code?: string; detail?: string } = {};
  try {
    problem = (await res.json()) as typeof problem;
  } catch {
    // Not problem+json.
  }
  return { ok: false, retry: false, status: res.status, code: problem.code, message: problem.detail };
}

export async function sendFile(
  fetchImpl: typeof fetch,
  baseUrl: string,
  slug: string,
  file: OutboxFile,
): Promise<FileOutcome> {
  try {
    const res = await fetchImpl(`${baseUrl}/public/forms/${encodeURIComponent(slug)}/uploads`, {
      method: "POST",
      headers: {
        "content-type": file.type || "application/octet-stream",
        "x-file-name": encodeURIComponent(file.name),
        "x-upload-id": file.uploadId,
        accept: "application/json",
      },
      body: file.blob,
    });
    if (res.status !== 200 && res.status !== 201) return verdict(res);
    const body = (await res.json()) as { upload?: DirectUpload };
    if (!body.upload) return { ok: true };
    const form = new FormData();
    for (const [key, value] of Object.entries(body.upload.fields)) form.append(key, value);
    form.append("file", file.blob, file.name);
    const direct = await fetchImpl(body.upload.url, { method: "POST", body: form });
    return direct.ok ? { ok: true } : verdict(direct);
  } catch (err) {
    return { ok: false, retry: true, reason: err instanceof Error ? err.message : "network error" };
  }
}
