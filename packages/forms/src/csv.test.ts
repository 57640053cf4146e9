import { describe, expect, it } from "vitest";
import { csvColumns } from "./csv";
import { form } from "./test-helpers";

const definition = form(
  { id: "name", type: "short_text", label: "Name" },
  { id: "age", type: "number", label: "Age" },
  { id: "pet", type: "yes_no", label: "Pet?" },
  {
    id: "fruits",
    type: "multiple_choice",
    label: "Fruits",
    options: [
      { value: "apple", label: "Apple" },
      { value: "pear", label: "Pear" },
    ],
  },
  { id: "where", type: "geopoint", label: "Where" },
  { id: "docs", type: "file", label: "Docs", maxFiles: 3 },
);

describe("csvColumns", () => {
  const columns = csvColumns(definition);

  it("has one column per field and three per geopoint, in form order", () => {
    expect(columns.map((c) => [c.key, c.header, c.fieldId])).toEqual([
      ["name", "Name", "name"],
      ["age", "Age", "age"],
      ["pet", "Pet?", "pet"],
      ["fruits", "Fruits", "fruits"],
      ["where.lat", "Where (latitude)", "where"],
      ["where.lon", "Where (longitude)", "where"],
      ["where.accuracy", "Where (accuracy, m)", "where"],
      ["docs", "Docs", "docs"],
    ]);
  });

  it("renders each value as text", () => {
    const row = columns.map((c) =>
      c.get({
        name: 'Ana "A", Jr',
        age: 30.5,
        pet: false,
        fruits: ["apple", "pear"],
        where: { lat: -23.5, lon: -46.6, accuracy: 12 },
        docs: [
          { name: "a.pdf", size: 1, type: "application/pdf" },
          { name: "b.png", size: 2, type: "image/png" },
        ],
      }),
    );
    expect(row).toEqual([
      'Ana "A", Jr',
      "30.5",
      "false",
      "apple;pear",
      "-23.5",
      "-46.6",
      "12",
      "a.pdf;b.png",
    ]);
    expect(columns[2]?.get({ pet: true })).toBe("true");
  });

  it("leaves unanswered cells empty, including a geopoint without accuracy", () => {
    expect(columns.map((c) => c.get({}))).toEqual(["", "", "", "", "", "", "", ""]);
    expect(columns.map((c) => c.get({ where: { lat: 1, lon: 2 }, fruits: [] }))).toEqual([
      "",
      "",
      "",
      "",
      "1",
      "2",
      "",
      "",
    ]);
  });

  it("never throws on answers stored under an older version of the form", () => {
    const row = columns.map((c) =>
      c.get({ name: 5, age: "old", fruits: "apple", where: "somewhere", docs: { x: 1 } }),
    );
    expect(row).toEqual(["5", "old", "", "apple", "", "", "", '{"x":1}']);
  });
});
