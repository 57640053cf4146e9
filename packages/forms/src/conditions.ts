import { isEmptyAnswer } from "./fields";
import { isPlainObject } from "./formats";
import type { Answers, Condition, ConditionOp, Field, FieldType, FormDefinition, Page } from "./types";

/** What a condition's `value` must be for a field type; `none` means only (not_)answered apply. */
export type ConditionValueKind = "text" | "number" | "boolean" | "option" | "date" | "time" | "none";

export function conditionValueKind(type: FieldType): ConditionValueKind {
  switch (type) {
    case "short_text":
    case "long_text":
    case "email":
    case "phone":
    case "url":
      return "text";
    case "number":
    case "rating":
      return "number";
    case "yes_no":
    case "consent":
      return "boolean";
    case "single_choice":
    case "multiple_choice":
    case "dropdown":
      return "option";
    case "date":
      return "date";
    case "time":
      return "time";
    case "geopoint":
    case "file":
      return "none";
  }
}

const PRESENCE: readonly ConditionOp[] = ["answered", "not_answered"];
const TEXT_OPS: readonly ConditionOp[] = ["equals", "not_equals", "contains", "not_contains", ...PRESENCE];
const ORDERED_OPS: readonly ConditionOp[] = ["equals", "not_equals", "gt", "gte", "lt", "lte", ...PRESENCE];
const EQUALITY_OPS: readonly ConditionOp[] = ["equals", "not_equals", ...PRESENCE];
const SET_OPS: readonly ConditionOp[] = ["contains", "not_contains", ...PRESENCE];

/** The operators a condition on a field of this type may use (the builder offers these). */
export function conditionOpsFor(type: FieldType): readonly ConditionOp[] {
  if (type === "multiple_choice") return SET_OPS;
  switch (conditionValueKind(type)) {
    case "text":
      return TEXT_OPS;
    case "number":
    case "date":
    case "time":
      return ORDERED_OPS;
    case "boolean":
    case "option":
      return EQUALITY_OPS;
    case "none":
      return PRESENCE;
  }
}

/** Returns the answer a condition sees: `undefined` when the field is hidden or empty. */
type Lookup = (fieldId: string) => unknown;

function compare(actual: unknown, expected: unknown): number | null {
  if (typeof actual === "number" && typeof expected === "number") return actual - expected;
  // Dates (`YYYY-MM-DD`) and times (`HH:MM`) are fixed-width, so text order is time order.
  if (typeof actual === "string" && typeof expected === "string") {
    return actual < expected ? -1 : actual > expected ? 1 : 0;
  }
  return null;
}

function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual)) return actual.includes(expected);
  return typeof actual === "string" && typeof expected === "string" && actual.includes(expected);
}

export function evaluateWith(condition: Condition, lookup: Lookup): boolean {
  if ("all" in condition) return condition.all.every((c) => evaluateWith(c, lookup));
  if ("any" in condition) return condition.any.some((c) => evaluateWith(c, lookup));
  if ("not" in condition) return !evaluateWith(condition.not, lookup);
  const actual = lookup(condition.field);
  const expected = condition.value;
  // The negated operators are exact negations, so they hold when the field is not answered.
  switch (condition.op) {
    case "answered":
      return actual !== undefined;
    case "not_answered":
      return actual === undefined;
    case "equals":
      return actual !== undefined && actual === expected;
    case "not_equals":
      return !(actual !== undefined && actual === expected);
    case "contains":
      return contains(actual, expected);
    case "not_contains":
      return !contains(actual, expected);
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const order = compare(actual, expected);
      if (order === null) return false;
      if (condition.op === "gt") return order > 0;
      if (condition.op === "gte") return order >= 0;
      if (condition.op === "lt") return order < 0;
      return order <= 0;
    }
  }
}

function visibleAnswerLookup(source: Answers, visibleIds: ReadonlySet<string>): Lookup {
  return (id) => {
    if (!visibleIds.has(id) || !Object.hasOwn(source, id)) return undefined;
    const value = source[id];
    return isEmptyAnswer(value) ? undefined : value;
  };
}

export interface Visibility {
  pages: Page[];
  fields: Field[];
  visibleIds: Set<string>;
}

/**
 * One pass in form order. Conditions only refer to earlier fields, so by the time a condition is
 * evaluated every field it may name already has its final visibility; a forward reference in an
 * unvalidated definition simply reads as "not answered".
 */
export function computeVisibility(definition: FormDefinition, answers: unknown): Visibility {
  const source: Answers = isPlainObject(answers) ? answers : {};
  const visibleIds = new Set<string>();
  const pages: Page[] = [];
  const fields: Field[] = [];
  const lookup = visibleAnswerLookup(source, visibleIds);
  for (const page of definition.pages) {
    if (page.visibleWhen && !evaluateWith(page.visibleWhen, lookup)) continue;
    pages.push(page);
    for (const field of page.fields) {
      if (field.visibleWhen && !evaluateWith(field.visibleWhen, lookup)) continue;
      visibleIds.add(field.id);
      fields.push(field);
    }
  }
  return { pages, fields, visibleIds };
}

/** Evaluates a condition as the form would: hidden fields count as not answered. */
export function evaluateCondition(
  condition: Condition,
  answers: Answers,
  definition: FormDefinition,
): boolean {
  const { visibleIds } = computeVisibility(definition, answers);
  const source: Answers = isPlainObject(answers) ? answers : {};
  return evaluateWith(condition, visibleAnswerLookup(source, visibleIds));
}

export function visibleFields(definition: FormDefinition, answers: Answers): Field[] {
  return computeVisibility(definition, answers).fields;
}

export function visiblePages(definition: FormDefinition, answers: Answers): Page[] {
  return computeVisibility(definition, answers).pages;
}

export function isFieldVisible(definition: FormDefinition, fieldId: string, answers: Answers): boolean {
  return computeVisibility(definition, answers).visibleIds.has(fieldId);
}
