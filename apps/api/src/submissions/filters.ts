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

function parseInstant(
  value: string,
  path: string,
  errors: FieldError[],
  endOfDay: boolean,
): string | undefined {
  // A bare date means the whole day: `to=2026-01-31` includes the 31st.
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? `${value}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z`
    : value;
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    errors.push({ path, code: "invalid_date", message: "Use an ISO date (2026-01-31) or date-time." });
    return undefined;
  }
  return new Date(time).toISOString();
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
