import {
  conditionValueKind,
  FILTER_CONTAINS_MAX_LENGTH,
  FILTER_MAX_VALUES_PER_FIELD,
  type Field,
  type FormDefinition,
  fieldById,
} from "@coleta/forms";
import { AppError, type FieldError } from "../errors/app-error";

export interface SubmissionFilters {
  from?: string;
  to?: string;
  near?: { lat: number; lon: number; radius: number };
  /** Longitudes west → east (west > east crosses the antimeridian), latitudes south → north. */
  bbox?: BoundingBox;
  /**
   * Field id → the values its answer may equal (any of them; for multiple choice: include), each
   * typed for JSON containment.
   */
  equals: Record<string, unknown[]>;
  /** Field id → text its answer contains, ignoring case (free-text fields only). */
  contains?: Record<string, string>;
}

export interface BoundingBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** No filter at all: every submission of the form. */
export const isUnfiltered = (filters: SubmissionFilters) =>
  !filters.from &&
  !filters.to &&
  !filters.near &&
  !filters.bbox &&
  Object.keys(filters.equals).length === 0 &&
  Object.keys(filters.contains ?? {}).length === 0;

/**
 * A filter on the location: PostGIS declares its distance function 10 000 times dearer than an
 * ordinary operator, so with one the planner splits even a 50-row page over parallel workers,
 * whose start-up costs more than the page (10× on a busy server), and compiles the statement to
 * machine code (JIT) first, 70–100 ms for a statement that runs in 140. Such reads run serially,
 * without JIT.
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

/** A field value as JSON containment needs it: typed, and a multiple choice one as a list of it. */
function typedValue(field: Field, raw: string, path: string, errors: FieldError[]): unknown {
  switch (field.type) {
    case "number":
    case "rating": {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n)) {
        errors.push({ path, code: "invalid_type", message: "Expected a number." });
        return undefined;
      }
      return n;
    }
    case "yes_no":
    case "consent":
      if (raw !== "true" && raw !== "false") {
        errors.push({ path, code: "invalid_type", message: "Expected true or false." });
        return undefined;
      }
      return raw === "true";
    case "multiple_choice":
      return [raw];
    case "geopoint":
    case "file":
      errors.push({ path, code: "not_filterable", message: "This field cannot be filtered by value." });
      return undefined;
    default:
      return raw;
  }
}

/** `field.<id>=<value>`, repeatable: the typed values (duplicates dropped), or undefined with an error. */
function equalValues(
  field: Field,
  raws: string[],
  path: string,
  errors: FieldError[],
): unknown[] | undefined {
  const distinct = [...new Set(raws)];
  if (distinct.length > FILTER_MAX_VALUES_PER_FIELD) {
    errors.push({
      path,
      code: "too_many_values",
      message: `List at most ${FILTER_MAX_VALUES_PER_FIELD} values for one field.`,
      params: { max: FILTER_MAX_VALUES_PER_FIELD },
    });
    return undefined;
  }
  const values: unknown[] = [];
  for (const raw of distinct) {
    const value = typedValue(field, raw, path, errors);
    // One error per parameter is enough: the others would say the same.
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}

/**
 * `contains.<id>=<text>`: fields whose answer is free text (the form package's "text" condition
 * kind: short and long text, e-mail, phone, URL), one non-empty text of at most
 * FILTER_CONTAINS_MAX_LENGTH characters.
 */
function containedText(field: Field, raws: string[], path: string, errors: FieldError[]): string | undefined {
  const fail = (code: string, message: string, params?: FieldError["params"]) => {
    errors.push({ path, code, message, ...(params ? { params } : {}) });
    return undefined;
  };
  if (conditionValueKind(field.type) !== "text") {
    return fail("not_searchable", "Only text answers (text, e-mail, phone, URL) can be searched.");
  }
  if (raws.length > 1) return fail("repeated_filter", "Give one text to search for per field.");
  const text = raws[0] ?? "";
  if (text === "") return fail("empty_text", "Type the text to search for.");
  if ([...text].length > FILTER_CONTAINS_MAX_LENGTH) {
    return fail("text_too_long", `Search for at most ${FILTER_CONTAINS_MAX_LENGTH} characters.`, {
      max: FILTER_CONTAINS_MAX_LENGTH,
    });
  }
  return text;
}

/** Reads one `<prefix><fieldId>` parameter for every field it names; unknown fields are errors. */
function forEachFieldParameter(
  query: Record<string, string[]>,
  definition: FormDefinition,
  prefix: "field." | "contains.",
  errors: FieldError[],
  read: (field: Field, values: string[], path: string) => void,
) {
  for (const [key, values] of Object.entries(query)) {
    if (!key.startsWith(prefix) || values.length === 0) continue;
    const field = fieldById(definition, key.slice(prefix.length));
    if (!field) {
      errors.push({ path: key, code: "unknown_field", message: "This form has no such field." });
      continue;
    }
    read(field, values, key);
  }
}

/**
 * Reads `from`, `to`, `near`, `bbox`, every `field.<id>` (repeated: any of the values) and every
 * `contains.<id>` query parameter; bad values → 400 listing each.
 */
export function parseFilters(query: Record<string, string[]>, definition: FormDefinition): SubmissionFilters {
  const errors: FieldError[] = [];
  const one = (key: string) => query[key]?.[0];
  const contains: Record<string, string> = {};
  const filters: SubmissionFilters = { equals: {}, contains };
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
  forEachFieldParameter(query, definition, "field.", errors, (field, values, path) => {
    const typed = equalValues(field, values, path, errors);
    if (typed) filters.equals[field.id] = typed;
  });
  forEachFieldParameter(query, definition, "contains.", errors, (field, values, path) => {
    const text = containedText(field, values, path, errors);
    if (text !== undefined) contains[field.id] = text;
  });
  if (errors.length > 0) throw AppError.badRequest("Some filters are not valid.", errors);
  return filters;
}
