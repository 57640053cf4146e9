// Pure builder state: every edit is an action through `builderReducer`, so it is unit-testable
// without a DOM and the screen stays a thin view over it.
import {
  type ChoiceOption,
  type Condition,
  type ConditionOp,
  type ConditionValue,
  conditionOpsFor,
  conditionValueKind,
  createField,
  type Field,
  type FieldCondition,
  type FieldType,
  type FormDefinition,
  type NewFieldText,
  type Page,
} from "@coleta/forms";

// The builder offers every field type the shared package knows, in its order.
export { FIELD_TYPES as BUILDER_FIELD_TYPES } from "@coleta/forms";

export const CHOICE_TYPES: ReadonlySet<FieldType> = new Set(["single_choice", "multiple_choice", "dropdown"]);

export interface BuilderState {
  definition: FormDefinition;
  selectedId: string | null;
  dirty: boolean;
}

export type BuilderAction =
  | { type: "load"; definition: FormDefinition }
  | { type: "saved" }
  | { type: "setTitle"; title: string }
  | { type: "setDescription"; description: string }
  | { type: "select"; id: string | null }
  | { type: "addField"; fieldType: FieldType; pageId?: string; text?: NewFieldText }
  | { type: "updateField"; id: string; patch: Partial<Record<string, unknown>> }
  | { type: "renameField"; id: string; newId: string }
  | { type: "removeField"; id: string }
  | { type: "moveField"; id: string; delta: -1 | 1 }
  | { type: "reorderField"; activeId: string; overId: string }
  | { type: "moveFieldToPage"; id: string; pageId: string }
  | { type: "addPage"; title?: string }
  | { type: "updatePage"; pageId: string; patch: Partial<Pick<Page, "title" | "description">> }
  | { type: "removePage"; pageId: string }
  | { type: "movePage"; pageId: string; delta: -1 | 1 }
  | { type: "setFieldCondition"; id: string; condition: Condition | null }
  | { type: "setPageCondition"; pageId: string; condition: Condition | null }
  | { type: "addOption"; id: string; label?: string }
  | { type: "updateOption"; id: string; index: number; patch: Partial<ChoiceOption> }
  | { type: "removeOption"; id: string; index: number }
  | { type: "moveOption"; id: string; index: number; delta: -1 | 1 };

export function initialState(definition: FormDefinition): BuilderState {
  const def = definition.pages.length > 0 ? definition : { ...definition, pages: [{ id: "p1", fields: [] }] };
  return { definition: def, selectedId: null, dirty: false };
}

/** All field ids and page ids in use (both must be unique). */
function usedIds(def: FormDefinition): Set<string> {
  const ids = new Set<string>();
  for (const page of def.pages) {
    ids.add(page.id);
    for (const f of page.fields) ids.add(f.id);
  }
  return ids;
}

export function uniqueId(def: FormDefinition, base: string): string {
  const used = usedIds(def);
  const clean = base.replace(/[^a-z0-9_]/g, "_").replace(/^[^a-z]+/, "") || "field";
  const stem = clean.slice(0, 56);
  for (let n = 1; ; n++) {
    const candidate = `${stem}_${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

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

function mapPages(def: FormDefinition, fn: (page: Page, index: number) => Page): FormDefinition {
  return { ...def, pages: def.pages.map(fn) };
}

function mapField(def: FormDefinition, id: string, fn: (f: Field) => Field): FormDefinition {
  return mapPages(def, (page) =>
    page.fields.some((f) => f.id === id)
      ? { ...page, fields: page.fields.map((f) => (f.id === id ? fn(f) : f)) }
      : page,
  );
}

function move<T>(items: readonly T[], from: number, to: number): T[] {
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item as T);
  return copy;
}

/** Conditions referring to a field that no longer comes earlier are dropped, never left dangling. */
function pruneCondition(condition: Condition | null | undefined, allowed: Set<string>): Condition | null {
  if (!condition) return null;
  if ("all" in condition || "any" in condition) {
    const isAll = "all" in condition;
    const source = isAll ? condition.all : (condition as { any: Condition[] }).any;
    const list = source.map((c) => pruneCondition(c, allowed)).filter((c): c is Condition => c !== null);
    if (list.length === 0) return null;
    if (list.length === source.length && list.every((c, i) => c === source[i])) return condition;
    return isAll ? { all: list } : { any: list };
  }
  if ("not" in condition) {
    const inner = pruneCondition(condition.not, allowed);
    if (inner === condition.not) return condition;
    return inner ? { not: inner } : null;
  }
  return allowed.has(condition.field) ? condition : null;
}

/** After any structural change, drop condition parts that would now refer forward or to nothing. */
export function pruneConditions(def: FormDefinition): FormDefinition {
  const seen = new Set<string>();
  let changed = false;
  const pages = def.pages.map((page) => {
    let nextPage = page;
    if (page.visibleWhen) {
      const pruned = pruneCondition(page.visibleWhen, seen);
      if (pruned !== page.visibleWhen) {
        changed = true;
        nextPage = { ...page, visibleWhen: pruned };
        if (!pruned) delete nextPage.visibleWhen;
      }
    }
    const fields = page.fields.map((f) => {
      let next = f;
      if (f.visibleWhen) {
        const pruned = pruneCondition(f.visibleWhen, seen);
        if (pruned !== f.visibleWhen) {
          changed = true;
          next = { ...f, visibleWhen: pruned };
          if (!pruned) delete next.visibleWhen;
        }
      }
      seen.add(f.id);
      return next;
    });
    return fields.some((f, i) => f !== page.fields[i]) ? { ...nextPage, fields } : nextPage;
  });
  return changed ? { ...def, pages } : def;
}

function renameInCondition(c: Condition, from: string, to: string): Condition {
  if ("all" in c) return { all: c.all.map((x) => renameInCondition(x, from, to)) };
  if ("any" in c) return { any: c.any.map((x) => renameInCondition(x, from, to)) };
  if ("not" in c) return { not: renameInCondition(c.not, from, to) };
  return c.field === from ? { ...c, field: to } : c;
}

function withDefinition(
  state: BuilderState,
  definition: FormDefinition,
  extra: Partial<BuilderState> = {},
): BuilderState {
  return { ...state, ...extra, definition: pruneConditions(definition), dirty: true };
}

function optionValue(options: readonly ChoiceOption[]): string {
  const used = new Set(options.map((o) => o.value));
  for (let n = options.length + 1; ; n++) if (!used.has(`option_${n}`)) return `option_${n}`;
}

export function builderReducer(state: BuilderState, action: BuilderAction): BuilderState {
  const def = state.definition;
  switch (action.type) {
    case "load":
      return initialState(action.definition);
    case "saved":
      return { ...state, dirty: false };
    case "setTitle":
      return { ...state, definition: { ...def, title: action.title }, dirty: true };
    case "setDescription": {
      const next: FormDefinition = { ...def, description: action.description };
      if (!action.description) delete next.description;
      return { ...state, definition: next, dirty: true };
    }
    case "select":
      return { ...state, selectedId: action.id };
    case "addField": {
      const id = uniqueId(def, action.fieldType);
      const field: Field = createField(action.fieldType, id, action.text);
      const pageIndex = Math.max(
        0,
        action.pageId
          ? def.pages.findIndex((p) => p.id === action.pageId)
          : state.selectedId
            ? (locateField(def, state.selectedId)?.pageIndex ?? def.pages.length - 1)
            : def.pages.length - 1,
      );
      return withDefinition(
        state,
        mapPages(def, (p, i) => (i === pageIndex ? { ...p, fields: [...p.fields, field] } : p)),
        { selectedId: id },
      );
    }
    case "updateField":
      return withDefinition(
        state,
        mapField(def, action.id, (f) => {
          const next = { ...f, ...action.patch } as Record<string, unknown>;
          for (const [k, v] of Object.entries(action.patch)) {
            if (v === undefined || (v === "" && k !== "label")) delete next[k];
          }
          return next as unknown as Field;
        }),
      );
    case "renameField": {
      if (action.newId === action.id || usedIds(def).has(action.newId)) return state;
      const renamed = mapField(def, action.id, (f) => ({ ...f, id: action.newId }));
      const next = mapPages(renamed, (p) => ({
        ...p,
        ...(p.visibleWhen ? { visibleWhen: renameInCondition(p.visibleWhen, action.id, action.newId) } : {}),
        fields: p.fields.map((f) =>
          f.visibleWhen
            ? { ...f, visibleWhen: renameInCondition(f.visibleWhen, action.id, action.newId) }
            : f,
        ),
      }));
      return withDefinition(state, next, {
        selectedId: state.selectedId === action.id ? action.newId : state.selectedId,
      });
    }
    case "removeField":
      return withDefinition(
        state,
        mapPages(def, (p) => ({ ...p, fields: p.fields.filter((f) => f.id !== action.id) })),
        { selectedId: state.selectedId === action.id ? null : state.selectedId },
      );
    case "moveField": {
      const loc = locateField(def, action.id);
      if (!loc) return state;
      const page = def.pages[loc.pageIndex] as Page;
      const target = loc.fieldIndex + action.delta;
      if (target >= 0 && target < page.fields.length) {
        return withDefinition(
          state,
          mapPages(def, (p, i) =>
            i === loc.pageIndex ? { ...p, fields: move(p.fields, loc.fieldIndex, target) } : p,
          ),
        );
      }
      // At the edge of a page, the field crosses into the neighbouring page.
      const otherIndex = loc.pageIndex + action.delta;
      if (otherIndex < 0 || otherIndex >= def.pages.length) return state;
      return withDefinition(
        state,
        mapPages(def, (p, i) => {
          if (i === loc.pageIndex) return { ...p, fields: p.fields.filter((f) => f.id !== action.id) };
          if (i === otherIndex) {
            return { ...p, fields: action.delta < 0 ? [...p.fields, loc.field] : [loc.field, ...p.fields] };
          }
          return p;
        }),
      );
    }
    case "reorderField": {
      const from = locateField(def, action.activeId);
      const to = locateField(def, action.overId);
      if (!from || !to || action.activeId === action.overId) return state;
      if (from.pageIndex === to.pageIndex) {
        return withDefinition(
          state,
          mapPages(def, (p, i) =>
            i === from.pageIndex ? { ...p, fields: move(p.fields, from.fieldIndex, to.fieldIndex) } : p,
          ),
        );
      }
      return withDefinition(
        state,
        mapPages(def, (p, i) => {
          if (i === from.pageIndex) return { ...p, fields: p.fields.filter((f) => f.id !== action.activeId) };
          if (i === to.pageIndex) {
            const fields = [...p.fields];
            fields.splice(to.fieldIndex, 0, from.field);
            return { ...p, fields };
          }
          return p;
        }),
      );
    }
    case "moveFieldToPage": {
      const loc = locateField(def, action.id);
      const target = def.pages.findIndex((p) => p.id === action.pageId);
      if (!loc || target < 0 || target === loc.pageIndex) return state;
      return withDefinition(
        state,
        mapPages(def, (p, i) => {
          if (i === loc.pageIndex) return { ...p, fields: p.fields.filter((f) => f.id !== action.id) };
          if (i === target) return { ...p, fields: [...p.fields, loc.field] };
          return p;
        }),
      );
    }
    case "addPage": {
      const id = uniqueId(def, "page");
      const page: Page = { id, fields: [] };
      if (action.title) page.title = action.title;
      return withDefinition(state, { ...def, pages: [...def.pages, page] });
    }
    case "updatePage":
      return withDefinition(
        state,
        mapPages(def, (p) => {
          if (p.id !== action.pageId) return p;
          const next = { ...p, ...action.patch };
          if (!next.title) delete next.title;
          if (!next.description) delete next.description;
          return next;
        }),
      );
    case "removePage": {
      const index = def.pages.findIndex((p) => p.id === action.pageId);
      if (index < 0 || def.pages.length <= 1) return state;
      const removed = def.pages[index] as Page;
      // Its fields are kept: they join the previous page (or the next one when it was the first).
      const heir = index > 0 ? index - 1 : 1;
      const pages = def.pages
        .map((p, i) => {
          if (i !== heir) return p;
          return {
            ...p,
            fields: heir < index ? [...p.fields, ...removed.fields] : [...removed.fields, ...p.fields],
          };
        })
        .filter((_, i) => i !== index);
      return withDefinition(state, { ...def, pages });
    }
    case "movePage": {
      const index = def.pages.findIndex((p) => p.id === action.pageId);
      const target = index + action.delta;
      if (index < 0 || target < 0 || target >= def.pages.length) return state;
      return withDefinition(state, { ...def, pages: move(def.pages, index, target) });
    }
    case "setFieldCondition":
      return withDefinition(
        state,
        mapField(def, action.id, (f) => {
          const next = { ...f };
          if (action.condition) next.visibleWhen = action.condition;
          else delete next.visibleWhen;
          return next;
        }),
      );
    case "setPageCondition":
      return withDefinition(
        state,
        mapPages(def, (p) => {
          if (p.id !== action.pageId) return p;
          const next = { ...p };
          if (action.condition) next.visibleWhen = action.condition;
          else delete next.visibleWhen;
          return next;
        }),
      );
    case "addOption":
      return withDefinition(
        state,
        mapField(def, action.id, (f) => {
          if (!("options" in f)) return f;
          const value = optionValue(f.options);
          return { ...f, options: [...f.options, { value, label: action.label ?? "" }] } as Field;
        }),
      );
    case "updateOption":
      return withDefinition(
        state,
        mapField(def, action.id, (f) =>
          "options" in f
            ? ({
                ...f,
                options: f.options.map((o, i) => (i === action.index ? { ...o, ...action.patch } : o)),
              } as Field)
            : f,
        ),
      );
    case "removeOption":
      return withDefinition(
        state,
        mapField(def, action.id, (f) =>
          "options" in f ? ({ ...f, options: f.options.filter((_, i) => i !== action.index) } as Field) : f,
        ),
      );
    case "moveOption":
      return withDefinition(
        state,
        mapField(def, action.id, (f) => {
          if (!("options" in f)) return f;
          const target = action.index + action.delta;
          if (target < 0 || target >= f.options.length) return f;
          return { ...f, options: move(f.options, action.index, target) } as Field;
        }),
      );
  }
}

// ---- Conditions: the editor works on a flat "all/any of these rules" group -------------------------

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
