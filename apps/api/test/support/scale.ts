import type { FormDefinition } from "@coleta/forms";
import { storedCellsOf, storedCsvCells } from "../../src/submissions/stored-cells";

/**
 * The 20-field form of the scale benchmark and of the query-plan tests, and SQL that fills
 * `submission` with rows of the exact shape the writer stores (answers jsonb, first geopoint in
 * `location`, insertion order in `seq`, `received_at` rising with it), straight in the database.
 */

const options = (...values: string[]) => values.map((value) => ({ value, label: value }));

export const CITIES = 200;

export const scaleDefinition: FormDefinition = {
  schemaVersion: 1,
  title: "Household survey",
  pages: [
    {
      id: "p1",
      fields: [
        { id: "name", type: "short_text", label: "Name", required: true },
        { id: "email", type: "email", label: "E-mail" },
        { id: "phone", type: "phone", label: "Phone" },
        { id: "city", type: "short_text", label: "City" },
        { id: "age", type: "number", label: "Age", min: 0, max: 130, integer: true },
        { id: "household", type: "number", label: "People in the household", integer: true },
        { id: "income", type: "number", label: "Monthly income" },
        { id: "rating", type: "rating", label: "Service rating", max: 5 },
        {
          id: "fruit",
          type: "single_choice",
          label: "Favourite fruit",
          options: options("apple", "pear", "banana", "mango", "grape"),
        },
        {
          id: "colour",
          type: "dropdown",
          label: "Colour",
          options: options(
            "red",
            "green",
            "blue",
            "yellow",
            "black",
            "white",
            "pink",
            "grey",
            "brown",
            "teal",
          ),
        },
        {
          id: "status",
          type: "single_choice",
          label: "Status",
          options: options("accepted", "pending", "rejected"),
        },
        { id: "has_pet", type: "yes_no", label: "Has a pet?" },
        { id: "consent", type: "consent", label: "I agree" },
        {
          id: "tags",
          type: "multiple_choice",
          label: "Interests",
          options: options("sport", "music", "books", "games", "travel", "food", "art", "tech"),
        },
        { id: "visited", type: "date", label: "Visit date" },
        { id: "at", type: "time", label: "Visit time" },
        { id: "website", type: "url", label: "Website" },
        { id: "notes", type: "long_text", label: "Notes" },
        { id: "comment", type: "short_text", label: "Comment" },
        { id: "where", type: "geopoint", label: "Where" },
      ],
    },
  ],
};

// A row's point over Brazil, from g (5 decimals, as seedPoint).
const POINT = `LATERAL (SELECT round((-33.0 + ((g::bigint * 7919) % 10007) * 28.0 / 10007)::numeric, 5) AS lat,
                round((-73.0 + ((g::bigint * 104729) % 10009) * 39.0 / 10009)::numeric, 5) AS lon) AS p`;

/**
 * The answers of rows g = first … first+count-1, as JSON text. Values are derived from g, so any
 * row can be predicted: city = 'City ' || (g % 200), age = g % 100, fruit cycles over 5 options,
 * status is 'rejected' for one row in 1000, tags hold 1–3 of 8 options, points fall over Brazil.
 */
function seedAnswersSql(): string {
  // $1 first g, $2 count
  return `
SELECT g, jsonb_strip_nulls(jsonb_build_object(
  'name', 'Person ' || g,
  'email', 'person' || g || '@example.org',
  'phone', '+55 11 9' || lpad((g % 100000000)::text, 8, '0'),
  'city', 'City ' || (g % ${CITIES}),
  'age', g % 100,
  'household', 1 + g % 7,
  'income', round(((g::bigint * 37) % 100000) / 10.0, 1),
  'rating', 1 + g % 5,
  'fruit', (ARRAY['apple','pear','banana','mango','grape'])[1 + g % 5],
  'colour', (ARRAY['red','green','blue','yellow','black','white','pink','grey','brown','teal'])[1 + g % 10],
  'status', CASE WHEN g % 1000 = 0 THEN 'rejected' WHEN g % 3 = 0 THEN 'pending' ELSE 'accepted' END,
  'has_pet', g % 2 = 0,
  'consent', true,
  'tags', (SELECT jsonb_agg(t) FROM unnest((ARRAY['sport','music','books','games','travel','food','art','tech'])
             [1 + g % 8 : 1 + g % 8 + g % 3]) AS t),
  'visited', to_char(date '2025-01-01' + g % 365, 'YYYY-MM-DD'),
  'at', lpad((g % 24)::text, 2, '0') || ':' || lpad((g % 60)::text, 2, '0'),
  'website', CASE WHEN g % 4 = 0 THEN 'https://example.org/' || g END,
  'notes', 'Visited on a weekday; the household answered every question and asked about the next visit ' || g,
  'comment', CASE WHEN g % 10 = 0 THEN 'Call back' END,
  'where', jsonb_build_object('lat', p.lat, 'lon', p.lon, 'accuracy', 5 + g % 20)
))::text AS answers
FROM generate_series($1::int, $1::int + $2::int - 1) AS g, ${POINT}
ORDER BY g`;
}

/**
 * Stores rows g with their answers and CSV cells as the writer does (the first geopoint in
 * `location`, insertion order in `seq`, `received_at` rising with g over `days` days ending now).
 */
function seedInsertSql(): string {
  // $1 form id, $2 g[], $3 answers[], $4 cells[], $5 stamp, $6 total rows (time spread), $7 days
  return `
INSERT INTO submission (id, form_id, form_version, answers, csv_cells, csv_stamp, location, received_at)
SELECT gen_random_uuid(), $1::uuid, 1, s.answers::jsonb, s.cells, CASE WHEN s.cells IS NOT NULL THEN $5::text END,
       ST_SetSRID(ST_MakePoint(p.lon::float8, p.lat::float8), 4326)::geography,
       now() - make_interval(secs => ($6::int - g) * ($7::float8 * 86400 / $6::int))
FROM unnest($2::int[], $3::text[], $4::text[]) AS s(g, answers, cells), ${POINT}
ORDER BY g`;
}

/** The geopoint of row g, as seeded (5 decimals). */
export function seedPoint(g: number): { lat: number; lon: number } {
  const round = (x: number) => Math.round(x * 1e5) / 1e5;
  return {
    lat: round(-33 + (((g * 7919) % 10007) * 28) / 10007),
    lon: round(-73 + (((g * 104729) % 10009) * 39) / 10009),
  };
}

type Query = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Seeds `rows` submissions of scaleDefinition in chunks (each its own statement), received over
 * `days` days: PostgreSQL makes the answers, and the writer's own renderer their CSV cells.
 */
export async function seedSubmissions(
  query: Query,
  formId: string,
  rows: number,
  {
    chunk = 100_000,
    days = 365,
    onChunk,
  }: { chunk?: number; days?: number; onChunk?: (done: number) => void } = {},
): Promise<void> {
  const stamp = storedCsvCells(scaleDefinition)?.stamp ?? null;
  for (let first = 1; first <= rows; first += chunk) {
    const count = Math.min(chunk, rows - first + 1);
    const made = (await query(seedAnswersSql(), [first, count])) as { g: number; answers: string }[];
    const cells = made.map((row) => storedCellsOf(scaleDefinition, JSON.parse(row.answers))?.cells ?? null);
    await query(seedInsertSql(), [
      formId,
      made.map((row) => row.g),
      made.map((row) => row.answers),
      cells,
      stamp,
      rows,
      days,
    ]);
    onChunk?.(first + count - 1);
  }
}
