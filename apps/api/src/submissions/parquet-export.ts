import type { ExportRequest } from "./export";
import {
  type AnswerPage as Page,
  type AnswerRow as PageRow,
  readAnswerPage as readPage,
} from "./export-pages";
import { EXPORT_FIRST_PAGE } from "./page-size";
import { ParquetSubmissionWriter } from "./parquet";

export const PARQUET_CONTENT_TYPE = "application/vnd.apache.parquet";

/**
 * Opens a Parquet export of a form's (filtered) submissions, oldest first, with the columns of
 * `definition`. Like the CSV export: the first page is read before anything is sent (a failure
 * there is a proper error status), the next page is read while this one is encoded, a failure
 * midway aborts the connection (a Parquet file without its footer is unreadable, never silently
 * short), and `release` runs exactly once. Memory stays flat: at most one row group of rows and
 * two pages from the database are held.
 */
export async function openParquetExport(request: ExportRequest): Promise<ReadableStream<Uint8Array>> {
  const { database, formId, definition, filters, release = () => {}, abortConnection = () => {} } = request;
  const chunks: Uint8Array[] = [];
  const writer = new ParquetSubmissionWriter(definition, (bytes) => chunks.push(bytes));
  const add = (rows: PageRow[]) => {
    for (const row of rows) {
      writer.add({
        id: row.id,
        receivedAtMicros: BigInt(row.micros),
        formVersion: row.form_version,
        answers: JSON.parse(row.answers),
      });
    }
  };
  /** The next page, already being read; its error waits for the pull that wants it. */
  let ahead: Promise<Page> | null = null;
  const readAhead = (page: Page) => {
    ahead = page.next === null ? null : readPage(database, formId, filters, page.next, page.nextLimit);
    ahead?.catch(() => {});
  };
  try {
    const first = await readPage(database, formId, filters, undefined, EXPORT_FIRST_PAGE);
    readAhead(first);
    add(first.rows);
  } catch (error) {
    release();
    throw error;
  }
  let done = false;
  const end = () => {
    if (done) return;
    done = true;
    release();
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // Read pages until a row group's bytes are ready (or the rows run out).
          while (chunks.length === 0 && ahead !== null) {
            const page: Page = await ahead;
            if (done) return;
            readAhead(page);
            add(page.rows);
          }
          if (ahead === null) writer.finish();
          for (const chunk of chunks.splice(0)) controller.enqueue(chunk);
          if (ahead === null) {
            controller.close();
            end();
          }
        } catch (error) {
          end();
          abortConnection();
          controller.error(error);
        }
      },
      cancel() {
        end();
      },
    },
    { highWaterMark: 1 },
  );
}
