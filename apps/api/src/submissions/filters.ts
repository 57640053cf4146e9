import { allFields, type FormDefinition } from "@coleta/forms";
import { AppError, type FieldError } from "../errors/app-error";

export interface SubmissionFilters {
  from?: string;
  to?: string;
  near?: { lat: number; lon: number; radius: number };
  /** Field id → wanted value, already typed for JSON containment. */
  equals: Record<string, unknown>;
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

/** Reads `from`, `to`, `near` and every `field.<id>` query parameter; bad values → 400 listing each. */
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
    clauses.push(
      `ST_DWithin(location, ST_SetSRID(ST_MakePoint(${next(lon)}::float8, ${next(lat)}::float8), 4326)::geography, ${next(radius)}::float8)`,
    );
  }
  if (Object.keys(filters.equals).length > 0) {
    // JSON containment answers "field equals value" (and "multiple choice includes value") from the GIN index.
    clauses.push(`answers @> ${next(JSON.stringify(filters.equals))}::jsonb`);
  }
  return { clauses, params };
}
