// Pure helpers on a form definition that the builder's reducer composes: find, map, move, and keep
// conditions pointing at what exists.
import {
  type Condition,
  conditionValueKind,
  type Field,
  type FieldCondition,
  type FormDefinition,
  type Page,
} from "@coleta/forms";

export interface FieldLocation {
  pageIndex: number;
  fieldIndex: number;
  field: Field;
}

export function locateField(def: FormDefinition, id: string): FieldLocation | null {
  for (let p = 0; p < def.pages.length; p++) {
    const page = def.pages[p] as Page;
    const f = page.fields.findIndex((x) => x.id === id);
    if (f >= 0) return { pageIndex: p, fieldIndex: f, field: page.fields[f] as Field };
  }
  return null;
}

/** The ids of the form's fields, except `except` (the field being renamed). */
export function fieldIds(def: FormDefinition, except?: string): Set<string> {
  const ids = new Set<string>();
  for (const page of def.pages) for (const f of page.fields) if (f.id !== except) ids.add(f.id);
  return ids;
}

/** Fields a condition on `target` may refer to: every field before it in form order. */
export function earlierFields(
  def: FormDefinition,
  target: { fieldId: string } | { pageId: string },
): Field[] {
  const out: Field[] = [];
  for (const page of def.pages) {
    if ("pageId" in target && page.id === target.pageId) return out;
    for (const f of page.fields) {
      if ("fieldId" in target && f.id === target.fieldId) return out;
      out.push(f);
    }
  }
  return out;
}

export function mapPages(def: FormDefinition, fn: (page: Page, index: number) => Page): FormDefinition {
  return { ...def, pages: def.pages.map(fn) };
}

export function mapField(def: FormDefinition, id: string, fn: (f: Field) => Field): FormDefinition {
  return mapPages(def, (page) =>
    page.fields.some((f) => f.id === id)
      ? { ...page, fields: page.fields.map((f) => (f.id === id ? fn(f) : f)) }
      : page,
  );
}

export function move<T>(items: readonly T[], from: number, to: number): T[] {
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item as T);
  return copy;
}

/** `target` (a field or page) with this condition, or without `visibleWhen` when it is null. */
export function withCondition<T extends { visibleWhen?: Condition | null }>(
  target: T,
  condition: Condition | null,
): T {
  const next = { ...target };
  if (condition) next.visibleWhen = condition;
  else delete next.visibleWhen;
  return next;
}

/**
 * Rewrites every condition of the form through `fn`, rule by rule; a rule `fn` maps to null is
 * dropped, and a group left empty goes with it. Unchanged conditions keep their identity.
 */
function mapCondition(
  condition: Condition,
  fn: (rule: FieldCondition) => FieldCondition | null,
): Condition | null {
  if ("all" in condition || "any" in condition) {
    const isAll = "all" in condition;
    const source = isAll ? condition.all : (condition as { any: Condition[] }).any;
    const list = source.map((c) => mapCondition(c, fn)).filter((c): c is Condition => c !== null);
    if (list.length === 0) return null;
    if (list.length === source.length && list.every((c, i) => c === source[i])) return condition;
    return isAll ? { all: list } : { any: list };
  }
  if ("not" in condition) {
    const inner = mapCondition(condition.not, fn);
    if (inner === condition.not) return condition;
    return inner ? { not: inner } : null;
  }
  return fn(condition);
}

/**
 * Applies `fn` to the rules of every page and field condition, in form order; `fn` also learns the
 * ids of the fields that come before the condition's owner.
 */
function mapAllConditions(
  def: FormDefinition,
  fn: (rule: FieldCondition, earlier: ReadonlySet<string>) => FieldCondition | null,
): FormDefinition {
  const seen = new Set<string>();
  let changed = false;
  const rewrite = <T extends { visibleWhen?: Condition | null }>(target: T): T => {
    if (!target.visibleWhen) return target;
    const next = mapCondition(target.visibleWhen, (rule) => fn(rule, seen));
    if (next === target.visibleWhen) return target;
    changed = true;
    return withCondition(target, next);
  };
  const pages = def.pages.map((page) => {
    const nextPage = rewrite(page);
    const fields = page.fields.map((f) => {
      const next = rewrite(f);
      seen.add(f.id);
      return next;
    });
    return fields.some((f, i) => f !== page.fields[i]) ? { ...nextPage, fields } : nextPage;
  });
  return changed ? { ...def, pages } : def;
}

/** After any structural change, drop condition parts that would now refer forward or to nothing. */
export function pruneConditions(def: FormDefinition): FormDefinition {
  return mapAllConditions(def, (rule, earlier) => (earlier.has(rule.field) ? rule : null));
}

/** Renames field `from` to `to`, with every condition that refers to it. */
export function renameField(def: FormDefinition, from: string, to: string): FormDefinition {
  const renamed = mapField(def, from, (f) => ({ ...f, id: to }));
  return mapAllConditions(renamed, (rule) => (rule.field === from ? { ...rule, field: to } : rule));
}

/** Changes an option value of field `fieldId`, with every condition that compares the field with it. */
export function renameOptionValue(
  def: FormDefinition,
  fieldId: string,
  from: string,
  to: string,
): FormDefinition {
  const target = locateField(def, fieldId)?.field;
  if (!target || conditionValueKind(target.type) !== "option") return def;
  return mapAllConditions(def, (rule) =>
    rule.field === fieldId && rule.value === from ? { ...rule, value: to } : rule,
  );
}
