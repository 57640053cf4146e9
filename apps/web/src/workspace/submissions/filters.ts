// The submissions filters as state, in the page's URL and in the API's query string. The URL uses
// the API's parameter names (docs/api.md, "Filters") so a filtered link reads like the request it
// makes; the only differences are `from`/`to` (calendar days here, instants at the user's local
// midnight for the API) and `view`, which only the page reads.
import { conditionValueKind, type Field } from "@coleta/forms";
import type { ProblemError } from "../api";

export interface BoundingBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

export interface Near {
  lat: number;
  lon: number;
  /** Metres. */
  radius: number;
}

export interface SubmissionFilters {
  /** First day, `YYYY-MM-DD` in the user's time zone (kept as typed when it is not a date). */
  from?: string;
  /** Last day, included. */
  to?: string;
  /** `field.<id>`: answers equal to any of these values (several only for choice questions). */
  equals: Record<string, string[]>;
  /** `contains.<id>`: text answers containing this, ignoring case. */
  contains: Record<string, string>;
  /** Only submissions located inside this box (drawn on the map). */
  bbox?: BoundingBox;
  /** Only submissions located within `radius` metres of a point (picked on the map). */
  near?: Near;
}

export type SubmissionsView = "table" | "map";

export const NO_FILTERS: SubmissionFilters = { equals: {}, contains: {} };

/** How a question is filtered: pick options, type part of the text, or give one exact value. */
export type FilterKind = "options" | "contains" | "equals";

export function filterKind(field: Field): FilterKind | null {
  if (field.type === "geopoint" || field.type === "file") return null;
  if ("options" in field) return "options";
  return conditionValueKind(field.type) === "text" ? "contains" : "equals";
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function numbers(text: string | null, count: number): number[] | null {
  if (!text) return null;
  const parts = text.split(",").map((part) => (part.trim() === "" ? Number.NaN : Number(part)));
  return parts.length === count && parts.every(Number.isFinite) ? parts : null;
}

/** The filters and view a submissions URL's query string (with or without `?`) describes. */
export function readFilters(query: string): { filters: SubmissionFilters; view: SubmissionsView } {
  const params = new URLSearchParams(query);
  const filters: SubmissionFilters = { equals: {}, contains: {} };
  const from = params.get("from");
  const to = params.get("to");
  if (from) filters.from = from;
  if (to) filters.to = to;
  for (const [key, value] of params) {
    if (value === "") continue;
    if (key.startsWith("field.")) {
      const id = key.slice("field.".length);
      const values = filters.equals[id] ?? [];
      if (!values.includes(value)) filters.equals[id] = [...values, value];
    } else if (key.startsWith("contains.")) {
      filters.contains[key.slice("contains.".length)] = value;
    }
  }
  const box = numbers(params.get("bbox"), 4);
  if (box) {
    const [west, south, east, north] = box as [number, number, number, number];
    filters.bbox = { west, south, east, north };
  }
  const near = numbers(params.get("near"), 3);
  if (near) {
    const [lat, lon, radius] = near as [number, number, number];
    filters.near = { lat, lon, radius };
  }
  return { filters, view: params.get("view") === "map" ? "map" : "table" };
}

/** Every filter as query parameters (the API's names; `from`/`to` as given). */
function filterParams(filters: SubmissionFilters, day: (date: string, end: boolean) => string) {
  const params = new URLSearchParams();
  if (filters.from) params.set("from", day(filters.from, false));
  if (filters.to) params.set("to", day(filters.to, true));
  for (const [id, values] of Object.entries(filters.equals))
    for (const value of values) if (value !== "") params.append(`field.${id}`, value);
  for (const [id, text] of Object.entries(filters.contains))
    if (text !== "") params.set(`contains.${id}`, text);
  if (filters.bbox) {
    const { west, south, east, north } = filters.bbox;
    params.set("bbox", [west, south, east, north].map((n) => n.toFixed(6)).join(","));
  }
  if (filters.near) {
    const { lat, lon, radius } = filters.near;
    params.set("near", `${lat.toFixed(6)},${lon.toFixed(6)},${Math.round(radius)}`);
  }
  return params;
}

/** The query string (without `?`, "" when nothing is set) of the page showing these filters. */
export function writeFilters(filters: SubmissionFilters, view: SubmissionsView = "table"): string {
  const params = filterParams(filters, (date) => date);
  if (view !== "table") params.set("view", view);
  return params.toString();
}

/** A day as the instant it starts (or ends) in the user's time zone; other text goes as typed. */
function localDay(date: string, end: boolean): string {
  if (!DAY.test(date)) return date;
  const instant = new Date(`${date}T${end ? "23:59:59.999" : "00:00:00"}`);
  return Number.isNaN(instant.getTime()) ? date : instant.toISOString();
}

/** The API query string (`?…`, or "") for these filters plus `extra` parameters (limit, cursor…). */
export function apiQuery(filters: SubmissionFilters, extra: Record<string, string> = {}): string {
  const params = filterParams(filters, localDay);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Whether any filter narrows the list (to tell "no submissions yet" from "none match"). */
export function isFiltered(filters: SubmissionFilters): boolean {
  return writeFilters(filters) !== "";
}

/**
 * Mistakes caught before asking the API, with the API's own codes and paths so one message
 * catalogue serves both: a From after To is a mistake to fix, not a question with no answers.
 */
export function checkFilters(filters: SubmissionFilters): ProblemError[] {
  const { from, to } = filters;
  if (from && to && DAY.test(from) && DAY.test(to) && from > to) {
    return [{ path: "to", code: "to_before_from", message: "“To” must not be before “From”." }];
  }
  return [];
}
