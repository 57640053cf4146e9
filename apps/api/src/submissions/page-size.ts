import { type SQL, sql } from "../db/sql";

/** The first export page is small, for a quick first byte; the rest are large, so per-query costs vanish. */
export const EXPORT_FIRST_PAGE = 1000;
export const EXPORT_PAGE = 5000;
/**
 * An export page also ends after the row that takes its text past this many bytes (one row however
 * large, so every page moves on). Without it a page of 5,000 answers near the 1 MB body limit
 * would be gigabytes in the API (and more than one PostgreSQL text value may hold).
 */
export const EXPORT_PAGE_BYTES = 8 * 1024 * 1024;

/**
 * The rows of one export page, bounded in bytes as well as in count: `rows` is a statement reading
 * at most `limit` rows in reading order, `size` the byte size of a row (an expression on its
 * columns). Adds `n` (the position in the page), `upto` (the page's bytes up to the row, so the
 * last row's is the page's size) and `fills`: true on the row that ends the page by count or by
 * size, after which there may be more to read. The running size follows the order
 * `rows` was read in (the same `orderBy`, so PostgreSQL adds no sort).
 */
export function sizedPage(rows: SQL, size: SQL, orderBy: SQL, limit: number): SQL {
  return sql`SELECT *, (upto >= ${EXPORT_PAGE_BYTES} OR n = ${limit}) AS fills
             FROM (SELECT page.*, row_number() OVER running AS n, sum(${size}) OVER running AS upto,
                          ${size} AS size
                   FROM (${rows}) AS page
                   WINDOW running AS (ORDER BY ${orderBy} ROWS UNBOUNDED PRECEDING)) AS sized
             WHERE upto - size < ${EXPORT_PAGE_BYTES}`;
}

/**
 * How many rows to ask for after a page of `rows` rows and `bytes` bytes (its last row's `upto`): EXPORT_PAGE, or
 * fewer when rows are large, so that the database does not make text for rows that the byte bound
 * would drop (it stops reading at the limit, not at the bound).
 */
export function nextPageRows(rows: number, bytes: number): number {
  if (rows === 0) return EXPORT_PAGE;
  const rowSize = Math.max(1, bytes / rows);
  return Math.max(1, Math.min(EXPORT_PAGE, Math.floor(EXPORT_PAGE_BYTES / rowSize)));
}
