import type { FormDefinition } from "@coleta/forms";
import { choice, titledForm } from "@coleta/forms/testing";

/**
 * Every typed column kind the Parquet export writes, and SQL rows for it: the Parquet test reads
 * them back, bench/parquet.ts times their export.
 */
export const typedDefinition: FormDefinition = titledForm(
  "Typed survey",
  { id: "name", type: "short_text", label: "Name" },
  { id: "weight", type: "number", label: "Weight (kg)" },
  { id: "age", type: "number", label: "Age", integer: true },
  { id: "stars", type: "rating", label: "Stars", max: 5 },
  { id: "visited", type: "date", label: "Visited on" },
  { id: "at", type: "time", label: "At" },
  { id: "smoker", type: "yes_no", label: "Smoker?" },
  choice("multiple_choice", "fruits", "Fruits", { apple: "Apple", pear: "Pear", fig: "Fig" }),
  { id: "where", type: "geopoint", label: "Where" },
  // A field named like a submission column keeps its answers under a unique name.
  { id: "date", type: "short_text", label: "Date (free text)" },
);

type Query = (text: string, params?: unknown[]) => Promise<unknown>;

/**
 * Inserts rows g = 1 … rows for a form of typedDefinition, in one statement. Row g is named 'P' || g;
 * every 10th row leaves the optional answers out (nulls), row 7 of every 10 holds answers of the
 * wrong type (as an older version might); the others answer everything, derived from g. Received
 * one second apart from 2026-03-01T00:00:01.000123Z (microseconds included).
 */
export async function seedTypedSubmissions(query: Query, formId: string, rows: number): Promise<void> {
  await query(
    `INSERT INTO submission (id, form_id, form_version, answers, received_at)
     SELECT gen_random_uuid(), $1, 1,
            CASE WHEN g % 10 = 0 THEN jsonb_build_object('name', 'P' || g)
                 WHEN g % 10 = 7 THEN jsonb_build_object('name', 'P' || g, 'age', 'old', 'weight', 'heavy',
                      'smoker', 'no', 'visited', 'yesterday', 'fruits', 'apple', 'where', 'here')
                 ELSE jsonb_build_object(
                   'name', 'P' || g, 'weight', g / 4.0, 'age', g % 100, 'stars', g % 5 + 1,
                   'visited', to_char(date '2026-01-01' + (g % 365), 'YYYY-MM-DD'), 'at', '08:30',
                   'smoker', g % 3 = 0, 'fruits', CASE WHEN g % 2 = 0 THEN '["apple","fig"]'::jsonb ELSE '["pear"]'::jsonb END,
                   'where', jsonb_build_object('lat', -23.5 + g / 1e6, 'lon', -46.6, 'accuracy', 5),
                   'date', 'soon')
            END,
            timestamptz '2026-03-01 00:00:00+00' + g * interval '1 second' + interval '123 microseconds'
     FROM generate_series(1, $2::int) AS g`,
    [formId, rows],
  );
}
