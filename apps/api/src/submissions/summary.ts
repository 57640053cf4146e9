import { allFields, type Field, type FormDefinition } from "@coleta/forms";
import type { Database } from "../db/client";
import { list, queryRows, type SQL, sql } from "../db/sql";
import { selectedSubmissions } from "./filter-sql";
import { filtersByLocation, isUnfiltered, type SubmissionFilters } from "./filters";
import { runRead } from "./service";

export interface FieldSummary {
  fieldId: string;
  type: Field["type"];
  answered: number;
  counts?: Record<string, number>;
  stats?: { min: number; max: number; mean: number };
  histogram?: Record<string, number>;
  points?: { lat: number; lon: number }[];
}

const MAX_POINTS = 5000;
const HISTOGRAM_VALUES = 200;
const CHOICE_TYPES = new Set<Field["type"]>(["single_choice", "dropdown", "yes_no", "consent"]);
const NUMBER_TYPES = new Set<Field["type"]>(["number", "rating"]);

/** One tally: (field, kind, JSON type, value text) → n, as submission_rollup holds them. */
interface TallyRow {
  what: "row" | "stats" | "histogram" | "tracked" | "total";
  field_id: string | null;
  kind: string | null;
  type: string | null;
  value: string | null;
  n: string | number;
  min: number | null;
  max: number | null;
  mean: number | null;
}

/**
 * What the summary shows, from a CTE `r` of tallies (field_id, kind, type, value, n): every row
 * the fields of this definition need, except numbers, whose min/max/mean and 200 lowest values
 * are computed here, in the database (a top-N per field, not a sort of every distinct value).
 */
function reader(ids: string[], numbers: string[]): SQL {
  const isNumber = sql`kind = 'value' AND type = 'number' AND field_id = ANY(${list(numbers)}::text[])`;
  return sql`,
  numbers AS MATERIALIZED (
    SELECT field_id, value, n, value::float8 AS x FROM r WHERE ${isNumber}
  )
  SELECT 'row' AS what, field_id, kind, type, value, n, NULL::float8 AS min, NULL::float8 AS max, NULL::float8 AS mean
  FROM r WHERE field_id = ANY(${list(ids)}::text[]) AND NOT (${isNumber})
  UNION ALL
  SELECT 'stats', field_id, 'value', 'number', '', sum(n), min(x), max(x), (sum(value::numeric * n) / sum(n))::float8
  FROM numbers GROUP BY field_id
  UNION ALL
  SELECT 'histogram', k.field_id, 'value', 'number', lowest.value, lowest.n, NULL, NULL, NULL
  FROM unnest(${list(numbers)}::text[]) AS k(field_id)
  CROSS JOIN LATERAL (
    SELECT value, n FROM numbers WHERE numbers.field_id = k.field_id ORDER BY x LIMIT ${HISTOGRAM_VALUES}
  ) AS lowest`;
}

/**
 * Aggregates per field, computed in the database in a fixed number of statements whatever the
 * number of fields. Without filters they come from submission_rollup, the tallies the writing
 * statements keep exact (one small read, however many submissions); with filters, from one pass
 * over the selected rows that counts them the same way (submission_rollup_rows). Geopoints: the
 * newest points of every geopoint field, in one statement.
 */
export async function summarize(
  database: Database,
  formId: string,
  definition: FormDefinition,
  filters: SubmissionFilters,
) {
  const all = allFields(definition);
  const ids = all.map((f) => f.id);
  const valued = all.filter((f) => CHOICE_TYPES.has(f.type) || NUMBER_TYPES.has(f.type)).map((f) => f.id);
  const listed = all.filter((f) => f.type === "multiple_choice").map((f) => f.id);
  const numbers = all.filter((f) => NUMBER_TYPES.has(f.type)).map((f) => f.id);
  const trackedFields = sql`field_id = ANY(${list(valued)}::text[]) OR field_id = ANY(${list(listed)}::text[])`;

  const unfiltered = isUnfiltered(filters);
  let rows: TallyRow[] | null = null;
  if (unfiltered) {
    rows = await queryRows<TallyRow>(
      database,
      sql`WITH r AS MATERIALIZED (
            -- The folded tallies plus the deltas appended since the last fold (one snapshot).
            SELECT field_id, kind, type, value, sum(n)::bigint AS n FROM (
              SELECT field_id, kind, type, value, n FROM submission_rollup WHERE form_id = ${formId}
              UNION ALL
              SELECT field_id, kind, type, value, n FROM submission_rollup_delta
              WHERE form_id = ${formId} AND kind IN ('answered', 'value', 'element')
            ) AS tallies
            GROUP BY field_id, kind, type, value HAVING sum(n) <> 0
          )${reader(ids, numbers)}
          UNION ALL
          SELECT 'tracked', field_id, kind, NULL, NULL, 0, NULL, NULL, NULL
          FROM submission_rollup_field WHERE form_id = ${formId} AND (${trackedFields})
          UNION ALL
          SELECT 'total', NULL, NULL, NULL, NULL,
                 submission_count + coalesce((SELECT sum(d.n) FROM submission_rollup_delta d WHERE d.form_id = ${formId} AND d.kind = 'count'), 0),
                 NULL, NULL, NULL
          FROM form WHERE id = ${formId}`,
    );
    // The tallies track every field a published version had; a definition that was never
    // published (or rows of another origin) may need fields they do not: count those rows instead.
    const tracked = new Set(rows.filter((r) => r.what === "tracked").map((r) => `${r.kind}:${r.field_id}`));
    const complete =
      valued.every((id) => tracked.has(`value:${id}`)) && listed.every((id) => tracked.has(`element:${id}`));
    if (!complete) rows = null;
  }
  // Unqualified columns are the submission's (`s`): the other relations here have none of them.
  const selected = selectedSubmissions(formId, filters);
  const serial = filtersByLocation(filters);
  if (rows === null) {
    rows = await runRead<TallyRow>(database, {
      statement: sql`WITH r AS MATERIALIZED (
                       SELECT x.field_id, x.kind, x.type, x.value, count(*)::bigint AS n
                       FROM submission s
                       CROSS JOIN LATERAL submission_rollup_rows(s.answers, true, ${list(valued)}::text[], ${list(listed)}::text[]) AS x
                       WHERE ${selected}
                       GROUP BY 1, 2, 3, 4
                     )${reader(ids, numbers)}
                     UNION ALL
                     SELECT 'total', NULL, NULL, NULL, NULL, count(*), NULL, NULL, NULL FROM submission s WHERE ${selected}`,
      serial,
    });
  }

  const geo = all.filter((f) => f.type === "geopoint").map((f) => f.id);
  const points =
    geo.length === 0
      ? []
      : await runRead<{ field_id: string; lat: number; lon: number }>(database, {
          statement: sql`SELECT k.field_id, p.lat, p.lon
                         FROM unnest(${list(geo)}::text[]) WITH ORDINALITY AS k(field_id, position)
                         CROSS JOIN LATERAL (
                           SELECT (s.answers -> k.field_id ->> 'lat')::float8 AS lat,
                                  (s.answers -> k.field_id ->> 'lon')::float8 AS lon, s.received_at, s.seq
                           FROM submission s
                           WHERE ${selected}
                             -- coalesce(…): an opaque test the planner puts at a third of the rows (about
                             -- right for a geopoint field), so it walks the newest rows in index order;
                             -- a plain comparison is put at 0.5% and sorts the whole form instead.
                             AND coalesce(jsonb_typeof(s.answers -> k.field_id) = 'object', false)
                           ORDER BY s.received_at DESC, s.seq DESC LIMIT ${MAX_POINTS}
                         ) AS p
                         ORDER BY k.position, p.received_at DESC, p.seq DESC`,
          serial,
        });

  const answered = new Map<string, number>();
  const values = new Map<string, Record<string, number>>();
  const elements = new Map<string, Record<string, number>>();
  const stats = new Map<string, { min: number; max: number; mean: number }>();
  const histograms = new Map<string, [number, string, number][]>();
  let total = 0;
  // `answers->>field` is NULL for a JSON null: the summary has always shown that as "null".
  const label = (row: TallyRow) => (row.type === "null" || row.type === "" ? "null" : String(row.value));
  const add = (map: Map<string, Record<string, number>>, row: TallyRow) => {
    const counts = map.get(String(row.field_id)) ?? {};
    counts[label(row)] = (counts[label(row)] ?? 0) + Number(row.n);
    map.set(String(row.field_id), counts);
  };
  for (const row of rows) {
    const field = String(row.field_id);
    if (row.what === "total") total = Number(row.n);
    else if (row.what === "stats" && row.min !== null && row.max !== null && row.mean !== null) {
      stats.set(field, { min: Number(row.min), max: Number(row.max), mean: Number(row.mean) });
    } else if (row.what === "histogram") {
      const list = histograms.get(field) ?? [];
      list.push([Number(row.value), String(row.value), Number(row.n)]);
      histograms.set(field, list);
    } else if (row.what === "row" && row.kind === "answered") answered.set(field, Number(row.n));
    else if (row.what === "row" && row.kind === "value") add(values, row);
    else if (row.what === "row" && row.kind === "element") add(elements, row);
  }

  const fields: FieldSummary[] = all.map((field) => {
    const summary: FieldSummary = {
      fieldId: field.id,
      type: field.type,
      answered: answered.get(field.id) ?? 0,
    };
    if (CHOICE_TYPES.has(field.type)) summary.counts = values.get(field.id) ?? {};
    else if (field.type === "multiple_choice") summary.counts = elements.get(field.id) ?? {};
    else if (NUMBER_TYPES.has(field.type)) {
      const fieldStats = stats.get(field.id);
      if (fieldStats) summary.stats = fieldStats;
      const lowest = (histograms.get(field.id) ?? []).sort((a, b) => a[0] - b[0]);
      summary.histogram = Object.fromEntries(lowest.map(([, text, n]) => [text, n]));
    } else if (field.type === "geopoint") {
      summary.points = points
        .filter((p) => p.field_id === field.id)
        .map((p) => ({ lat: Number(p.lat), lon: Number(p.lon) }));
    }
    return summary;
  });
  return { total, fields };
}
