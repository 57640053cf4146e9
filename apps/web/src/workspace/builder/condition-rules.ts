// The condition editor works on a flat "all/any of these rules" group; these helpers read and write
// such a group and keep each rule's operator and value valid for the field it names.
import {
  type Condition,
  type ConditionOp,
  type ConditionValue,
  conditionOpsFor,
  conditionValueKind,
  type Field,
  type FieldCondition,
} from "@coleta/forms";

// What kind of value a condition on a field compares with: the shared package decides, so the
// builder offers exactly what the validator evaluates.
export { type ConditionValueKind, conditionValueKind as valueKind } from "@coleta/forms";

export function opNeedsValue(op: ConditionOp): boolean {
  return op !== "answered" && op !== "not_answered";
}

export function defaultValue(field: Field): ConditionValue | undefined {
  const kind = conditionValueKind(field.type);
  if (kind === "boolean") return true;
  if (kind === "number") return 0;
  if (kind === "option" && "options" in field) return field.options[0]?.value ?? "";
  if (kind === "none") return undefined;
  return "";
}

/** A rule on `field` with its first valid operator and a fitting default value. */
export function defaultRule(field: Field): FieldCondition {
  const op = conditionOpsFor(field.type)[0] as ConditionOp;
  const rule: FieldCondition = { field: field.id, op };
  const value = defaultValue(field);
  if (opNeedsValue(op) && value !== undefined) rule.value = value;
  return rule;
}

export interface RuleGroup {
  mode: "all" | "any";
  rules: FieldCondition[];
}

/** Reads a condition as a flat group; null when it is nested deeper than the editor shows. */
export function toGroup(condition: Condition | null | undefined): RuleGroup | null {
  if (!condition) return { mode: "all", rules: [] };
  if ("field" in condition) return { mode: "all", rules: [condition] };
  if ("all" in condition || "any" in condition) {
    const list = "all" in condition ? condition.all : (condition as { any: Condition[] }).any;
    if (list.every((c): c is FieldCondition => "field" in c)) {
      return { mode: "all" in condition ? "all" : "any", rules: list };
    }
  }
  return null;
}

export function fromGroup(group: RuleGroup): Condition | null {
  if (group.rules.length === 0) return null;
  if (group.rules.length === 1) return group.rules[0] as FieldCondition;
  return group.mode === "all" ? { all: group.rules } : { any: group.rules };
}

/** Changing the field of a rule resets operator and value so they stay valid for the new type. */
export function changeRuleField(rule: FieldCondition, field: Field): FieldCondition {
  if (rule.field === field.id) return rule;
  return defaultRule(field);
}

export function changeRuleOp(rule: FieldCondition, op: ConditionOp, field: Field): FieldCondition {
  const next: FieldCondition = { field: rule.field, op };
  if (opNeedsValue(op)) {
    const value = rule.value ?? defaultValue(field);
    if (value !== undefined) next.value = value;
  }
  return next;
}
