import { allFields, type Field, type FormDefinition } from "@coleta/forms";
import type { SchemaElement } from "hyparquet-writer";

/**
 * The typed Parquet columns of a form's answers: one column per field, named by the field id, in
 * form order. A geopoint is four: `<id>` (the point as WKB, a GeoParquet geometry column) and
 * `<id>_lat`, `<id>_lon`, `<id>_accuracy`. Each column turns a stored answer into its Parquet value
 * or null; answers stored under an older version that do not fit the type are null (never an error).
 */
export interface ParquetColumn {
  name: string;
  fieldId: string;
  /** The column's schema elements: one for a plain column, three for a list. */
  schema: SchemaElement[];
  value: (answer: unknown) => unknown;
  /** Set on geometry columns (for the GeoParquet `geo` metadata). */
  geometry?: true;
}

/**
 * Names the submission columns and the lake's Hive partitions take; a field with one of these ids
 * (or an id another column already took, such as `loc_lat` next to a geopoint `loc`) gets `_2`,
 * `_3`… so every name is unique and stable for a given definition.
 */
export const RESERVED_COLUMN_NAMES = [
  "submission_id",
  "received_at",
  "form_version",
  "answers",
  "form",
  "date",
];

const optional = (element: Omit<SchemaElement, "repetition_type">): SchemaElement => ({
  ...element,
  repetition_type: "OPTIONAL",
});
const STRING = { type: "BYTE_ARRAY", converted_type: "UTF8" } as const;
const DOUBLE = { type: "DOUBLE" } as const;
const INT64 = { type: "INT64", converted_type: "INT_64" } as const;
const BOOLEAN = { type: "BOOLEAN" } as const;
const DATE = { type: "INT32", converted_type: "DATE" } as const;
// The GeoParquet geometry: plain BYTE_ARRAY holding WKB, described by the file's `geo` metadata
// (GeoParquet 1.1), which DuckDB, GDAL, QGIS and Athena's ST_GeomFromBinary all read.
const WKB = { type: "BYTE_ARRAY" } as const;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function text(answer: unknown): string | null {
  if (answer === undefined || answer === null || answer === "") return null;
  if (typeof answer === "string") return answer;
  // An older version's answer of another type is kept as its text rather than dropped.
  if (typeof answer === "number" || typeof answer === "boolean") return String(answer);
  return JSON.stringify(answer);
}
const double = (answer: unknown) => (typeof answer === "number" && Number.isFinite(answer) ? answer : null);
const int64 = (answer: unknown) => (Number.isSafeInteger(answer) ? BigInt(answer as number) : null);
const boolean = (answer: unknown) => (typeof answer === "boolean" ? answer : null);
/** `YYYY-MM-DD` → days since 1970-01-01 (Parquet DATE). */
function date(answer: unknown): number | null {
  const match = typeof answer === "string" ? ISO_DATE.exec(answer) : null;
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(ms) ? null : ms / DAY_MS;
}
function strings(answer: unknown): string[] | null {
  if (!Array.isArray(answer)) return null;
  return answer.filter((item): item is string => typeof item === "string");
}
function point(answer: unknown): { lat: number; lon: number; accuracy?: unknown } | null {
  if (typeof answer !== "object" || answer === null) return null;
  const { lat, lon, accuracy } = answer as Record<string, unknown>;
  return typeof lat === "number" && typeof lon === "number" && Number.isFinite(lat) && Number.isFinite(lon)
    ? { lat, lon, accuracy }
    : null;
}
/** ISO WKB of a 2D point (little endian): x = longitude, y = latitude, as GeoParquet's CRS84. */
export function pointWkb(lon: number, lat: number): Uint8Array {
  const bytes = new Uint8Array(21);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, 1);
  view.setUint32(1, 1, true);
  view.setFloat64(5, lon, true);
  view.setFloat64(13, lat, true);
  return bytes;
}

function columnsFor(field: Field): Omit<ParquetColumn, "fieldId">[] {
  const id = field.id;
  const one = (element: Omit<SchemaElement, "name" | "repetition_type">, value: (a: unknown) => unknown) => [
    { name: id, schema: [optional({ name: id, ...element })], value },
  ];
  switch (field.type) {
    case "number":
      return field.integer ? one(INT64, int64) : one(DOUBLE, double);
    case "rating":
      return one(INT64, int64);
    case "yes_no":
    case "consent":
      return one(BOOLEAN, boolean);
    case "date":
      return one(DATE, date);
    case "multiple_choice":
      return [
        {
          name: id,
          schema: [
            optional({ name: id, converted_type: "LIST", num_children: 1 }),
            { name: "list", repetition_type: "REPEATED", num_children: 1 },
            optional({ name: "element", ...STRING }),
          ],
          value: strings,
        },
      ];
    case "geopoint":
      return [
        {
          name: id,
          schema: [optional({ name: id, ...WKB })],
          value: (a) => {
            const p = point(a);
            return p ? pointWkb(p.lon, p.lat) : null;
          },
          geometry: true,
        },
        {
          name: `${id}_lat`,
          schema: [optional({ name: `${id}_lat`, ...DOUBLE })],
          value: (a) => point(a)?.lat ?? null,
        },
        {
          name: `${id}_lon`,
          schema: [optional({ name: `${id}_lon`, ...DOUBLE })],
          value: (a) => point(a)?.lon ?? null,
        },
        {
          name: `${id}_accuracy`,
          schema: [optional({ name: `${id}_accuracy`, ...DOUBLE })],
          value: (a) => double(point(a)?.accuracy),
        },
      ];
    default:
      // Text, e-mail, phone, URL, single choice, dropdown, time (`HH:MM`) and file (its metadata
      // as JSON) are text.
      return one(STRING, text);
  }
}

/** The answer columns of a definition, in form order, with unique names (see RESERVED_COLUMN_NAMES). */
export function parquetColumns(definition: FormDefinition): ParquetColumn[] {
  const taken = new Set(RESERVED_COLUMN_NAMES);
  const columns: ParquetColumn[] = [];
  for (const field of allFields(definition)) {
    for (const column of columnsFor(field)) {
      let name = column.name;
      for (let n = 2; taken.has(name); n++) name = `${column.name}_${n}`;
      taken.add(name);
      const [head, ...rest] = column.schema;
      columns.push({
        ...column,
        name,
        fieldId: field.id,
        schema: [{ ...(head as SchemaElement), name }, ...rest],
      });
    }
  }
  return columns;
}

/**
 * One definition with every field any of a form's versions had: the latest version's fields in its
 * order, then fields only older versions had (newest first), so lake files keep the columns of old
 * rows and a new version adds its columns. Each field keeps its latest type.
 */
export function mergedDefinition(versions: FormDefinition[]): FormDefinition {
  const [latest, ...older] = versions;
  if (!latest) return { schemaVersion: 1, title: "", pages: [] };
  const seen = new Set(allFields(latest).map((f) => f.id));
  const extra: Field[] = [];
  for (const version of older) {
    for (const field of allFields(version)) {
      if (seen.has(field.id)) continue;
      seen.add(field.id);
      extra.push(field);
    }
  }
  return extra.length === 0
    ? latest
    : { ...latest, pages: [...latest.pages, { id: "__older_versions", fields: extra }] };
}
