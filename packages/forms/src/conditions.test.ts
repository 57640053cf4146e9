import { describe, expect, it } from "vitest";
import {
  conditionOpsFor,
  evaluateCondition,
  isFieldVisible,
  visibleFields,
  visiblePages,
} from "./conditions";
import { choice, form, options, pages } from "./test-helpers";
import type { Answers, Condition, ConditionOp, ConditionValue, FormDefinition } from "./types";
import { FIELD_TYPES } from "./types";

const definition: FormDefinition = form(
  { id: "name", type: "short_text", label: "Name" },
  { id: "age", type: "number", label: "Age" },
  { id: "born", type: "date", label: "Born" },
  { id: "at", type: "time", label: "At" },
  { id: "pet", type: "yes_no", label: "Pet?" },
  choice("single_choice", "color", "Color", { red: "Red", blue: "Blue" }),
  choice("multiple_choice", "fruits", "Fruits", { apple: "Apple", pear: "Pear" }),
  { id: "where", type: "geopoint", label: "Where" },
);

const answers = {
  name: "Maria Silva",
  age: 30,
  born: "1994-05-10",
  at: "09:30",
  pet: false,
  color: "red",
  fruits: ["apple"],
  where: { lat: 0, lon: 0 },
};

function check(
  field: string,
  op: ConditionOp,
  value: ConditionValue | undefined,
  given: Answers = answers,
): boolean {
  const condition: Condition = value === undefined ? { field, op } : { field, op, value };
  return evaluateCondition(condition, given, definition);
}

describe("evaluateCondition: operators", () => {
  it.each<[string, ConditionOp, ConditionValue | undefined, boolean]>([
    ["name", "equals", "Maria Silva", true],
    ["name", "equals", "maria silva", false],
    ["name", "not_equals", "Ana", true],
    ["name", "not_equals", "Maria Silva", false],
    ["name", "contains", "Silva", true],
    ["name", "contains", "Souza", false],
    ["name", "not_contains", "Souza", true],
    ["name", "not_contains", "Silva", false],
    ["fruits", "contains", "apple", true],
    ["fruits", "contains", "pear", false],
    ["fruits", "not_contains", "pear", true],
    ["fruits", "not_contains", "apple", false],
    ["age", "equals", 30, true],
    ["age", "equals", "30", false],
    ["age", "gt", 29, true],
    ["age", "gt", 30, false],
    ["age", "gte", 30, true],
    ["age", "gte", 31, false],
    ["age", "lt", 31, true],
    ["age", "lt", 30, false],
    ["age", "lte", 30, true],
    ["age", "lte", 29, false],
    ["born", "lt", "2000-01-01", true],
    ["born", "gt", "2000-01-01", false],
    ["at", "gte", "09:30", true],
    ["at", "gt", "10:00", false],
    ["pet", "equals", false, true],
    ["pet", "equals", true, false],
    ["pet", "not_equals", true, true],
    ["color", "equals", "red", true],
    ["color", "not_equals", "red", false],
    ["where", "answered", undefined, true],
    ["where", "not_answered", undefined, false],
    ["pet", "answered", undefined, true],
  ])("%s %s %j → %s", (field, op, value, expected) => {
    expect(check(field, op, value)).toBe(expected);
  });

  it("treats unanswered and empty fields as not answered", () => {
    for (const given of [{}, { name: "" }, { name: null }, { fruits: [] }]) {
      expect(check("name", "answered", undefined, given)).toBe(false);
      expect(check("name", "not_answered", undefined, given)).toBe(true);
      expect(check("fruits", "answered", undefined, given)).toBe(false);
      expect(check("name", "equals", "", given)).toBe(false);
      expect(check("name", "not_equals", "x", given)).toBe(true);
      expect(check("name", "contains", "", given)).toBe(false);
      expect(check("fruits", "not_contains", "apple", given)).toBe(true);
      expect(check("age", "gt", -1, given)).toBe(false);
      expect(check("age", "lte", 1000, given)).toBe(false);
    }
  });

  it("is false for ordered ops on a value of the wrong type", () => {
    expect(check("age", "gt", 1, { ...answers, age: "50" as never })).toBe(false);
  });
});

describe("evaluateCondition: all / any / not", () => {
  const yes: Condition = { field: "age", op: "gte", value: 18 };
  const no: Condition = { field: "pet", op: "equals", value: true };
  it.each<[string, Condition, boolean]>([
    ["all true", { all: [yes, yes] }, true],
    ["all with a false", { all: [yes, no] }, false],
    ["any with a true", { any: [no, yes] }, true],
    ["any all false", { any: [no, no] }, false],
    ["not false", { not: no }, true],
    ["not true", { not: yes }, false],
    ["nested", { all: [yes, { not: { any: [no, { not: yes }] } }] }, true],
  ])("%s", (_name, condition, expected) => {
    expect(evaluateCondition(condition, answers, definition)).toBe(expected);
  });
});

describe("visibility", () => {
  const chain = form(
    { id: "has_pet", type: "yes_no", label: "Pet?" },
    {
      id: "pet_kind",
      type: "single_choice",
      label: "Kind",
      visibleWhen: { field: "has_pet", op: "equals", value: true },
      options: options({ dog: "Dog", cat: "Cat" }),
    },
    {
      id: "dog_name",
      type: "short_text",
      label: "Dog's name",
      visibleWhen: { field: "pet_kind", op: "equals", value: "dog" },
    },
    { id: "other", type: "short_text", label: "Other", visibleWhen: null },
  );

  it("lists visible fields in order", () => {
    expect(visibleFields(chain, { has_pet: true, pet_kind: "dog" }).map((f) => f.id)).toEqual([
      "has_pet",
      "pet_kind",
      "dog_name",
      "other",
    ]);
    expect(visibleFields(chain, {}).map((f) => f.id)).toEqual(["has_pet", "other"]);
  });

  it("counts a hidden field as not answered for later conditions", () => {
    // pet_kind still carries "dog", but it is hidden, so dog_name must hide too.
    const stale = { has_pet: false, pet_kind: "dog" };
    expect(isFieldVisible(chain, "pet_kind", stale)).toBe(false);
    expect(isFieldVisible(chain, "dog_name", stale)).toBe(false);
    expect(evaluateCondition({ field: "pet_kind", op: "answered" }, stale, chain)).toBe(false);
    expect(isFieldVisible(chain, "dog_name", { has_pet: true, pet_kind: "dog" })).toBe(true);
  });

  it("tolerates answers that are not an object", () => {
    expect(visibleFields(chain, null as never).map((f) => f.id)).toEqual(["has_pet", "other"]);
  });

  it("hides pages by visibleWhen, and every field on a hidden page", () => {
    const multi = pages(
      { id: "p1", fields: [{ id: "adult", type: "yes_no", label: "Adult?" }] },
      {
        id: "p2",
        visibleWhen: { field: "adult", op: "equals", value: true },
        fields: [{ id: "job", type: "short_text", label: "Job" }],
      },
      {
        id: "p3",
        fields: [
          { id: "job_seen", type: "short_text", label: "x", visibleWhen: { field: "job", op: "answered" } },
          { id: "end", type: "short_text", label: "End" },
        ],
      },
    );
    expect(visiblePages(multi, { adult: false }).map((p) => p.id)).toEqual(["p1", "p3"]);
    expect(visiblePages(multi, { adult: true }).map((p) => p.id)).toEqual(["p1", "p2", "p3"]);
    expect(isFieldVisible(multi, "job", { adult: false, job: "x" })).toBe(false);
    expect(isFieldVisible(multi, "job_seen", { adult: false, job: "x" })).toBe(false);
    expect(isFieldVisible(multi, "job_seen", { adult: true, job: "x" })).toBe(true);
    expect(isFieldVisible(multi, "nope", {})).toBe(false);
  });

  it("reads a forward reference in an unvalidated definition as not answered", () => {
    const bad = form(
      { id: "a", type: "short_text", label: "A", visibleWhen: { field: "b", op: "answered" } },
      { id: "b", type: "short_text", label: "B" },
    );
    expect(isFieldVisible(bad, "a", { b: "x" })).toBe(false);
  });
});

describe("conditionOpsFor", () => {
  it("offers presence ops for every type and only set ops for multiple choice", () => {
    for (const type of FIELD_TYPES) expect(conditionOpsFor(type)).toContain("answered");
    expect(conditionOpsFor("multiple_choice")).not.toContain("equals");
    expect(conditionOpsFor("number")).toContain("gte");
    expect(conditionOpsFor("short_text")).not.toContain("gt");
    expect(conditionOpsFor("geopoint")).toEqual(["answered", "not_answered"]);
  });
});
