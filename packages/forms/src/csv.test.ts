import { describe, expect, it } from "vitest";
import { csvColumns, isPhoneNumberText } from "./csv";
import { choice, form } from "./test-helpers";

const definition = form(
  { id: "name", type: "short_text", label: "Name" },
  { id: "age", type: "number", label: "Age" },
  { id: "pet", type: "yes_no", label: "Pet?" },
  choice("multiple_choice", "fruits", "Fruits", { apple: "Apple", pear: "Pear" }),
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

describe("file answers in CSV", () => {
  const U = "0b6c3c52-6f0e-4c47-9d1a-6f0e4c479d1a";
  const [column] = csvColumns(form({ id: "docs", type: "file", label: "Docs", maxFiles: 3 }));
  const answers = {
    docs: [
      { uploadId: U, name: "a.pdf", size: 1, type: "application/pdf" },
      { name: "old.pdf", size: 2, type: "" },
    ],
  };

  it("are the files' names without a link maker, and their download links with one", () => {
    expect(column?.get(answers)).toBe("a.pdf;old.pdf");
    const fileUrl = (submission: string, field: string, index: number) =>
      `https://x.test/backend/s/${submission}/files/${field}/${index}`;
    expect(column?.get(answers, { submissionId: "s1", fileUrl })).toBe(
      "https://x.test/backend/s/s1/files/docs/0;old.pdf",
    );
    expect(column?.get({}, { submissionId: "s1", fileUrl })).toBe("");
  });
});

describe("labels instead of values", () => {
  const labelled = form(
    { id: "pet", type: "yes_no", label: "Pet?" },
    choice("multiple_choice", "fruits", "Fruits", { apple: "Apple", pear: "Pear" }),
    { id: "size", type: "dropdown", label: "Size", options: [{ value: "s", label: "Small" }] },
    { id: "one", type: "single_choice", label: "One", options: [{ value: "a", label: "Option A" }] },
    { id: "name", type: "short_text", label: "Name" },
  );
  const text = (columns: ReturnType<typeof csvColumns>, answers: Record<string, unknown>) =>
    columns.map((c) => c.get(answers));
  const answers = { pet: true, fruits: ["pear", "gone"], size: "s", one: "a", name: "apple" };

  it("writes choice and yes/no answers as their labels, other answers as stored", () => {
    const columns = csvColumns(labelled, { labels: true });
    expect(text(columns, answers)).toEqual(["Yes", "Pear;gone", "Small", "Option A", "apple"]);
    expect(text(columns, { pet: false })).toEqual(["No", "", "", "", ""]);
    expect(columns.map((c) => c.labelled)).toEqual([true, true, true, true, false]);
  });

  it("takes the yes/no words given", () => {
    const [pet] = csvColumns(labelled, { labels: true, yesNo: { yes: "Sim", no: "Não" } });
    expect(pet?.get({ pet: false })).toBe("Não");
  });

  it("writes stored values by default", () => {
    const columns = csvColumns(labelled);
    expect(text(columns, answers)).toEqual(["true", "pear;gone", "s", "a", "apple"]);
    expect(columns.every((c) => !c.labelled)).toBe(true);
  });
});

describe("isPhoneNumberText", () => {
  it("accepts phone numbers as people write them", () => {
    for (const phone of ["+55 (11) 99999-9999", "+1 555.123.4567", "(11) 3333-4444", "+442071838750"]) {
      expect(isPhoneNumberText(phone)).toBe(true);
    }
  });

  it("refuses anything a spreadsheet could run, and too few digits", () => {
    for (const text of ["+1+2", "=1+2", "+SUM(1)", "-123456", "+1 555 x", "+12", "+55 11 9999'9", ""]) {
      expect(isPhoneNumberText(text)).toBe(false);
    }
  });
});
