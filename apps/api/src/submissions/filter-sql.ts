import { allOf, type SQL, sql } from "../db/sql";
import type { SubmissionFilters } from "./filters";

/** `\`, `%` and `_` as literals in a LIKE pattern (whose escape character is `\`). */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The radius test: exactly ST_DWithin, spelled as its two halves. */
function withinRadius({ lat, lon, radius }: NonNullable<SubmissionFilters["near"]>): SQL[] {
  const point = sql`ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326)::geography`;
  const metres = sql`${radius}::float8`;
  // The box test that ST_DWithin adds for the GiST index, and the exact distance test. Written
  // out, the box gets a real estimate from the column's statistics; ST_DWithin as one call is
  // always estimated at 0.01% of the rows, so a wide radius (many matches) was planned like a
  // narrow one.
  return [
    sql`location && _ST_Expand(${point}, ${metres})`,
    sql`_ST_DWithin(location, ${point}, ${metres}, true)`,
  ];
}

/** The bounding-box test: the exact one on the coordinates, and the one the GiST index answers. */
function insideBox({ west, south, east, north }: NonNullable<SubmissionFilters["bbox"]>): SQL[] {
  // The exact test, on the coordinates. Wrapped in coalesce(…): an opaque test the planner puts
  // at a third of the rows, so its estimate comes from the GiST box test below; two plain range
  // tests on expressions are put at 0.5% each, and a common box was planned as a rare one (a
  // sequential scan and a sort of the whole form).
  const x = sql`ST_X(location::geometry)`;
  const longitude =
    west <= east
      ? sql`${x} BETWEEN ${west}::float8 AND ${east}::float8`
      : sql`(${x} >= ${west}::float8 OR ${x} <= ${east}::float8)`;
  const exact = sql`coalesce(ST_Y(location::geometry) BETWEEN ${south}::float8 AND ${north}::float8 AND ${longitude}, false)`;
  // `&&` on geography compares boxes around geodesic shapes, not lat/lon rectangles: each piece is
  // the envelope drawn along its parallels (a vertex every degree) and widened by a kilometre,
  // which holds the whole rectangle. Pieces are at most 90° wide (a shape larger than a hemisphere
  // has no clear inside) and a box across the antimeridian is cut there.
  const pieces: SQL[] = [];
  const ranges: [number, number][] =
    west <= east
      ? [[west, east]]
      : [
          [west, 180],
          [-180, east],
        ];
  for (const [from, to] of ranges) {
    let start = from;
    do {
      const end = Math.min(start + 90, to);
      pieces.push(
        sql`location && _ST_Expand(ST_Segmentize(ST_MakeEnvelope(${start}::float8, ${south}::float8, ${end}::float8, ${north}::float8, 4326), 1)::geography, 1000)`,
      );
      start = end;
    } while (start < to);
  }
  return [exact, pieces.length === 1 ? (pieces[0] as SQL) : sql`(${sql.join(pieces, sql` OR `)})`];
}

/**
 * Field values by JSON containment, which the GIN index on `answers` answers ("equals", and
 * "includes" for multiple choice). Fields with one value are one containment of them all; a field
 * with several is an OR of one containment per value (a BitmapOr of index probes when rare).
 */
function equalAnswers(equals: SubmissionFilters["equals"]): SQL[] {
  const together: Record<string, unknown> = {};
  const conditions: SQL[] = [];
  for (const [fieldId, values] of Object.entries(equals)) {
    if (values.length === 1) together[fieldId] = values[0];
    else if (values.length === 0) conditions.push(sql`false`);
    else {
      const any = values.map((value) => sql`answers @> ${JSON.stringify({ [fieldId]: value })}::jsonb`);
      conditions.push(sql`(${sql.join(any, sql` OR `)})`);
    }
  }
  if (Object.keys(together).length > 0) {
    conditions.unshift(sql`answers @> ${JSON.stringify(together)}::jsonb`);
  }
  return conditions;
}

/**
 * Text answers containing a text, ignoring case: both sides lowercased by the database's own
 * lower() (Unicode-aware under the UTF-8 locales PostgreSQL and PGlite run with), the user's `%`,
 * `_` and `\` taken literally. No index narrows it (docs/decisions/0009-text-search-filter.md): a
 * list page walks the form's received-order index and stops at a page of matches. Wrapped in
 * coalesce(…) so the planner puts it at a third of the rows, whatever the text: a LIKE estimate
 * shrinks with every letter typed, and a "rare" long text was planned as a sequential scan and a
 * sort of the whole form.
 */
function containsText(contains: NonNullable<SubmissionFilters["contains"]>): SQL[] {
  return Object.entries(contains).map(
    ([fieldId, text]) =>
      sql`coalesce(lower(answers ->> ${fieldId}) LIKE '%' || lower(${likeLiteral(text)}) || '%' ESCAPE '\\', false)`,
  );
}

/** The conditions on `submission` (unqualified columns) that select what the filters ask for. */
export function filterConditions(filters: SubmissionFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.from) conditions.push(sql`received_at >= ${filters.from}::timestamptz`);
  if (filters.to) conditions.push(sql`received_at <= ${filters.to}::timestamptz`);
  if (filters.near) conditions.push(...withinRadius(filters.near));
  if (filters.bbox) conditions.push(...insideBox(filters.bbox));
  conditions.push(...equalAnswers(filters.equals));
  if (filters.contains) conditions.push(...containsText(filters.contains));
  return conditions;
}

/** One form's submissions that the filters select, as one condition (unqualified columns). */
export const selectedSubmissions = (formId: string, filters: SubmissionFilters): SQL =>
  allOf([sql`form_id = ${formId}`, ...filterConditions(filters)]);
