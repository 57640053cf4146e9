import { describe, expect, it } from "vitest";
import { createEmptyDefinition, createField } from "./defaults";
import { TEXT_MAX_LENGTHS } from "./limits";
import { conditionSchema, fieldSchema, formDefinitionSchema, validateDefinition } from "./schema";
import { form, options, pages } from "./test-helpers";
import type { Field } from "./types";
import { FIELD_TYPES } from "./types";

function errorsOf(input: unknown) {
  const result = validateDefinition(input);
  if (result.ok) throw new Error("expected the definition to be rejected");
  return result.errors.map((e) => ({ path: e.path, code: e.code }));
}

const yesNo = (id: string): Field => ({ id, type: "yes_no", label: id });
const choice = (id: string): Field => ({
  id,
  type: "single_choice",
  label: id,
  options: options({ a: "A", b: "B" }),
});

describe("validateDefinition: shape", () => {
  it("accepts the example from docs/forms.md", () => {
    const result = validateDefinition({
      schemaVersion: 1,
      title: "Household survey",
      description: "Optional text shown above the first page",
      pages: [
        {
          id: "p1",
          title: "About you",
          visibleWhen: null,
          fields: [
            { id: "name", type: "short_text", label: "Your name", required: true, maxLength: 80 },
            { id: "age", type: "number", label: "Age", min: 0, max: 130, integer: true },
            { id: "has_pet", type: "yes_no", label: "Pet?" },
            {
              id: "pet_name",
              type: "short_text",
              label: "Your pet's name",
              visibleWhen: { field: "has_pet", op: "equals", value: true },
            },
          ],
        },
      ],
    });
    expect(result.ok).toBe(true);
  });

  it("accepts a field of every type as createField makes it", () => {
    const definition = form(...FIELD_TYPES.map((type, i) => createField(type, `f${i}`)));
    expect(validateDefinition(definition)).toEqual({ ok: true, definition });
  });

  it("accepts createEmptyDefinition", () => {
    expect(validateDefinition(createEmptyDefinition("Survey")).ok).toBe(true);
    expect(validateDefinition(createEmptyDefinition("  ")).ok).toBe(true);
  });

  it("requires at least one page", () => {
    expect(errorsOf({ schemaVersion: 1, title: "T", pages: [] })).toEqual([
      { path: "pages", code: "too_small" },
    ]);
  });

  it("rejects a non-object, a wrong schemaVersion and a missing title", () => {
    expect(errorsOf("nope")[0]?.code).toBe("invalid_type");
    expect(errorsOf({ schemaVersion: 2, title: "T", pages: [{ id: "p1", fields: [] }] })).toEqual([
      { path: "schemaVersion", code: "invalid_value" },
    ]);
    expect(errorsOf({ schemaVersion: 1, pages: [{ id: "p1", fields: [] }] })).toEqual([
      { path: "title", code: "invalid_type" },
    ]);
  });

  it("reports dotted paths into fields", () => {
    expect(errorsOf(form({ id: "Bad-Id", type: "short_text", label: "x" }))).toEqual([
      { path: "pages.0.fields.0.id", code: "invalid_format" },
    ]);
    expect(errorsOf(form({ id: "a", type: "short_text", label: "x", maxLength: 0 }))).toEqual([
      { path: "pages.0.fields.0.maxLength", code: "too_small" },
    ]);
    expect(errorsOf(form({ id: "a", type: "rating", label: "x", max: 11 }))).toEqual([
      { path: "pages.0.fields.0.max", code: "too_big" },
    ]);
  });

  it("rejects unknown types and unknown properties", () => {
    expect(errorsOf(form({ id: "a", type: "signature", label: "x" } as never))).toEqual([
      { path: "pages.0.fields.0.type", code: "invalid_union" },
    ]);
    expect(errorsOf(form({ id: "a", type: "email", label: "x", maxlength: 3 } as never))).toEqual([
      { path: "pages.0.fields.0", code: "unrecognized_keys" },
    ]);
  });

  it("checks date and time bounds, options and accept entries", () => {
    expect(errorsOf(form({ id: "d", type: "date", label: "x", min: "2024-02-30" }))[0]?.path).toBe(
      "pages.0.fields.0.min",
    );
    expect(errorsOf(form({ id: "t", type: "time", label: "x", max: "25:00" }))[0]?.path).toBe(
      "pages.0.fields.0.max",
    );
    expect(errorsOf(form({ id: "c", type: "dropdown", label: "x", options: [] }))).toEqual([
      { path: "pages.0.fields.0.options", code: "too_small" },
    ]);
    expect(errorsOf(form({ id: "f", type: "file", label: "x", accept: ["pdf"] }))[0]?.path).toBe(
      "pages.0.fields.0.accept.0",
    );
  });

  it("bounds every text by TEXT_MAX_LENGTHS and names the limit, never the text, in the message", () => {
    const max = TEXT_MAX_LENGTHS;
    const at = (n: number) => "x".repeat(n);
    const field = (over: Partial<Record<string, unknown>>) =>
      ({ id: "c", type: "consent", label: "L", ...over }) as Field;
    const cases: [Field, number, string][] = [
      [field({ label: at(max.label + 1) }), max.label, "label"],
      [field({ help: at(max.help + 1) }), max.help, "help"],
      [field({ text: at(max.consentText + 1) }), max.consentText, "text"],
    ];
    for (const [f, limit, prop] of cases) {
      expect(validateDefinition(form({ ...f, [prop]: at(limit) } as Field)).ok, prop).toBe(true);
      const result = validateDefinition(form(f));
      if (result.ok) throw new Error(`${prop} over the limit was accepted`);
      expect(result.errors).toHaveLength(1);
      const [error] = result.errors;
      expect(error?.path).toBe(`pages.0.fields.0.${prop}`);
      // The API returns these messages as they are: they state the limit and must not echo the input.
      expect(error?.message).toContain(String(limit));
      expect(error?.message).not.toContain(at(50));
    }
    const tooLongTitle = validateDefinition({ ...createEmptyDefinition("x"), title: at(max.formTitle + 1) });
    expect(tooLongTitle.ok ? [] : tooLongTitle.errors.map((e) => e.path)).toEqual(["title"]);
  });

  it("refuses hostile nesting without overflowing the stack", () => {
    let condition: unknown = { field: "a", op: "answered" };
    for (let i = 0; i < 100_000; i++) condition = { not: condition };
    expect(errorsOf(form({ id: "a", type: "yes_no", label: "x", visibleWhen: condition as never }))).toEqual([
      { path: "", code: "too_deep" },
    ]);
  });

  it("exports the zod schemas", () => {
    expect(fieldSchema.safeParse(createField("email", "e")).success).toBe(true);
    expect(conditionSchema.safeParse({ all: [] }).success).toBe(false);
    expect(conditionSchema.safeParse({ field: "a", op: "answered", extra: 1 }).success).toBe(false);
    expect(formDefinitionSchema.safeParse(createEmptyDefinition("x")).success).toBe(true);
  });
});

describe("validateDefinition: cross-field rules", () => {
  it("rejects duplicate field ids across pages", () => {
    expect(
      errorsOf(pages({ id: "p1", fields: [yesNo("a")] }, { id: "p2", fields: [yesNo("b"), yesNo("a")] })),
    ).toEqual([{ path: "pages.1.fields.1.id", code: "duplicate_id" }]);
  });

  it("rejects duplicate page ids", () => {
    expect(errorsOf(pages({ id: "p1", fields: [] }, { id: "p1", fields: [] }))).toEqual([
      { path: "pages.1.id", code: "duplicate_id" },
    ]);
  });

  it("rejects duplicate option values", () => {
    const field: Field = {
      id: "c",
      type: "multiple_choice",
      label: "x",
      options: [...options({ a: "A", b: "B" }), { value: "a", label: "Again" }],
    };
    expect(errorsOf(form(field))).toEqual([
      { path: "pages.0.fields.0.options.2.value", code: "duplicate_option" },
    ]);
  });

  it.each<[string, Field, string]>([
    [
      "minLength > maxLength",
      { id: "a", type: "short_text", label: "x", minLength: 5, maxLength: 4 },
      "maxLength",
    ],
    [
      "minLength > default maxLength",
      { id: "a", type: "short_text", label: "x", minLength: 501 },
      "minLength",
    ],
    ["long_text", { id: "a", type: "long_text", label: "x", minLength: 10, maxLength: 9 }, "maxLength"],
    ["number", { id: "a", type: "number", label: "x", min: 10, max: 9.5 }, "max"],
    ["date", { id: "a", type: "date", label: "x", min: "2024-02-01", max: "2024-01-31" }, "max"],
    ["time", { id: "a", type: "time", label: "x", min: "10:00", max: "09:59" }, "max"],
    [
      "minSelected > maxSelected",
      { ...(choice("a") as object), type: "multiple_choice", minSelected: 2, maxSelected: 1 } as Field,
      "maxSelected",
    ],
    [
      "minSelected > options",
      { ...(choice("a") as object), type: "multiple_choice", minSelected: 3 } as Field,
      "minSelected",
    ],
  ])("rejects min > max: %s", (_name, field, prop) => {
    expect(errorsOf(form(field))).toEqual([
      { path: `pages.0.fields.0.${prop}`, code: "min_greater_than_max" },
    ]);
  });

  it("accepts min = max", () => {
    expect(validateDefinition(form({ id: "a", type: "number", label: "x", min: 3, max: 3 })).ok).toBe(true);
  });

  it.each<[string, string]>([
    ["(", "invalid_pattern"],
    ["a)|(b", "invalid_pattern"],
    ["\\p{Nope}", "invalid_pattern"],
    ["x".repeat(201), "too_big"],
    ["(a)\\1", "unsupported_pattern"],
    ["(?=a)a", "unsupported_pattern"],
    ["(?<!a)b", "unsupported_pattern"],
    ["(?i:a)", "unsupported_pattern"],
    ["\\d{1,5000}", "pattern_too_complex"],
    ["(\\d{50}){50}", "pattern_too_complex"],
  ])("rejects the pattern %s", (pattern, code) => {
    expect(errorsOf(form({ id: "a", type: "short_text", label: "x", pattern }))).toEqual([
      { path: "pages.0.fields.0.pattern", code },
    ]);
  });

  it("accepts ordinary patterns", () => {
    for (const pattern of [
      "[A-Z]{2}\\d{3}",
      "(\\d{3}-)+\\d{4}",
      "[(a+)+]",
      "\\(a+\\)+",
      "(ab)?c+",
      "\\p{L}+",
      // Safe now that matching cannot backtrack: these were once refused as "unsafe".
      "(a+)+",
      "(\\w+\\s?)*$",
      "((ab)*c)+",
      "(x{2,})*",
      "(a{1,3})+",
    ]) {
      expect(validateDefinition(form({ id: "a", type: "short_text", label: "x", pattern })).ok, pattern).toBe(
        true,
      );
    }
  });

  it("rejects a forward reference on the same page and a self reference", () => {
    const forward = form(
      { id: "a", type: "short_text", label: "x", visibleWhen: { field: "b", op: "answered" } },
      yesNo("b"),
    );
    expect(errorsOf(forward)).toEqual([
      { path: "pages.0.fields.0.visibleWhen.field", code: "forward_reference" },
    ]);
    const self = form({
      id: "a",
      type: "short_text",
      label: "x",
      visibleWhen: { field: "a", op: "answered" },
    });
    expect(errorsOf(self)).toEqual([
      { path: "pages.0.fields.0.visibleWhen.field", code: "forward_reference" },
    ]);
  });

  it("rejects a page condition on a field of the same or a later page", () => {
    const samePage = pages({ id: "p1", visibleWhen: { field: "a", op: "answered" }, fields: [yesNo("a")] });
    expect(errorsOf(samePage)).toEqual([{ path: "pages.0.visibleWhen.field", code: "forward_reference" }]);
    const earlierPage = pages(
      { id: "p1", fields: [yesNo("a")] },
      { id: "p2", visibleWhen: { field: "a", op: "equals", value: true }, fields: [yesNo("b")] },
    );
    expect(validateDefinition(earlierPage).ok).toBe(true);
  });

  it("rejects references to fields that do not exist, with nested paths", () => {
    const definition = form(yesNo("a"), {
      id: "b",
      type: "short_text",
      label: "x",
      visibleWhen: { all: [{ field: "a", op: "answered" }, { not: { field: "ghost", op: "answered" } }] },
    });
    expect(errorsOf(definition)).toEqual([
      { path: "pages.0.fields.1.visibleWhen.all.1.not.field", code: "unknown_field_reference" },
    ]);
  });

  it.each<[string, Field, object, string]>([
    ["unknown option", choice("c"), { field: "c", op: "equals", value: "z" }, "value"],
    ["option as number", choice("c"), { field: "c", op: "equals", value: 1 }, "value"],
    [
      "text on number",
      { id: "c", type: "number", label: "x" },
      { field: "c", op: "gt", value: "5" },
      "value",
    ],
    ["number on yes_no", yesNo("c"), { field: "c", op: "equals", value: 1 }, "value"],
    [
      "bad date",
      { id: "c", type: "date", label: "x" },
      { field: "c", op: "lt", value: "2024-13-01" },
      "value",
    ],
    ["bad time", { id: "c", type: "time", label: "x" }, { field: "c", op: "lt", value: "9:00" }, "value"],
    [
      "empty text",
      { id: "c", type: "short_text", label: "x" },
      { field: "c", op: "contains", value: "" },
      "value",
    ],
    ["missing value", { id: "c", type: "short_text", label: "x" }, { field: "c", op: "equals" }, "value"],
    ["value on answered", yesNo("c"), { field: "c", op: "answered", value: true }, "value"],
    ["gt on text", { id: "c", type: "short_text", label: "x" }, { field: "c", op: "gt", value: "a" }, "op"],
    [
      "equals on multiple choice",
      { ...(choice("c") as object), type: "multiple_choice" } as Field,
      { field: "c", op: "equals", value: "a" },
      "op",
    ],
    [
      "equals on geopoint",
      { id: "c", type: "geopoint", label: "x" },
      { field: "c", op: "equals", value: "x" },
      "op",
    ],
  ])("rejects a condition value that does not fit: %s", (_name, target, condition, prop) => {
    const definition = form(target, {
      id: "d",
      type: "short_text",
      label: "x",
      visibleWhen: condition as never,
    });
    expect(errorsOf(definition)).toEqual([
      {
        path: `pages.0.fields.1.visibleWhen.${prop}`,
        code: prop === "op" ? "condition_op_not_allowed" : "invalid_condition_value",
      },
    ]);
  });

  it("accepts fitting condition values", () => {
    const definition = form(
      choice("c"),
      { ...(choice("m") as object), type: "multiple_choice" } as Field,
      { id: "n", type: "rating", label: "x" },
      {
        id: "d",
        type: "short_text",
        label: "x",
        visibleWhen: {
          any: [
            { field: "c", op: "equals", value: "b" },
            { field: "m", op: "not_contains", value: "a" },
            { field: "n", op: "lte", value: 2 },
          ],
        },
      },
    );
    expect(validateDefinition(definition).ok).toBe(true);
  });

  it("limits how deep conditions nest", () => {
    let condition: object = { field: "a", op: "answered" };
    for (let i = 0; i < 10; i++) condition = { not: condition };
    const definition = form(yesNo("a"), {
      id: "b",
      type: "yes_no",
      label: "x",
      visibleWhen: condition as never,
    });
    expect(errorsOf(definition)[0]?.code).toBe("condition_too_deep");
  });

  it("allows at most 500 fields", () => {
    const many = (from: number, n: number) => Array.from({ length: n }, (_, i) => yesNo(`f${from + i}`));
    expect(
      validateDefinition(pages({ id: "p1", fields: many(0, 250) }, { id: "p2", fields: many(250, 250) })).ok,
    ).toBe(true);
    expect(errorsOf(pages({ id: "p1", fields: many(0, 250) }, { id: "p2", fields: many(250, 251) }))).toEqual(
      [{ path: "pages", code: "too_many_fields" }],
    );
  });
});
