import { allFields, type FormDefinition } from "@coleta/forms";
import { AppError, type FieldError } from "../errors/app-error";

export interface SubmissionFilters {
  from?: string;
  to?: string;
  near?: { lat: number; lon: number; radius: number };
  /** Longitudes west → east (west > east crosses the antimeridian), latitudes south → north. */
  bbox?: BoundingBox;
  /** Field id → wanted value, already typed for JSON containment. */
  equals: Record<string, unknown>;
}

export interface BoundingBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** No filter at all: every submission of the form. */
export const isUnfiltered = (filters: SubmissionFilters) =>
  !filters.from && !filters.to && !filters.near && !filters.bbox && Object.keys(filters.equals).length === 0;

/**
 * A filter on the location: PostGIS declares its distance function 10 000 times dearer than an
 * ordinary operator, so with one the planner splits even a 50-row page over parallel workers,
 * whose start-up costs more than the page (10× on a busy server). Such reads run serially.
 */
export const filtersByLocation = (filters: SubmissionFilters) =>
  filters.near !== undefined || filters.bbox !== undefined;

/** `bbox=<west>,<south>,<east>,<north>` in degrees; undefined (with an error listed) when not valid. */
export function parseBoundingBox(text: string, path: string, errors: FieldError[]): BoundingBox | undefined {
  const parts = text.split(",");
  const [west, south, east, north] = parts.map((part) => (part.trim() === "" ? Number.NaN : Number(part)));
  if (
    parts.length !== 4 ||
    west === undefined ||
    south === undefined ||
    east === undefined ||
    north === undefined ||
    !(Math.abs(west) <= 180 && Math.abs(east) <= 180 && Math.abs(south) <= 90 && Math.abs(north) <= 90) ||
    south > north
  ) {
    errors.push({
      path,
      code: "invalid_bbox",
      message: "Use bbox=<west>,<south>,<east>,<north> in degrees (south not above north).",
    });
    return undefined;
  }
  return { west, south, east, north };
}

/** SQL conditions and their parameters, numbered after the ones the caller already has. */
export interface SqlWhere {
  clauses: string[];
  params: unknown[];
}

// ISO 8601 as people and tools write it: a date, or a date-time with an optional zone.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

function parseInstant(
  value: string,
  path: string,
  errors: FieldError[],
  endOfDay: boolean,
): string | undefined {
  const invalid = () => {
    errors.push({
      path,
      code: "invalid_date",
      message: "Use an ISO date (2026-01-31) or date-time between the years 0001 and 9999.",
    });
    return undefined;
  };
  const match = ISO_INSTANT.exec(value);
  if (!match || Number(match[1]) < 1) return invalid();
  // A bare date means the whole day: `to=2026-01-31` includes the 31st.
  const text = match[4] === undefined ? `${value}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z` : value;
  const time = Date.parse(text);
  if (Number.isNaN(time)) return invalid();
  const instant = new Date(time);
  // Date.parse rolls 2026-02-31 over to March; a date that does not exist is a mistake.
  const [month, day] = [Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(2000, month - 1, day));
  if (month < 1 || month > 12 || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    return invalid();
  }
  // PostgreSQL timestamps (and ISO output with four-digit years) cover the years 1 to 9999.
  const year = instant.getUTCFullYear();
  if (year < 1 || year > 9999) return invalid();
  return instant.toISOString();
}

function typedValue(definition: FormDefinition, fieldId: string, raw: string, errors: FieldError[]): unknown {
  const field = allFields(definition).find((f) => f.id === fieldId);
  if (!field) {
    errors.push({ path: `field.${fieldId}`, code: "unknown_field", message: "This form has no such field." });
    return undefined;
  }
  switch (field.type) {
    case "number":
    case "rating": {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n)) {
        errors.push({ path: `field.${fieldId}`, code: "invalid_type", message: "Expected a number." });
      }
      return n;
    }
    case "yes_no":
    case "consent":
      if (raw !== "true" && raw !== "false") {
        errors.push({ path: `field.${fieldId}`, code: "invalid_type", message: "Expected true or false." });
      }
      return raw === "true";
    case "multiple_choice":
      return [raw];
    case "geopoint":
    case "file":
      errors.push({
        path: `field.${fieldId}`,
        code: "not_filterable",
        message: "This field cannot be filtered by value.",
      });
      return undefined;
    default:
      return raw;
  }
}

/** Reads `from`, `to`, `near`, `bbox` and every `field.<id>` query parameter; bad values → 400 listing each. */
export function parseFilters(query: Record<string, string[]>, definition: FormDefinition): SubmissionFilters {
  const errors: FieldError[] = [];
  const one = (key: string) => query[key]?.[0];
  const filters: SubmissionFilters = { equals: {} };
  const from = one("from");
  const to = one("to");
  if (from) filters.from = parseInstant(from, "from", errors, false);
  if (to) filters.to = parseInstant(to, "to", errors, true);
  if (filters.from && filters.to && filters.from > filters.to) {
    errors.push({ path: "to", code: "to_before_from", message: "“To” must not be before “From”." });
  }
  const near = one("near");
  if (near) {
    const [lat, lon, radius] = near.split(",").map(Number);
    if (
      lat === undefined ||
      lon === undefined ||
      radius === undefined ||
      !(Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && radius > 0 && radius <= 20_000_000)
    ) {
      errors.push({
        path: "near",
        code: "invalid_near",
        message: "Use near=<lat>,<lon>,<radius in metres>.",
      });
    } else {
      filters.near = { lat, lon, radius };
    }
  }
  const bbox = one("bbox");
  if (bbox) filters.bbox = parseBoundingBox(bbox, "bbox", errors);
  for (const [key, values] of Object.entries(query)) {
    if (!key.startsWith("field.") || values[0] === undefined) continue;
    const fieldId = key.slice("field.".length);
    const value = typedValue(definition, fieldId, values[0], errors);
    if (value !== undefined) filters.equals[fieldId] = value;
  }
  if (errors.length > 0) throw AppError.badRequest("Some filters are not valid.", errors);
  return filters;
}

export function filterSql(filters: SubmissionFilters, firstParam: number): SqlWhere {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const next = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  if (filters.from) clauses.push(`received_at >= ${next(filters.from)}::timestamptz`);
  if (filters.to) clauses.push(`received_at <= ${next(filters.to)}::timestamptz`);
  if (filters.near) {
    const { lat, lon, radius } = filters.near;
    const point = `ST_SetSRID(ST_MakePoint(${next(lon)}::float8, ${next(lat)}::float8), 4326)::geography`;
    const metres = `${next(radius)}::float8`;
    // Exactly ST_DWithin spelled as its two halves: the box test that ST_DWithin adds for the GiST
    // index, and the exact distance test. Written out, the box gets a real estimate from the
    // column's statistics; ST_DWithin as one call is always estimated at 0.01% of the rows, so a
    // wide radius (many matches) was planned like a narrow one.
    clauses.push(
      `location && _ST_Expand(${point}, ${metres})`,
      `_ST_DWithin(location, ${point}, ${metres}, true)`,
    );
  }
  if (filters.bbox) {
    const { west, south, east, north } = filters.bbox;
    const [s, n] = [next(south), next(north)];
    // The exact test, on the coordinates. Wrapped in coalesce(…): an opaque test the planner puts
    // at a third of the rows, so its estimate comes from the GiST box test below; two plain range
    // tests on expressions are put at 0.5% each, and a common box was planned as a rare one (a
    // sequential scan and a sort of the whole form).
    const x = "ST_X(location::geometry)";
    const longitude =
      west <= east
        ? `${x} BETWEEN ${next(west)}::float8 AND ${next(east)}::float8`
        : `(${x} >= ${next(west)}::float8 OR ${x} <= ${next(east)}::float8)`;
    clauses.push(
      `coalesce(ST_Y(location::geometry) BETWEEN ${s}::float8 AND ${n}::float8 AND ${longitude}, false)`,
    );
    // And the test the GiST index answers. `&&` on geography compares boxes around geodesic
    // shapes, not lat/lon rectangles: each piece is the envelope drawn along its parallels (a vertex
    // every degree) and widened by a kilometre, which holds the whole rectangle. Pieces are at most
    // 90° wide (a shape larger than a hemisphere has no clear inside) and a box across the
    // antimeridian is cut there.
    const pieces: string[] = [];
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
          `location && _ST_Expand(ST_Segmentize(ST_MakeEnvelope(${next(start)}::float8, ${s}::float8, ${next(end)}::float8, ${n}::float8, 4326), 1)::geography, 1000)`,
        );
        start = end;
      } while (start < to);
    }
    clauses.push(pieces.length === 1 ? (pieces[0] as string) : `(${pieces.join(" OR ")})`);
  }
  if (Object.keys(filters.equals).length > 0) {
    // JSON containment answers "field equals value" (and "multiple choice includes value") from the GIN index.
    clauses.push(`answers @> ${next(JSON.stringify(filters.equals))}::jsonb`);
  }
  return { clauses, params };
}
