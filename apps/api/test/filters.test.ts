import { FILTER_CONTAINS_MAX_LENGTH, FILTER_MAX_VALUES_PER_FIELD } from "@coleta/forms";
import { everyTypeForm } from "@coleta/forms/testing";
import { describe, expect, it } from "vitest";
import { allOf, queryRows, sql } from "../src/db/sql";
import type { AppError } from "../src/errors/app-error";
import { filterConditions } from "../src/submissions/filter-sql";
import { parseFilters } from "../src/submissions/filters";
import { useEngines } from "./support/engines";

// The field filters of every read (list, summary, map, exports): `field.<id>` repeated matches any
// of the values, `contains.<id>` finds a text in a text answer ignoring case, literally.

// One field of every type: name, bio (long text), email, phone, site (URL), age, color (single
// choice), fruits (multiple choice), day (date), where (geopoint), …
const definition = everyTypeForm;

/** The errors of a query that parseFilters refuses, as `path: code`. */
function refusal(query: Record<string, string[]>): string[] {
  try {
    parseFilters(query, definition);
  } catch (error) {
    const problem = error as AppError;
    expect(problem.status).toBe(400);
    return (problem.errors ?? []).map((e) => `${e.path}: ${e.code}`).sort();
  }
  throw new Error("parseFilters accepted the query");
}

describe("parseFilters", () => {
  it("keeps every value of a repeated field.<id>, typed, without duplicates", () => {
    const filters = parseFilters(
      { "field.color": ["pear", "kiwi", "pear"], "field.age": ["4", "5"], "field.fruits": ["art", "tech"] },
      definition,
    );
    expect(filters.equals).toEqual({ color: ["pear", "kiwi"], age: [4, 5], fruits: [["art"], ["tech"]] });
  });

  it("takes contains.<id> on the free-text fields", () => {
    const query = { "contains.name": ["Ana"], "contains.bio": ["50%"], "contains.email": ["@x"] };
    const filters = parseFilters(
      { ...query, "contains.phone": ["11 9"], "contains.site": ["https://"] },
      definition,
    );
    expect(filters.contains).toEqual({
      name: "Ana",
      bio: "50%",
      email: "@x",
      phone: "11 9",
      site: "https://",
    });
  });

  it("lists every bad field filter, each at its own parameter", () => {
    expect(
      refusal({
        "contains.nope": ["x"],
        "contains.color": ["pe"],
        "contains.age": ["4"],
        "contains.day": ["2025"],
        "contains.name": [""],
        "contains.bio": ["x".repeat(FILTER_CONTAINS_MAX_LENGTH + 1)],
        "contains.email": ["a", "b"],
        "field.nope": ["1"],
        "field.age": ["4", "four"],
        "field.where": ["x"],
      }),
    ).toEqual([
      "contains.age: not_searchable",
      "contains.bio: text_too_long",
      "contains.color: not_searchable",
      "contains.day: not_searchable",
      "contains.email: repeated_filter",
      "contains.name: empty_text",
      "contains.nope: unknown_field",
      "field.age: invalid_type",
      "field.nope: unknown_field",
      "field.where: not_filterable",
    ]);
  });

  it("counts the length of a contains text in characters, and bounds the values of one field", () => {
    const emoji = "😀".repeat(FILTER_CONTAINS_MAX_LENGTH);
    expect(parseFilters({ "contains.name": [emoji] }, definition).contains).toEqual({ name: emoji });
    const many = Array.from({ length: FILTER_MAX_VALUES_PER_FIELD + 1 }, (_, i) => `v${i}`);
    expect(refusal({ "field.name": many })).toEqual(["field.name: too_many_values"]);
  });
});

const rows = [
  { name: "Édith Piaf", bio: "50% off_today", color: "pear", fruits: ["art"], age: 4 },
  { name: "ÉDITH", bio: "50 percent off", color: "kiwi", fruits: ["tech", "food"], age: 5 },
  { name: "edith", bio: "C:\\temp\\new", color: "apple", fruits: [], age: 6 },
  { name: "İstanbul Straße", bio: "", color: "pear", fruits: ["food"] },
  { bio: "no name", color: "kiwi", age: 7 },
];

describe.each(useEngines())("field filters on $name", ({ database }) => {
  /** The names (or bios) of the rows the filters select, by the API's own conditions. */
  async function selected(query: Record<string, string[]>): Promise<string[]> {
    const filters = parseFilters(query, definition);
    const found = await queryRows<{ answers: Record<string, unknown> | string }>(
      database(),
      sql`SELECT answers FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) AS t(answers)
          WHERE ${allOf(filterConditions(filters))}`,
    );
    return found.map((row) => {
      const answers = typeof row.answers === "string" ? JSON.parse(row.answers) : row.answers;
      return String(answers.name ?? answers.bio);
    });
  }

  it("matches any of the values of a repeated field.<id>, and all fields together", async () => {
    expect(await selected({ "field.color": ["pear", "apple"] })).toEqual([
      "Édith Piaf",
      "edith",
      "İstanbul Straße",
    ]);
    expect(await selected({ "field.fruits": ["art", "tech"] })).toEqual(["Édith Piaf", "ÉDITH"]);
    expect(await selected({ "field.color": ["kiwi"], "field.age": ["5", "7"] })).toEqual([
      "ÉDITH",
      "no name",
    ]);
    expect(await selected({ "field.color": ["pear", "kiwi"], "field.fruits": ["food"] })).toEqual([
      "ÉDITH",
      "İstanbul Straße",
    ]);
  });

  it("finds a text ignoring case (accented capitals too), not accents", async () => {
    expect(await selected({ "contains.name": ["édith"] })).toEqual(["Édith Piaf", "ÉDITH"]);
    expect(await selected({ "contains.name": ["DITH"] })).toEqual(["Édith Piaf", "ÉDITH", "edith"]);
    expect(await selected({ "contains.name": ["STRASSE"] })).toEqual([]);
    expect(await selected({ "contains.name": ["straße"] })).toEqual(["İstanbul Straße"]);
  });

  it("takes %, _ and \\ in the text literally", async () => {
    expect(await selected({ "contains.bio": ["50%"] })).toEqual(["Édith Piaf"]);
    expect(await selected({ "contains.bio": ["%"] })).toEqual(["Édith Piaf"]);
    expect(await selected({ "contains.bio": ["f_t"] })).toEqual(["Édith Piaf"]);
    expect(await selected({ "contains.bio": ["_"] })).toEqual(["Édith Piaf"]);
    expect(await selected({ "contains.bio": ["\\temp\\"] })).toEqual(["edith"]);
    expect(await selected({ "contains.bio": ["\\t"] })).toEqual(["edith"]);
  });

  it("combines a text search with the other filters", async () => {
    expect(await selected({ "contains.name": ["DITH"], "field.color": ["kiwi", "apple"] })).toEqual([
      "ÉDITH",
      "edith",
    ]);
  });
});
