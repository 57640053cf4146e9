import { allFields, type Field, type FormDefinition } from "@coleta/forms";
import type { Database } from "../db/client";
import { filterSql, type SubmissionFilters } from "./filters";

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
const CHOICE_TYPES = new Set(["single_choice", "dropdown", "yes_no", "consent"]);

/** Aggregates per field, computed in the database so the page never downloads every submission. */
export async function summarize(
  database: Database,
  formId: string,
  definition: FormDefinition,
  filters: SubmissionFilters,
) {
  const where = filterSql(filters, 2);
  const base = `FROM submission WHERE ${["form_id = $1", ...where.clauses].join(" AND ")}`;
  const params = [formId, ...where.params];
  const q = <T>(select: string, extra: unknown[] = []) =>
    database.query<T>(`${select} ${base}`, [...params, ...extra]);
  const key = `$${params.length + 1}`;

  const all = allFields(definition);
  // The total and every field's answered count in one pass over the rows.
  const answeredColumns = all.map(
    (_, i) => `count(*) FILTER (WHERE answers ? $${params.length + 1 + i})::int AS a${i}`,
  );
  const [counts] = await q<Record<string, number>>(
    `SELECT ${["count(*)::int AS total", ...answeredColumns].join(", ")}`,
    all.map((f) => f.id),
  );
  const fields: FieldSummary[] = [];
  for (const [i, field] of all.entries()) {
    const summary: FieldSummary = {
      fieldId: field.id,
      type: field.type,
      answered: Number(counts?.[`a${i}`] ?? 0),
    };
    if (CHOICE_TYPES.has(field.type)) {
      const grouped = await database.query<{ v: string; n: number }>(
        `SELECT answers->>${key} AS v, count(*)::int AS n ${base} AND answers ? ${key} GROUP BY 1`,
        [...params, field.id],
      );
      summary.counts = Object.fromEntries(grouped.map((r) => [r.v, r.n]));
    } else if (field.type === "multiple_choice") {
      const grouped = await database.query<{ v: string; n: number }>(
        `SELECT e.v, count(*)::int AS n ${base.replace("FROM submission", `FROM submission, jsonb_array_elements_text(CASE WHEN jsonb_typeof(answers->${key}) = 'array' THEN answers->${key} ELSE '[]'::jsonb END) AS e(v)`)} GROUP BY 1`,
        [...params, field.id],
      );
      summary.counts = Object.fromEntries(grouped.map((r) => [r.v, r.n]));
    } else if (field.type === "number" || field.type === "rating") {
      const [stats] = await database.query<{ min: number | null; max: number | null; mean: number | null }>(
        `SELECT min((answers->>${key})::float8) AS min, max((answers->>${key})::float8) AS max, avg((answers->>${key})::float8) AS mean ${base} AND jsonb_typeof(answers->${key}) = 'number'`,
        [...params, field.id],
      );
      if (stats && stats.min !== null && stats.max !== null && stats.mean !== null) {
        summary.stats = { min: Number(stats.min), max: Number(stats.max), mean: Number(stats.mean) };
      }
      const grouped = await database.query<{ v: string; n: number }>(
        `SELECT (answers->>${key}) AS v, count(*)::int AS n ${base} AND jsonb_typeof(answers->${key}) = 'number' GROUP BY 1 ORDER BY (answers->>${key})::float8 LIMIT 200`,
        [...params, field.id],
      );
      summary.histogram = Object.fromEntries(grouped.map((r) => [r.v, r.n]));
    } else if (field.type === "geopoint") {
      const points = await database.query<{ lat: number; lon: number }>(
        `SELECT (answers->${key}->>'lat')::float8 AS lat, (answers->${key}->>'lon')::float8 AS lon ${base} AND jsonb_typeof(answers->${key}) = 'object' ORDER BY seq DESC LIMIT ${MAX_POINTS}`,
        [...params, field.id],
      );
      summary.points = points.map((p) => ({ lat: Number(p.lat), lon: Number(p.lon) }));
    }
    fields.push(summary);
  }
  return { total: Number(counts?.total ?? 0), fields };
}
