/**
 * Where things live in the lake (a folder or an S3 prefix), Hive style so DuckDB, Athena and Spark
 * see `form` and `date` as columns:
 *
 *   form=<form id>/date=<yyyy-mm-dd>/part-<from µs>-<to µs>.parquet
 *   _coleta/lake-state.json
 *
 * A file holds the form's submissions received in [from, to) that day (UTC), microseconds since
 * the epoch. The range in the name is what makes a run repeatable: a file whose `to` is past the
 * committed watermark was left by a run that did not finish, and the next run deletes it.
 */
export const STATE_KEY = "_coleta/lake-state.json";

export interface PartFile {
  key: string;
  formId: string;
  date: string;
  from: bigint;
  to: bigint;
}

const PART = /^form=([0-9a-f-]{36})\/date=(\d{4}-\d{2}-\d{2})\/part-(\d+)-(\d+)\.parquet$/;

export const partitionPrefix = (formId: string, date: string) => `form=${formId}/date=${date}/`;
export const partKey = (formId: string, date: string, from: bigint, to: bigint) =>
  `${partitionPrefix(formId, date)}part-${from}-${to}.parquet`;

/** A lake key as a part file, or null for anything else (state, files someone else put there). */
export function parsePartKey(key: string): PartFile | null {
  const match = PART.exec(key);
  if (!match) return null;
  const [, formId = "", date = "", from = "0", to = "0"] = match;
  return { key, formId, date, from: BigInt(from), to: BigInt(to) };
}

const DAY_MICROS = 86_400_000_000n;
/** [start, end) of a UTC day in microseconds. */
export function dayRange(date: string): { start: bigint; end: bigint } {
  const start = BigInt(Date.parse(`${date}T00:00:00Z`)) * 1000n;
  return { start, end: start + DAY_MICROS };
}
