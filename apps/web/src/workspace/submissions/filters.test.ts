import type { Field } from "@coleta/forms";
import { describe, expect, it } from "vitest";
import {
  apiQuery,
  checkFilters,
  filterKind,
  isFiltered,
  NO_FILTERS,
  readFilters,
  type SubmissionFilters,
  writeFilters,
} from "./filters";

const full: SubmissionFilters = {
  from: "2026-01-01",
  to: "2026-01-31",
  equals: { color: ["red", "blue"], age: ["42"] },
  contains: { name: "Ana" },
  bbox: { west: -50, south: -25, east: -40, north: -20 },
  near: { lat: -23.5, lon: -46.6, radius: 5000 },
};

describe("submission filters in the URL", () => {
  it("round-trips every filter and the view through the query string", () => {
    const query = writeFilters(full, "map");
    expect(readFilters(query)).toEqual({ filters: full, view: "map" });
    expect(readFilters(`?${query}`).filters).toEqual(full);
  });

  it("repeats field.<id> for several options and writes contains.<id> for text", () => {
    const params = new URLSearchParams(writeFilters(full));
    expect(params.getAll("field.color")).toEqual(["red", "blue"]);
    expect(params.get("contains.name")).toBe("Ana");
    expect(params.get("from")).toBe("2026-01-01");
    expect(params.has("view")).toBe(false);
  });

  it("writes nothing for no filters, and reads an empty query as no filters in the table", () => {
    expect(writeFilters(NO_FILTERS)).toBe("");
    expect(readFilters("")).toEqual({ filters: NO_FILTERS, view: "table" });
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, contains: { name: "a" } })).toBe(true);
    expect(isFiltered({ ...NO_FILTERS, near: { lat: 0, lon: 0, radius: 1 } })).toBe(true);
  });

  it("ignores empty values, repeated values and map areas that are not numbers", () => {
    const { filters, view } = readFilters(
      "field.color=red&field.color=red&field.color=&contains.name=&bbox=1,2,x,4&near=1,2&view=globe",
    );
    expect(filters).toEqual({ equals: { color: ["red"] }, contains: {} });
    expect(view).toBe("table");
  });

  it("keeps a From or To that is not a date as typed, for the API to explain", () => {
    expect(readFilters("from=yesterday").filters.from).toBe("yesterday");
    expect(new URLSearchParams(apiQuery({ ...NO_FILTERS, from: "yesterday" })).get("from")).toBe("yesterday");
  });
});

describe("submission filters for the API", () => {
  it("sends the days as the instants they start and end in the user's time zone", () => {
    const params = new URLSearchParams(apiQuery(full, { limit: "50" }).slice(1));
    expect(params.get("from")).toBe(new Date("2026-01-01T00:00:00").toISOString());
    expect(params.get("to")).toBe(new Date("2026-01-31T23:59:59.999").toISOString());
    expect(params.getAll("field.color")).toEqual(["red", "blue"]);
    expect(params.get("contains.name")).toBe("Ana");
    expect(params.get("bbox")).toBe("-50.000000,-25.000000,-40.000000,-20.000000");
    expect(params.get("near")).toBe("-23.500000,-46.600000,5000");
    expect(params.get("limit")).toBe("50");
    expect(apiQuery(NO_FILTERS)).toBe("");
  });
});

describe("checkFilters", () => {
  it("reports a From after To with the API's code and path", () => {
    expect(checkFilters({ ...NO_FILTERS, from: "2026-02-10", to: "2026-02-01" })).toMatchObject([
      { path: "to", code: "to_before_from" },
    ]);
    expect(checkFilters({ ...NO_FILTERS, from: "2026-02-01", to: "2026-02-01" })).toEqual([]);
    expect(checkFilters({ ...NO_FILTERS, from: "2026-02-10" })).toEqual([]);
  });
});

describe("filterKind", () => {
  const field = (f: Partial<Field> & Pick<Field, "type">) => ({ id: "q", label: "Q", ...f }) as Field;
  it("picks options for choice questions, contains for text and one value for the rest", () => {
    const options = [{ value: "a", label: "A" }];
    expect(filterKind(field({ type: "single_choice", options }))).toBe("options");
    expect(filterKind(field({ type: "multiple_choice", options }))).toBe("options");
    expect(filterKind(field({ type: "dropdown", options }))).toBe("options");
    for (const type of ["short_text", "long_text", "email", "phone", "url"] as const)
      expect(filterKind(field({ type }))).toBe("contains");
    for (const type of ["number", "rating", "date", "time", "yes_no", "consent"] as const)
      expect(filterKind(field({ type }))).toBe("equals");
    expect(filterKind(field({ type: "geopoint" }))).toBeNull();
    expect(filterKind(field({ type: "file" }))).toBeNull();
  });
});
