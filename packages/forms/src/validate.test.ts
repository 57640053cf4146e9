import { describe, expect, it } from "vitest";
import { form, options, surveyDefinition, withFields } from "./test-helpers";
import type { Field, IssueCode } from "./types";
import { validateField, validateSubmission } from "./validate";

const U1 = "0b6c3c52-6f0e-4c47-9d1a-6f0e4c479d1a";
const U2 = "1b6c3c52-6f0e-4c47-9d1a-6f0e4c479d1a";
const U3 = "2b6c3c52-6f0e-4c47-9d1a-6f0e4c479d1a";

type Case = [value: unknown, code: IssueCode | null, params?: Record<string, string | number>];

// Each row: a field, then values with the issue code they must produce (null = valid).
const table: [string, Field, Case[]][] = [
  [
    "short_text",
    { id: "f", type: "short_text", label: "L", minLength: 3, maxLength: 5 },
    [
      ["abc", null],
      ["abcde", null],
      ["ab", "too_short", { min: 3 }],
      ["abcdef", "too_long", { max: 5 }],
      [12, "invalid_type"],
      [["abc"], "invalid_type"],
    ],
  ],
  [
    "short_text default maxLength 500",
    { id: "f", type: "short_text", label: "L" },
    [
      ["x".repeat(500), null],
      ["x".repeat(501), "too_long", { max: 500 }],
    ],
  ],
  [
    "short_text pattern (whole value)",
    { id: "f", type: "short_text", label: "L", pattern: "[A-Z]{2}\\d{3}" },
    [
      ["AB123", null],
      ["xAB123", "pattern"],
      ["AB1234", "pattern"],
    ],
  ],
  [
    "short_text pattern cannot escape the anchors",
    { id: "f", type: "short_text", label: "L", pattern: "a|b" },
    [
      ["a", null],
      ["b", null],
      ["ab", "pattern"],
      ["xb", "pattern"],
    ],
  ],
  [
    "long_text",
    { id: "f", type: "long_text", label: "L", minLength: 2 },
    [
      ["line 1\nline 2", null],
      ["x".repeat(10_000), null],
      ["x".repeat(10_001), "too_long", { max: 10_000 }],
      ["x", "too_short", { min: 2 }],
      [true, "invalid_type"],
    ],
  ],
  [
    "number",
    { id: "f", type: "number", label: "L", min: 0, max: 130 },
    [
      [0, null],
      [130, null],
      [42.5, null],
      [-1, "below_min", { min: 0 }],
      [131, "above_max", { max: 130 }],
      ["42", "invalid_type"],
      [Number.NaN, "invalid_type"],
      [Number.POSITIVE_INFINITY, "invalid_type"],
    ],
  ],
  [
    "number integer",
    { id: "f", type: "number", label: "L", integer: true },
    [
      [3, null],
      [-7, null],
      [3.5, "not_integer"],
    ],
  ],
  [
    "email",
    { id: "f", type: "email", label: "L" },
    [
      ["ana@example.org", null],
      ["a.b+tag@sub.example.co", null],
      ["ana@example", "invalid_email"],
      ["ana example.org", "invalid_email"],
      ["@example.org", "invalid_email"],
      ["ana@@example.org", "invalid_email"],
      [`${"a".repeat(250)}@example.org`, "invalid_email"],
      [5, "invalid_type"],
    ],
  ],
  [
    "phone",
    { id: "f", type: "phone", label: "L" },
    [
      ["+55 (11) 98765-4321", null],
      ["1234567", null],
      ["123456789012345", null],
      ["123456", "invalid_phone", { min: 7, max: 15 }],
      ["1234567890123456", "invalid_phone"],
      ["555-CALL-NOW", "invalid_phone"],
      [`1234567${" ".repeat(40)}`, "invalid_phone"],
      [5551234, "invalid_type"],
    ],
  ],
  [
    "url",
    { id: "f", type: "url", label: "L" },
    [
      ["https://example.org/path?q=1", null],
      ["http://localhost:8080", null],
      ["ftp://example.org", "invalid_url"],
      ["example.org", "invalid_url"],
      ["https://", "invalid_url"],
      ["https://exa mple.org", "invalid_url"],
      ["javascript:alert(1)", "invalid_url"],
      [{}, "invalid_type"],
    ],
  ],
  [
    "single_choice",
    {
      id: "f",
      type: "single_choice",
      label: "L",
      options: options({ a: "A", b: "B" }),
    },
    [
      ["a", null],
      ["c", "invalid_option"],
      ["A", "invalid_option"],
      [["a"], "invalid_type"],
    ],
  ],
  [
    "dropdown",
    { id: "f", type: "dropdown", label: "L", options: [{ value: "x", label: "X" }] },
    [
      ["x", null],
      ["y", "invalid_option"],
      [1, "invalid_type"],
    ],
  ],
  [
    "multiple_choice",
    {
      id: "f",
      type: "multiple_choice",
      label: "L",
      minSelected: 2,
      maxSelected: 3,
      options: ["a", "b", "c", "d"].map((v) => ({ value: v, label: v })),
    },
    [
      [["a", "b"], null],
      [["a", "b", "c"], null],
      [["a"], "too_few_selected", { min: 2 }],
      [["a", "b", "c", "d"], "too_many_selected", { max: 3 }],
      [["a", "z"], "invalid_option"],
      [["a", "a"], "invalid_option"],
      [["a", 1], "invalid_type"],
      ["a", "invalid_type"],
    ],
  ],
  [
    "date",
    { id: "f", type: "date", label: "L", min: "2024-01-01", max: "2024-12-31" },
    [
      ["2024-02-29", null],
      ["2024-01-01", null],
      ["2024-12-31", null],
      ["2023-12-31", "below_min", { min: "2024-01-01" }],
      ["2025-01-01", "above_max", { max: "2024-12-31" }],
      ["2024-02-30", "invalid_date"],
      ["2024-13-01", "invalid_date"],
      ["2024-1-01", "invalid_date"],
      ["2024-06-15T10:00", "invalid_date"],
      [20240101, "invalid_type"],
    ],
  ],
  [
    "date leap years",
    { id: "f", type: "date", label: "L" },
    [
      ["2000-02-29", null],
      ["1900-02-29", "invalid_date"],
      ["2023-02-29", "invalid_date"],
      ["2023-04-31", "invalid_date"],
      ["2023-00-10", "invalid_date"],
      ["2023-01-00", "invalid_date"],
    ],
  ],
  [
    "time",
    { id: "f", type: "time", label: "L", min: "08:00", max: "18:30" },
    [
      ["08:00", null],
      ["18:30", null],
      ["07:59", "below_min", { min: "08:00" }],
      ["18:31", "above_max", { max: "18:30" }],
      ["24:00", "invalid_time"],
      ["9:00", "invalid_time"],
      ["12:60", "invalid_time"],
      ["12:00:00", "invalid_time"],
      [1200, "invalid_type"],
    ],
  ],
  [
    "rating default max 5",
    { id: "f", type: "rating", label: "L" },
    [
      [1, null],
      [5, null],
      [0, "below_min", { min: 1 }],
      [6, "above_max", { max: 5 }],
      [2.5, "not_integer"],
      ["3", "invalid_type"],
    ],
  ],
  [
    "rating max 10",
    { id: "f", type: "rating", label: "L", max: 10 },
    [
      [10, null],
      [11, "above_max", { max: 10 }],
    ],
  ],
  [
    "yes_no",
    { id: "f", type: "yes_no", label: "L", required: true },
    [
      [true, null],
      [false, null],
      ["yes", "invalid_type"],
      [1, "invalid_type"],
    ],
  ],
  [
    "consent required",
    { id: "f", type: "consent", label: "L", required: true, text: "I agree" },
    [
      [true, null],
      [false, "must_accept"],
      ["true", "invalid_type"],
    ],
  ],
  [
    "consent optional",
    { id: "f", type: "consent", label: "L" },
    [
      [false, null],
      [true, null],
    ],
  ],
  [
    "geopoint",
    { id: "f", type: "geopoint", label: "L" },
    [
      [{ lat: -23.55, lon: -46.63 }, null],
      [{ lat: 90, lon: 180, accuracy: 0 }, null],
      [{ lat: 91, lon: 0 }, "invalid_geopoint"],
      [{ lat: 0, lon: -181 }, "invalid_geopoint"],
      [{ lat: "1", lon: 0 }, "invalid_geopoint"],
      [{ lat: 0 }, "invalid_geopoint"],
      [{ lat: 0, lon: 0, accuracy: -1 }, "invalid_geopoint"],
      [[1, 2], "invalid_type"],
      ["1,2", "invalid_type"],
    ],
  ],
  [
    "geopoint maxAccuracy",
    { id: "f", type: "geopoint", label: "L", maxAccuracy: 50 },
    [
      [{ lat: 1, lon: 1, accuracy: 50 }, null],
      [{ lat: 1, lon: 1, accuracy: 51 }, "accuracy_too_low", { max: 50 }],
      [{ lat: 1, lon: 1 }, "accuracy_too_low"],
    ],
  ],
  [
    "file",
    { id: "f", type: "file", label: "L", accept: ["image/*", ".pdf"], maxSizeBytes: 1000, maxFiles: 2 },
    [
      [[{ uploadId: U1 }], null],
      [[{ uploadId: U1.toUpperCase() }], null],
      [[{ uploadId: U1 }, { uploadId: U2 }], null],
      [[{ uploadId: U1 }, { uploadId: U2 }, { uploadId: U3 }], "too_many_files", { max: 2 }],
      [[{ uploadId: U1 }, { uploadId: U1.toUpperCase() }], "invalid_type"],
      [[{ uploadId: "../../etc/passwd" }], "invalid_type"],
      [[{ name: "a.png", size: 10, type: "image/png" }], "invalid_type"],
      [{ uploadId: U1 }, "invalid_type"],
      [[U1], "invalid_type"],
    ],
  ],
  [
    "file default maxFiles 1",
    { id: "f", type: "file", label: "L" },
    [
      [[{ uploadId: U1 }], null],
      [[{ uploadId: U1 }, { uploadId: U2 }], "too_many_files", { max: 1 }],
    ],
  ],
];

describe("validateField", () => {
  for (const [name, field, cases] of table) {
    describe(name, () => {
      it.each(cases.map((c) => [JSON.stringify(c[0])?.slice(0, 60) ?? String(c[0]), ...c]))(
        "%s",
        (_label, value, code, params) => {
          const issue = validateField(field, value);
          expect(issue?.code ?? null).toBe(code);
          if (issue) {
            expect(issue.path).toBe("f");
            expect(issue.message.length).toBeGreaterThan(0);
          }
          if (params) expect(issue?.params).toMatchObject(params);
        },
      );
    });
  }

  it("treats every empty value as missing: only required fails", () => {
    const optional: Field = { id: "f", type: "short_text", label: "L", minLength: 3 };
    const required: Field = { ...optional, required: true };
    for (const empty of [undefined, null, "", []]) {
      expect(validateField(optional, empty)).toBeNull();
      expect(validateField(required, empty)?.code).toBe("required");
    }
    const choices: Field = {
      id: "m",
      type: "multiple_choice",
      label: "L",
      minSelected: 2,
      options: [{ value: "a", label: "A" }],
    };
    expect(validateField(choices, [])).toBeNull();
  });

  it("uses patternMessage for pattern failures", () => {
    const field: Field = {
      id: "f",
      type: "short_text",
      label: "L",
      pattern: "\\d+",
      patternMessage: "Digits only.",
    };
    expect(validateField(field, "x")).toMatchObject({ code: "pattern", message: "Digits only." });
  });

  it("builds English messages from params", () => {
    const field: Field = { id: "f", type: "short_text", label: "L", minLength: 3 };
    expect(validateField(field, "ab")?.message).toBe("Must be at least 3 characters.");
    expect(validateField({ ...field, minLength: 1, maxLength: 1 }, "ab")?.message).toBe(
      "Must be at most 1 character.",
    );
  });

  it("recompiles the pattern when a field is edited in place", () => {
    const field: Field = { id: "f", type: "short_text", label: "L", pattern: "a+" };
    expect(validateField(field, "aaa")).toBeNull();
    field.pattern = "b+";
    expect(validateField(field, "aaa")?.code).toBe("pattern");
    expect(validateField(field, "bb")).toBeNull();
  });

  it("does not run the pattern on values over maxLength", () => {
    const field: Field = { id: "f", type: "short_text", label: "L", maxLength: 3, pattern: "x+" };
    expect(validateField(field, "yyyy")?.code).toBe("too_long");
  });

  it("runs a pattern that would backtrack exponentially in linear time", () => {
    const field: Field = { id: "f", type: "short_text", label: "L", maxLength: 5_000, pattern: "(a|aa)*c" };
    const start = performance.now();
    expect(validateField(field, "a".repeat(5_000))?.code).toBe("pattern");
    expect(performance.now() - start).toBeLessThan(500);
  });

  it("checks 1,000 selected values against 1,000 options in linear work", () => {
    let optionReads = 0;
    const options = Array.from({ length: 1_000 }, (_, i) => ({
      get value() {
        optionReads++;
        return `option_${i}`;
      },
      label: `Option ${i}`,
    }));
    const field: Field = { id: "m", type: "multiple_choice", label: "L", options };
    const selected = options.map((_, i) => `option_${999 - i}`);
    let valueReads = 0;
    const value = new Proxy(selected, {
      get(target, key, receiver) {
        if (typeof key === "string" && /^\d+$/.test(key)) valueReads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const start = performance.now();
    expect(validateField(field, value)).toBeNull();
    expect(validateField(field, value)).toBeNull();
    const ms = performance.now() - start;
    // Quadratic checks read each option per value (~500,000 reads) and rescan the list for duplicates.
    expect(optionReads).toBe(1_000); // once, to build the cached set
    expect(valueReads).toBe(2_000); // each value once per validation
    expect(ms).toBeLessThan(500);
    expect(validateField(field, [...selected, "option_0"])?.code).toBe("invalid_option");
    expect(validateField(field, ["option_1000"])?.code).toBe("invalid_option");
  });

  it("sees options replaced on a choice field edited in place", () => {
    const field = {
      id: "c",
      type: "single_choice",
      label: "L",
      options: [{ value: "a", label: "A" }],
    } satisfies Field;
    expect(validateField(field, "a")).toBeNull();
    expect(validateField(field, "b")?.code).toBe("invalid_option");
    field.options = [...field.options, { value: "b", label: "B" }];
    expect(validateField(field, "b")).toBeNull();
    field.options = [{ value: "c", label: "C" }];
    expect(validateField(field, "a")?.code).toBe("invalid_option");
  });
});

describe("validateSubmission", () => {
  // Required text, a whole number, a required question shown after a yes, a geopoint, a file.
  const definition = withFields(surveyDefinition, { id: "photo", type: "file", label: "Photo" });

  it("accepts a valid submission and returns normalized answers in form order", () => {
    const result = validateSubmission(definition, {
      photo: [{ uploadId: U1.toUpperCase(), name: "smuggled.exe" }],
      has_pet: true,
      pet_name: "Rex",
      name: "Ana",
      age: 30,
      where: { lat: 1, lon: 2, accuracy: 5, altitude: 100 },
    });
    expect(result).toEqual({
      ok: true,
      answers: {
        name: "Ana",
        age: 30,
        has_pet: true,
        pet_name: "Rex",
        where: { lat: 1, lon: 2, accuracy: 5 },
        photo: [{ uploadId: U1 }],
      },
    });
    if (result.ok)
      expect(Object.keys(result.answers)).toEqual(["name", "age", "has_pet", "pet_name", "where", "photo"]);
  });

  it("drops empty answers from the output", () => {
    const result = validateSubmission(definition, { name: "Ana", age: null, where: "", photo: [] });
    expect(result).toEqual({ ok: true, answers: { name: "Ana" } });
  });

  it("rejects answers that are not an object", () => {
    for (const bad of [null, undefined, "x", 1, [], [{ name: "Ana" }], true]) {
      const result = validateSubmission(definition, bad);
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.errors).toEqual([expect.objectContaining({ path: "", code: "invalid_type" })]);
    }
  });

  it("rejects unknown field keys, including prototype names", () => {
    const answers = JSON.parse('{"name":"Ana","nickname":"A","__proto__":{"x":1},"constructor":1}');
    const result = validateSubmission(definition, answers);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => [e.path, e.code])).toEqual([
        ["nickname", "unknown_field"],
        ["__proto__", "unknown_field"],
        ["constructor", "unknown_field"],
      ]);
    }
  });

  it("rejects a value for a hidden field", () => {
    const result = validateSubmission(definition, { name: "Ana", has_pet: false, pet_name: "Rex" });
    expect(result).toEqual({
      ok: false,
      errors: [expect.objectContaining({ path: "pet_name", code: "hidden_field" })],
    });
  });

  it("does not require a hidden required field, and ignores an empty value for it", () => {
    expect(validateSubmission(definition, { name: "Ana" })).toEqual({ ok: true, answers: { name: "Ana" } });
    expect(validateSubmission(definition, { name: "Ana", has_pet: false, pet_name: "" })).toEqual({
      ok: true,
      answers: { name: "Ana", has_pet: false },
    });
  });

  it("requires a required field once it becomes visible", () => {
    const result = validateSubmission(definition, { name: "Ana", has_pet: true });
    expect(result).toEqual({
      ok: false,
      errors: [expect.objectContaining({ path: "pet_name", code: "required" })],
    });
  });

  it("reports every failing field", () => {
    const result = validateSubmission(definition, {
      age: -1.5,
      has_pet: "yes",
      where: { lat: 100, lon: 0 },
      x: 1,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => [e.path, e.code])).toEqual([
        ["name", "required"],
        ["age", "not_integer"],
        ["has_pet", "invalid_type"],
        ["where", "invalid_geopoint"],
        ["x", "unknown_field"],
      ]);
    }
  });

  it("hides every field of a hidden page and rejects values sent for them", () => {
    const definition = {
      schemaVersion: 1 as const,
      title: "T",
      pages: [
        { id: "p1", fields: [{ id: "adult", type: "yes_no" as const, label: "Adult?" }] },
        {
          id: "p2",
          visibleWhen: { field: "adult", op: "equals" as const, value: true },
          fields: [{ id: "job", type: "short_text" as const, label: "Job", required: true }],
        },
      ],
    };
    expect(validateSubmission(definition, { adult: false })).toEqual({ ok: true, answers: { adult: false } });
    expect(validateSubmission(definition, {})).toEqual({ ok: true, answers: {} });
    const hidden = validateSubmission(definition, { adult: false, job: "x" });
    expect(hidden.ok === false && hidden.errors[0]?.code).toBe("hidden_field");
    const shown = validateSubmission(definition, { adult: true });
    expect(shown.ok === false && shown.errors[0]?.code).toBe("required");
  });
});

describe("file answers with the uploads known", () => {
  const field: Field = {
    id: "f",
    type: "file",
    label: "L",
    accept: ["image/*", ".pdf"],
    maxSizeBytes: 1000,
    maxFiles: 3,
  };
  const definition = form(field);
  const uploads = (id: string) =>
    ({
      [U1]: { name: "a.png", size: 10, type: "image/png" },
      [U2]: { name: "big.png", size: 1001, type: "image/png" },
      [U3]: { name: "a.exe", size: 1, type: "application/x-msdownload" },
      "3b6c3c52-6f0e-4c47-9d1a-6f0e4c479d1a": "in_use" as const,
    })[id];
  const check = (value: unknown) => validateField(field, value, { uploads })?.code ?? null;

  it("checks each upload's existence, owner, size and type", () => {
    expect(check([{ uploadId: U1 }])).toBeNull();
    expect(check([{ uploadId: U2 }])).toBe("file_too_large");
    expect(check([{ uploadId: U3 }])).toBe("file_type_not_allowed");
    expect(check([{ uploadId: "4b6c3c52-6f0e-4c47-9d1a-6f0e4c479d1a" }])).toBe("unknown_upload");
    expect(check([{ uploadId: "3b6c3c52-6f0e-4c47-9d1a-6f0e4c479d1a" }])).toBe("upload_in_use");
  });

  it("stores the upload's own name, size and type, not what the client claimed", () => {
    const result = validateSubmission(
      definition,
      { f: [{ uploadId: U1.toUpperCase(), name: "x.exe", size: 1 }] },
      { uploads },
    );
    expect(result).toEqual({
      ok: true,
      answers: { f: [{ uploadId: U1, name: "a.png", size: 10, type: "image/png" }] },
    });
  });
});
