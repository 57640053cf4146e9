// Pure builder state: every edit is an action through `builderReducer`, so it is unit-testable
// without a DOM and the screen stays a thin view over it.
import {
  type ChoiceOption,
  type Condition,
  createField,
  type Field,
  type FieldType,
  type FormDefinition,
  fieldIdFromLabel,
  ID_PATTERN,
  type NewFieldText,
  optionValueFromLabel,
  type Page,
  TEXT_MAX_LENGTHS,
} from "@coleta/forms";
import {
  fieldIds,
  locateField,
  mapField,
  mapPages,
  move,
  pruneConditions,
  renameField,
  renameOptionValue,
  withCondition,
} from "./definition";
import {
  type Frozen,
  frozenFrom,
  isFrozenField,
  isFrozenOption,
  labelledId,
  labelledValue,
  takenFieldIds,
} from "./ids";

// The builder offers every field type the shared package knows, in its order.
export { FIELD_TYPES as BUILDER_FIELD_TYPES } from "@coleta/forms";
export { earlierFields, locateField } from "./definition";

export const CHOICE_TYPES: ReadonlySet<FieldType> = new Set(["single_choice", "multiple_choice", "dropdown"]);

/** The form as it was before a question was deleted, until the next edit: "Undo" brings it back. */
export interface Removed {
  id: string;
  label: string;
  definition: FormDefinition;
  keys: Readonly<Record<string, number>>;
  selectedId: string | null;
}

export interface BuilderState {
  definition: FormDefinition;
  selectedId: string | null;
  dirty: boolean;
  /** What the published version fixed: those ids and option values no longer change. */
  frozen: Frozen;
  /** A stable React key per field id, so a card keeps its focus while its id follows the label. */
  keys: Readonly<Record<string, number>>;
  nextKey: number;
  removed: Removed | null;
}

export type BuilderAction =
  | { type: "load"; definition: FormDefinition; published?: FormDefinition | null }
  | { type: "saved" }
  | { type: "published"; definition: FormDefinition | null }
  | { type: "setTitle"; title: string }
  | { type: "setDescription"; description: string }
  | { type: "select"; id: string | null }
  | { type: "addField"; fieldType: FieldType; pageId?: string; text?: NewFieldText }
  | { type: "updateField"; id: string; patch: Partial<Record<string, unknown>> }
  | { type: "renameField"; id: string; newId: string }
  | { type: "removeField"; id: string }
  | { type: "undoRemove" }
  | { type: "dismissUndo" }
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

export function initialState(
  definition: FormDefinition,
  published: FormDefinition | null = null,
): BuilderState {
  const def = definition.pages.length > 0 ? definition : { ...definition, pages: [{ id: "p1", fields: [] }] };
  const keys: Record<string, number> = {};
  let nextKey = 1;
  for (const id of fieldIds(def)) keys[id] = nextKey++;
  return {
    definition: def,
    selectedId: null,
    dirty: false,
    frozen: frozenFrom(published),
    keys,
    nextKey,
    removed: null,
  };
}

function nextPageId(def: FormDefinition): string {
  const used = new Set(def.pages.map((p) => p.id));
  for (let n = 1; ; n++) if (!used.has(`page_${n}`)) return `page_${n}`;
}

/** Every edit of the definition goes through here: conditions stay valid and "Undo" expires. */
function withDefinition(
  state: BuilderState,
  definition: FormDefinition,
  extra: Partial<BuilderState> = {},
): BuilderState {
  return { ...state, removed: null, ...extra, definition: pruneConditions(definition), dirty: true };
}

/** Field `from` becomes `to` everywhere: the definition, its conditions, its card key, the selection. */
function renamed(state: BuilderState, def: FormDefinition, from: string, to: string): Partial<BuilderState> {
  const { [from]: key, ...keys } = state.keys;
  return {
    definition: renameField(def, from, to),
    keys: key === undefined ? keys : { ...keys, [to]: key },
    selectedId: state.selectedId === from ? to : state.selectedId,
  };
}

/** The new label, and the id that follows it while the id is still the label's (see ./ids). */
function updateField(state: BuilderState, id: string, patch: Partial<Record<string, unknown>>): BuilderState {
  const def = state.definition;
  const patched = mapField(def, id, (f) => {
    const next = { ...f, ...patch } as Record<string, unknown>;
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || (v === "" && k !== "label")) delete next[k];
    }
    return next as unknown as Field;
  });
  const field = locateField(def, id)?.field;
  const newId =
    field && typeof patch.label === "string" ? labelledId(def, field, patch.label, state.frozen) : id;
  if (newId === id) return withDefinition(state, patched);
  const next = renamed(state, patched, id, newId);
  return withDefinition(state, next.definition as FormDefinition, next);
}

function mapOptions(def: FormDefinition, id: string, fn: (options: ChoiceOption[]) => ChoiceOption[]) {
  return mapField(def, id, (f) => ("options" in f ? ({ ...f, options: fn(f.options) } as Field) : f));
}

/** A label edit (the value follows it while it still can) or a value typed by hand. */
function updateOption(
  state: BuilderState,
  action: Extract<BuilderAction, { type: "updateOption" }>,
): BuilderState {
  const def = state.definition;
  const field = locateField(def, action.id)?.field;
  const options = field && "options" in field ? field.options : [];
  const option = options[action.index];
  if (!field || !option) return state;
  let value = option.value;
  if (action.patch.value !== undefined && action.patch.value !== option.value) {
    const others = options.filter((_, i) => i !== action.index).map((o) => o.value);
    const clash = others.includes(action.patch.value) || action.patch.value === "";
    if (clash || action.patch.value.length > TEXT_MAX_LENGTHS.optionValue) return state;
    if (isFrozenOption(state.frozen, field.id, option.value)) return state;
    value = action.patch.value;
  } else if (action.patch.label !== undefined) {
    value = labelledValue(field.id, options, action.index, action.patch.label, state.frozen);
  }
  const next = { ...option, ...action.patch, value };
  const updated = mapOptions(def, action.id, (options) =>
    options.map((o, i) => (i === action.index ? next : o)),
  );
  return withDefinition(state, renameOptionValue(updated, field.id, option.value, value));
}

export function builderReducer(state: BuilderState, action: BuilderAction): BuilderState {
  const def = state.definition;
  switch (action.type) {
    case "load":
      return initialState(action.definition, action.published);
    case "saved":
      return { ...state, dirty: false };
    case "published":
      return { ...state, frozen: frozenFrom(action.definition) };
    case "setTitle":
      return { ...state, removed: null, definition: { ...def, title: action.title }, dirty: true };
    case "setDescription": {
      const next: FormDefinition = { ...def, description: action.description };
      if (!action.description) delete next.description;
      return { ...state, removed: null, definition: next, dirty: true };
    }
    case "select":
      return { ...state, selectedId: action.id };
    case "addField": {
      const draft = createField(action.fieldType, "", action.text);
      const id = fieldIdFromLabel(draft.label, takenFieldIds(def, state.frozen));
      const field: Field = { ...draft, id };
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
        { selectedId: id, keys: { ...state.keys, [id]: state.nextKey }, nextKey: state.nextKey + 1 },
      );
    }
    case "updateField":
      return updateField(state, action.id, action.patch);
    case "renameField": {
      const { id, newId } = action;
      const refused =
        newId === id ||
        !ID_PATTERN.test(newId) ||
        takenFieldIds(def, state.frozen, id).has(newId) ||
        isFrozenField(state.frozen, id);
      if (refused) return state;
      const next = renamed(state, def, id, newId);
      return withDefinition(state, next.definition as FormDefinition, next);
    }
    case "removeField": {
      const field = locateField(def, action.id)?.field;
      if (!field) return state;
      const removed: Removed = {
        id: field.id,
        label: field.label,
        definition: def,
        keys: state.keys,
        selectedId: state.selectedId,
      };
      return withDefinition(
        state,
        mapPages(def, (p) => ({ ...p, fields: p.fields.filter((f) => f.id !== action.id) })),
        { selectedId: state.selectedId === action.id ? null : state.selectedId, removed },
      );
    }
    case "undoRemove": {
      const removed = state.removed;
      if (!removed) return state;
      const { definition, keys, selectedId } = removed;
      return { ...state, definition, keys, selectedId, removed: null, dirty: true };
    }
    case "dismissUndo":
      return { ...state, removed: null };
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
      const page: Page = { id: nextPageId(def), fields: [] };
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
        mapField(def, action.id, (f) => withCondition(f, action.condition)),
      );
    case "setPageCondition":
      return withDefinition(
        state,
        mapPages(def, (p) => (p.id === action.pageId ? withCondition(p, action.condition) : p)),
      );
    case "addOption":
      return withDefinition(
        state,
        mapOptions(def, action.id, (options) => {
          const label = action.label ?? "";
          const value = optionValueFromLabel(label, new Set(options.map((o) => o.value)));
          return [...options, { value, label }];
        }),
      );
    case "updateOption":
      return updateOption(state, action);
    case "removeOption":
      return withDefinition(
        state,
        mapOptions(def, action.id, (options) => options.filter((_, i) => i !== action.index)),
      );
    case "moveOption":
      return withDefinition(
        state,
        mapOptions(def, action.id, (options) => {
          const target = action.index + action.delta;
          if (target < 0 || target >= options.length) return options;
          return move(options, action.index, target);
        }),
      );
  }
}
