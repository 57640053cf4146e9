import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { FileUrl, FormDefinition } from "@coleta/forms";
import { ZipFile } from "yazl";
import { sql } from "../db/sql";
import type { Database } from "../db/types";
import { type CsvOptions, csvCell } from "../submissions/csv-cells";
import { openExport } from "../submissions/export";
import type { SubmissionFilters } from "../submissions/filters";
import { type Read, readOrder, runRead } from "../submissions/service";
import type { UploadStorage } from "./storage";

interface Attachment {
  submission_id: string;
  field_id: string;
  index: number;
  name: string;
  storage_key: string;
}

/** Characters some systems refuse in file names (the name has no folders already). */
const zipSafe = (name: string) => name.replace(/[\\/:*?"<>|]/g, "_");

/**
 * The attachments of the submissions an export selects, in reading order, with where each sits
 * in its answer. Metadata only (a few hundred bytes a file); the bytes are read one at a time.
 */
function attachmentsQuery(formId: string, filters: SubmissionFilters): Read {
  const { where, orderBy, serial } = readOrder(formId, filters, { ascending: true });
  return {
    statement: sql`SELECT s.id AS submission_id, f.key AS field_id, (e.ord - 1)::int AS index,
                  u.name, u.storage_key
           FROM (SELECT id, answers, received_at, seq FROM submission WHERE ${where}) s
           CROSS JOIN LATERAL jsonb_each(s.answers) f
           CROSS JOIN LATERAL jsonb_array_elements(
             CASE WHEN jsonb_typeof(f.value) = 'array' THEN f.value ELSE '[]'::jsonb END
           ) WITH ORDINALITY e(item, ord)
           JOIN upload u ON u.id::text = e.item->>'uploadId' AND u.submission_id = s.id
           ORDER BY ${orderBy("s")}, f.key, e.ord`,
    serial,
  };
}

export interface ZipExportOptions {
  database: Database;
  storage: UploadStorage;
  formId: string;
  definition: FormDefinition;
  filters: SubmissionFilters;
  /** The owner's download URL of file `index` of an answer (goes into files.csv). */
  fileUrl: FileUrl;
  /** The options of `submissions.csv` (BOM, separator, labels), as in the CSV export. */
  csv?: CsvOptions;
  release: () => void;
}

/**
 * A streamed ZIP: `submissions.csv` (the CSV export, same filters), every attachment under
 * `files/<submissionId>/<fieldId>/<index>-<name>` (stored, not recompressed: photos and audio are
 * compressed already), and `files.csv` listing each file's path and download URL. Each file is
 * opened only when the archive reaches it, so memory stays flat however many there are.
 */
export async function openZipExport(options: ZipExportOptions): Promise<ReadableStream<Uint8Array>> {
  const { database, storage, formId, filters } = options;
  const attachments = await runRead<Attachment>(database, attachmentsQuery(formId, filters));
  const csv = await openExport(options, "csv", options.csv);
  const zip = new ZipFile();
  zip.addReadStream(Readable.fromWeb(csv as unknown as WebReadableStream), "submissions.csv", {
    compress: true,
  });

  const manifest = ["submission_id,field_id,index,name,path,url"];
  for (const file of attachments) {
    const path = `files/${file.submission_id}/${file.field_id}/${file.index}-${zipSafe(file.name)}`;
    const url = options.fileUrl(file.submission_id, file.field_id, file.index);
    manifest.push(
      [file.submission_id, file.field_id, String(file.index), file.name, path, url].map(csvCell).join(","),
    );
    zip.addReadStreamLazy(path, { compress: false }, (done) => {
      storage.open(file.storage_key).then(
        // A file erased since the list was read ends up empty rather than failing the archive.
        (stream) => done(null, stream ?? Readable.from([])),
        (error) => done(error, Readable.from([])),
      );
    });
  }
  zip.addBuffer(Buffer.from(`${manifest.join("\r\n")}\r\n`, "utf8"), "files.csv", { compress: true });
  zip.end();
  return Readable.toWeb(zip.outputStream as Readable) as unknown as ReadableStream<Uint8Array>;
}
