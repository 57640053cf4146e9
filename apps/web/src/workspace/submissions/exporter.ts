import { API_BASE } from "../../config";
import { ApiError, formPath, type Problem } from "../api";
import { apiQuery, type SubmissionFilters } from "./filters";

export type ExportFormat = "csv" | "ndjson" | "xlsx" | "parquet" | "zip";

/** Formats whose file holds the CSV export (the ZIP's `submissions.csv`): they take its options. */
export const takesCsvOptions = (format: ExportFormat) => format === "csv" || format === "zip";

/** The file options of an export (query parameters of the API's export route, docs/api.md). */
export interface ExportOptions {
  /** CSV: a UTF-8 byte order mark, so Excel reads accents right. */
  bom: boolean;
  /** CSV: `semicolon` for spreadsheet programs whose decimal mark is a comma (pt-BR). */
  separator: "comma" | "semicolon";
  /** CSV and XLSX: choice and yes/no answers as stored values or as their labels. */
  values: "values" | "labels";
}

/** Defaults for the UI language: in pt-BR, Excel splits CSV on `;` and needs the BOM for accents. */
export function defaultExportOptions(locale: string): ExportOptions {
  return locale === "pt-BR"
    ? { bom: true, separator: "semicolon", values: "values" }
    : { bom: false, separator: "comma", values: "values" };
}

/** Text formats have one row per line (after the CSV header); XLSX and Parquet are binary. */
export function countsRows(format: ExportFormat): boolean {
  return format === "csv" || format === "ndjson";
}

export interface ExportProgress {
  bytes: number;
  /** Data rows seen so far (lines, minus the CSV header). */
  rows: number;
}

const NEWLINE = 10;

/**
 * Reads a streamed download chunk by chunk, reporting bytes and rows as they arrive, and returns
 * the whole body as a Blob. Cancelling the signal cancels the reader and rejects with AbortError.
 */
export async function readWithProgress(
  body: ReadableStream<Uint8Array>,
  options: {
    format: ExportFormat;
    type?: string;
    signal?: AbortSignal;
    onProgress?: (p: ExportProgress) => void;
  },
): Promise<Blob> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let lines = 0;
  let lastByte = -1;
  const abort = () => {
    void reader.cancel().catch(() => undefined);
  };
  options.signal?.addEventListener("abort", abort, { once: true });
  const rowsOf = (n: number) =>
    !countsRows(options.format) ? 0 : options.format === "csv" ? Math.max(0, n - 1) : n;
  try {
    for (;;) {
      if (options.signal?.aborted) throw new DOMException("Export cancelled", "AbortError");
      const { done, value } = await reader.read();
      if (options.signal?.aborted) throw new DOMException("Export cancelled", "AbortError");
      if (done) break;
      if (!value || value.byteLength === 0) continue;
      chunks.push(value);
      bytes += value.byteLength;
      for (let i = 0; i < value.length; i++) if (value[i] === NEWLINE) lines++;
      lastByte = value[value.length - 1] as number;
      options.onProgress?.({ bytes, rows: rowsOf(lines) });
    }
  } finally {
    options.signal?.removeEventListener("abort", abort);
  }
  // A last line without a trailing newline is still a row.
  const total = lastByte !== -1 && lastByte !== NEWLINE ? lines + 1 : lines;
  options.onProgress?.({ bytes, rows: rowsOf(total) });
  return new Blob(chunks as BlobPart[], {
    type: options.type ?? (options.format === "csv" ? "text/csv" : "application/x-ndjson"),
  });
}

export function exportUrl(
  orgId: string,
  formId: string,
  format: ExportFormat,
  filters: SubmissionFilters,
  options?: ExportOptions,
): string {
  // The ZIP (data file + attachments) has its own address; the other formats are a parameter.
  const params: Record<string, string> = format === "zip" ? {} : { format };
  if (options && takesCsvOptions(format)) {
    params.bom = String(options.bom);
    params.separator = options.separator;
  }
  if (options && format !== "ndjson" && format !== "parquet") params.values = options.values;
  const path = format === "zip" ? "export.zip" : "export";
  return `${API_BASE}${formPath(orgId, formId)}/submissions/${path}${apiQuery(filters, params)}`;
}

export async function fetchExport(
  url: string,
  format: ExportFormat,
  signal: AbortSignal,
  onProgress: (p: ExportProgress) => void,
): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: "same-origin", signal });
  } catch (error) {
    if ((error as Error)?.name === "AbortError") throw error;
    throw new ApiError(0, { code: "network_error" });
  }
  if (!res.ok) {
    let problem: Problem = { status: res.status };
    try {
      problem = { status: res.status, ...(await res.json()) };
    } catch {
      // Keep the status only.
    }
    throw new ApiError(res.status, problem);
  }
  const type = res.headers.get("content-type") ?? undefined;
  if (!res.body) {
    const blob = await res.blob();
    onProgress({ bytes: blob.size, rows: 0 });
    return blob;
  }
  return readWithProgress(res.body, { format, signal, onProgress, ...(type ? { type } : {}) });
}

/** Saves a Blob through a temporary object URL and a download link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
