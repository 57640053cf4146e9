import { z } from "zod";
import { conditionOpsFor, conditionValueKind } from "./conditions";
import { isValidAcceptEntry, isValidDate, isValidTime } from "./formats";
import {
  DEFAULT_LONG_TEXT_MAX_LENGTH,
  DEFAULT_SHORT_TEXT_MAX_LENGTH,
  ID_MAX_LENGTH,
  ID_PATTERN,
  LONG_TEXT_MAX_LENGTH_CAP,
  TEXT_MAX_LENGTHS as MAX,
  MAX_ACCEPT_ENTRIES,
  MAX_CONDITION_DEPTH,
  MAX_CONDITION_ITEMS,
  MAX_FIELDS,
  MAX_OPTIONS,
  MAX_PAGES,
  PATTERN_MAX_LENGTH,
  SETTING_BOUNDS,
  SHORT_TEXT_MAX_LENGTH_CAP,
} from "./limits";
import { describePatternProblem, type PatternProblem } from "./pattern";
import { CONDITION_OPS, type Condition, type Field, type FormDefinition, type Page } from "./types";

/** An optional whole-number setting within its bounds. */
const bounded = (setting: keyof typeof SETTING_BOUNDS) =>
  z.int().min(SETTING_BOUNDS[setting].min).max(SETTING_BOUNDS[setting].max).optional();
const idSchema = z.string().regex(ID_PATTERN, {
  error: `Must start with a-z and use only a-z, 0-9 and _ (at most ${ID_MAX_LENGTH} characters)`,
});

const conditionValueSchema = z.union([z.string().max(MAX.conditionValue), z.number(), z.boolean()]);

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union(
    [
      z.strictObject({
        field: idSchema,
        op: z.enum(CONDITION_OPS),
        value: conditionValueSchema.optional(),
      }),
      z.strictObject({ all: z.array(conditionSchema).min(1).max(MAX_CONDITION_ITEMS) }),
      z.strictObject({ any: z.array(conditionSchema).min(1).max(MAX_CONDITION_ITEMS) }),
      z.strictObject({ not: conditionSchema }),
    ],
    { error: "Invalid condition: expected { field, op, value? }, { all }, { any } or { not }" },
  ),
);

const dateSchema = z.string().refine(isValidDate, { error: "Must be a real date as YYYY-MM-DD" });
const timeSchema = z.string().refine(isValidTime, { error: "Must be a time as HH:MM (24 h)" });

const optionsSchema = z
  .array(
    z.strictObject({
      value: z.string().min(1).max(MAX.optionValue),
      label: z.string().min(1).max(MAX.optionLabel),
    }),
  )
  .min(1)
  .max(MAX_OPTIONS);

const base = {
  id: idSchema,
  label: z.string().min(1).max(MAX.label),
  help: z.string().max(MAX.help).optional(),
  placeholder: z.string().max(MAX.placeholder).optional(),
  required: z.boolean().optional(),
  visibleWhen: conditionSchema.nullable().optional(),
};

export const fieldSchema = z.discriminatedUnion("type", [
  z.strictObject({
    ...base,
    type: z.literal("short_text"),
    minLength: z.int().min(0).max(SHORT_TEXT_MAX_LENGTH_CAP).optional(),
    maxLength: z.int().min(1).max(SHORT_TEXT_MAX_LENGTH_CAP).optional(),
    pattern: z.string().min(1).max(PATTERN_MAX_LENGTH).optional(),
    patternMessage: z.string().max(MAX.patternMessage).optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal("long_text"),
    minLength: z.int().min(0).max(LONG_TEXT_MAX_LENGTH_CAP).optional(),
    maxLength: z.int().min(1).max(LONG_TEXT_MAX_LENGTH_CAP).optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal("number"),
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().optional(),
  }),
  z.strictObject({ ...base, type: z.literal("email") }),
  z.strictObject({ ...base, type: z.literal("phone") }),
  z.strictObject({ ...base, type: z.literal("url") }),
  z.strictObject({ ...base, type: z.literal("single_choice"), options: optionsSchema }),
  z.strictObject({
    ...base,
    type: z.literal("multiple_choice"),
    options: optionsSchema,
    minSelected: z.int().min(0).optional(),
    maxSelected: z.int().min(1).optional(),
  }),
  z.strictObject({ ...base, type: z.literal("dropdown"), options: optionsSchema }),
  z.strictObject({
    ...base,
    type: z.literal("date"),
    min: dateSchema.optional(),
    max: dateSchema.optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal("time"),
    min: timeSchema.optional(),
    max: timeSchema.optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal("rating"),
    max: bounded("ratingMax"),
  }),
  z.strictObject({ ...base, type: z.literal("yes_no") }),
  z.strictObject({ ...base, type: z.literal("consent"), text: z.string().max(MAX.consentText).optional() }),
  z.strictObject({ ...base, type: z.literal("geopoint"), maxAccuracy: z.number().positive().optional() }),
  z.strictObject({
    ...base,
    type: z.literal("file"),
    accept: z
      .array(
        z.string().max(MAX.acceptEntry).refine(isValidAcceptEntry, {
          error: "Must be a MIME type (image/png, image/*) or an extension (.pdf)",
        }),
      )
      .max(MAX_ACCEPT_ENTRIES)
      .optional(),
    maxSizeBytes: z.int().min(1).optional(),
    maxFiles: bounded("maxFiles"),
    imageMaxDimension: bounded("imageMaxDimension"),
  }),
]);

export const pageSchema = z.strictObject({
  id: idSchema,
  title: z.string().max(MAX.pageTitle).optional(),
  description: z.string().max(MAX.pageDescription).optional(),
  visibleWhen: conditionSchema.nullable().optional(),
  fields: z.array(fieldSchema).max(MAX_FIELDS),
});

export const formDefinitionSchema = z.strictObject({
  schemaVersion: z.literal(1),
  title: z.string().min(1).max(MAX.formTitle),
  description: z.string().max(MAX.formDescription).optional(),
  pages: z.array(pageSchema).min(1).max(MAX_PAGES),
});

// Compile-time proof that the zod schemas and the hand-written types describe the same shape.
type Assert<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type _DefinitionMatches = Assert<Same<z.infer<typeof formDefinitionSchema>, FormDefinition>>;
export type _PageMatches = Assert<Same<z.infer<typeof pageSchema>, Page>>;
export type _FieldMatches = Assert<Same<z.infer<typeof fieldSchema>, Field>>;

export interface DefinitionIssue {
  /** Dotted path into the definition, e.g. `pages.0.fields.2.maxLength`; `""` for the whole. */
  path: string;
  code: string;
  message: string;
}

export type DefinitionResult =
  | { ok: true; definition: FormDefinition }
  | { ok: false; errors: DefinitionIssue[] };

/** Far above any real definition; keeps zod's recursion from overflowing the stack on hostile input. */
const MAX_JSON_DEPTH = 64;

function exceedsDepth(input: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[input, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== "object" || value === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Validates a definition an owner saves: shape first (zod), then the rules that span fields.
 * Cross-field rules run only on a well-shaped definition, so they can trust the types.
 */
export function validateDefinition(input: unknown): DefinitionResult {
  if (exceedsDepth(input, MAX_JSON_DEPTH)) {
    return {
      ok: false,
      errors: [{ path: "", code: "too_deep", message: "The definition is nested too deeply" }],
    };
  }
  const parsed = formDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({
        path: i.path.map(String).join("."),
        code: i.code,
        message: i.message,
      })),
    };
  }
  const definition = parsed.data as FormDefinition;
  const errors = crossFieldIssues(definition);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, definition };
}

function crossFieldIssues(definition: FormDefinition): DefinitionIssue[] {
  const errors: DefinitionIssue[] = [];
  const add = (path: string, code: string, message: string) => errors.push({ path, code, message });

  const allIds = new Set<string>();
  let total = 0;
  for (const page of definition.pages) {
    for (const field of page.fields) allIds.add(field.id);
    total += page.fields.length;
  }
  if (total > MAX_FIELDS)
    add("pages", "too_many_fields", `A form can have at most ${MAX_FIELDS} fields (has ${total})`);

  const pageIds = new Set<string>();
  // Fields seen so far in form order: exactly the fields a condition may refer to.
  const earlier = new Map<string, Field>();
  definition.pages.forEach((page, p) => {
    const pagePath = `pages.${p}`;
    if (pageIds.has(page.id))
      add(`${pagePath}.id`, "duplicate_id", `Page id "${page.id}" is used more than once`);
    pageIds.add(page.id);
    if (page.visibleWhen)
      checkCondition(page.visibleWhen, `${pagePath}.visibleWhen`, earlier, allIds, add, 1);

    page.fields.forEach((field, f) => {
      const path = `${pagePath}.fields.${f}`;
      if (earlier.has(field.id))
        add(`${path}.id`, "duplicate_id", `Field id "${field.id}" is used more than once`);
      if (field.visibleWhen)
        checkCondition(field.visibleWhen, `${path}.visibleWhen`, earlier, allIds, add, 1);
      checkField(field, path, add);
      if (!earlier.has(field.id)) earlier.set(field.id, field);
    });
  });
  return errors;
}

type Add = (path: string, code: string, message: string) => void;

const PATTERN_PROBLEMS: Record<PatternProblem, { code: string; prefix: string }> = {
  too_long: { code: "pattern_too_long", prefix: "Pattern too long" },
  invalid: { code: "invalid_pattern", prefix: "Not a valid regular expression" },
  unsupported: { code: "unsupported_pattern", prefix: "Not supported in patterns" },
  too_complex: { code: "pattern_too_complex", prefix: "Pattern too complex" },
};

function checkRange(
  min: number | string | undefined,
  max: number | string | undefined,
  path: string,
  names: [string, string],
  add: Add,
): void {
  if (min === undefined || max === undefined || min <= max) return;
  add(
    `${path}.${names[1]}`,
    "min_greater_than_max",
    `${names[1]} (${max}) must not be less than ${names[0]} (${min})`,
  );
}

function checkField(field: Field, path: string, add: Add): void {
  switch (field.type) {
    case "short_text":
    case "long_text": {
      const defaultMax =
        field.type === "short_text" ? DEFAULT_SHORT_TEXT_MAX_LENGTH : DEFAULT_LONG_TEXT_MAX_LENGTH;
      if (field.maxLength === undefined && field.minLength !== undefined && field.minLength > defaultMax) {
        add(
          `${path}.minLength`,
          "min_greater_than_max",
          `minLength (${field.minLength}) exceeds the default maxLength (${defaultMax})`,
        );
      }
      checkRange(field.minLength, field.maxLength, path, ["minLength", "maxLength"], add);
      if (field.type === "short_text" && field.pattern !== undefined) {
        const problem = describePatternProblem(field.pattern);
        if (problem) {
          const { code, prefix } = PATTERN_PROBLEMS[problem.problem];
          add(`${path}.pattern`, code, `${prefix}: ${problem.message}`);
        }
      }
      return;
    }
    case "number":
    case "date":
    case "time":
      checkRange(field.min, field.max, path, ["min", "max"], add);
      return;
    case "multiple_choice":
      checkOptions(field.options, path, add);
      checkRange(field.minSelected, field.maxSelected, path, ["minSelected", "maxSelected"], add);
      if (field.minSelected !== undefined && field.minSelected > field.options.length) {
        add(
          `${path}.minSelected`,
          "min_greater_than_max",
          `minSelected (${field.minSelected}) exceeds the number of options (${field.options.length})`,
        );
      }
      return;
    case "single_choice":
    case "dropdown":
      checkOptions(field.options, path, add);
      return;
    default:
      return;
  }
}

function checkOptions(options: readonly { value: string }[], path: string, add: Add): void {
  const seen = new Set<string>();
  options.forEach((option, i) => {
    if (seen.has(option.value))
      add(
        `${path}.options.${i}.value`,
        "duplicate_option",
        `Option value "${option.value}" is used more than once`,
      );
    seen.add(option.value);
  });
}

function checkCondition(
  condition: Condition,
  path: string,
  earlier: ReadonlyMap<string, Field>,
  allIds: ReadonlySet<string>,
  add: Add,
  depth: number,
): void {
  if (depth > MAX_CONDITION_DEPTH) {
    add(path, "condition_too_deep", `Conditions can be nested at most ${MAX_CONDITION_DEPTH} levels deep`);
    return;
  }
  if ("all" in condition || "any" in condition) {
    const key = "all" in condition ? "all" : "any";
    const items = "all" in condition ? condition.all : condition.any;
    items.forEach((c, i) => {
      checkCondition(c, `${path}.${key}.${i}`, earlier, allIds, add, depth + 1);
    });
    return;
  }
  if ("not" in condition) {
    checkCondition(condition.not, `${path}.not`, earlier, allIds, add, depth + 1);
    return;
  }
  const target = earlier.get(condition.field);
  if (!target) {
    if (allIds.has(condition.field)) {
      add(
        `${path}.field`,
        "forward_reference",
        `"${condition.field}" does not come earlier in the form; a condition may only use earlier fields`,
      );
    } else {
      add(`${path}.field`, "unknown_field_reference", `There is no field "${condition.field}"`);
    }
    return;
  }
  if (!conditionOpsFor(target.type).includes(condition.op)) {
    add(
      `${path}.op`,
      "condition_op_not_allowed",
      `"${condition.op}" cannot be used with a ${target.type} field`,
    );
    return;
  }
  const value = condition.value;
  if (condition.op === "answered" || condition.op === "not_answered") {
    if (value !== undefined)
      add(`${path}.value`, "invalid_condition_value", `"${condition.op}" takes no value`);
    return;
  }
  const problem = conditionValueProblem(target, value);
  if (problem) add(`${path}.value`, "invalid_condition_value", problem);
}

function conditionValueProblem(target: Field, value: unknown): string | null {
  switch (conditionValueKind(target.type)) {
    case "text":
      return typeof value === "string" && value !== "" ? null : "Must be non-empty text";
    case "number":
      return typeof value === "number" ? null : "Must be a number";
    case "boolean":
      return typeof value === "boolean" ? null : "Must be true or false";
    case "date":
      return typeof value === "string" && isValidDate(value) ? null : "Must be a date as YYYY-MM-DD";
    case "time":
      return typeof value === "string" && isValidTime(value) ? null : "Must be a time as HH:MM";
    case "option": {
      const options = "options" in target ? target.options : [];
      return typeof value === "string" && options.some((o) => o.value === value)
        ? null
        : `Must be one of the option values of "${target.id}"`;
    }
    case "none":
      return "This field type only supports answered / not_answered";
  }
}
