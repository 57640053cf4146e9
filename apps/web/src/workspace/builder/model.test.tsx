import { createEmptyDefinition, FIELD_TYPES, type Field, type FormDefinition } from "@coleta/forms";
import { validateDefinition } from "@coleta/forms/schema";
import { describe, expect, it } from "vitest";
import { fromGroup, toGroup } from "./condition-rules";
import { groupErrors } from "./errors";
import {
  BUILDER_FIELD_TYPES,
  type BuilderAction,
  type BuilderState,
  builderReducer,
  earlierFields,
  initialState,
} from "./model";

function run(
  actions: BuilderAction[],
  def: FormDefinition = createEmptyDefinition("Test"),
  published: FormDefinition | null = null,
): BuilderState {
  return actions.reduce(builderReducer, initialState(def, published));
}
const ids = (s: BuilderState, page = 0) => s.definition.pages[page]?.fields.map((f) => f.id) ?? [];
const fieldAt = (s: BuilderState, i: number) => s.definition.pages[0]?.fields[i] as Field;
const optionsOf = (s: BuilderState, i: number) => {
  const field = fieldAt(s, i);
  return "options" in field ? field.options : [];
};
const add = (fieldType: Field["type"], label: string, pageId?: string): BuilderAction => ({
  type: "addField",
  fieldType,
  text: { label },
  ...(pageId ? { pageId } : {}),
});
const relabel = (id: string, label: string): BuilderAction => ({ type: "updateField", id, patch: { label } });
/** Shows question `id` when `field` equals `value`. */
const showWhen = (id: string, field: string, value: string | boolean): BuilderAction => ({
  type: "setFieldCondition",
  id,
  condition: { field, op: "equals", value },
});

describe("builder reducer", () => {
  it("offers every field type of @coleta/forms", () => {
    expect([...BUILDER_FIELD_TYPES].sort()).toEqual([...FIELD_TYPES].sort());
  });

  it("adds a field of every type and the result passes validateDefinition", () => {
    const s = run(FIELD_TYPES.map((fieldType) => add(fieldType, `A ${fieldType}`)));
    const fields = s.definition.pages[0]?.fields ?? [];
    expect(fields.map((f) => f.type)).toEqual([...FIELD_TYPES]);
    expect(new Set(fields.map((f) => f.id)).size).toBe(FIELD_TYPES.length);
    expect(s.dirty).toBe(true);
    expect(s.selectedId).toBe(fields.at(-1)?.id);
    const choice = fields.find((f) => f.type === "single_choice") as Field & { options: unknown[] };
    expect(choice.options).toHaveLength(2);
    const result = validateDefinition(s.definition);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it("moves fields up and down, and across page edges", () => {
    let s = run([add("short_text", "a"), add("number", "b"), add("email", "c")]);
    expect(ids(s)).toEqual(["a", "b", "c"]);
    s = builderReducer(s, { type: "moveField", id: "c", delta: -1 });
    expect(ids(s)).toEqual(["a", "c", "b"]);
    s = builderReducer(s, { type: "moveField", id: "a", delta: 1 });
    expect(ids(s)).toEqual(["c", "a", "b"]);
    // The first field cannot move further up.
    expect(builderReducer(s, { type: "moveField", id: "c", delta: -1 })).toBe(s);
    // With a second page, moving the last field down crosses into it.
    s = builderReducer(s, { type: "addPage" });
    s = builderReducer(s, { type: "moveField", id: "b", delta: 1 });
    expect(ids(s, 0)).toEqual(["c", "a"]);
    expect(ids(s, 1)).toEqual(["b"]);
    s = builderReducer(s, { type: "moveField", id: "b", delta: -1 });
    expect(ids(s, 0)).toEqual(["c", "a", "b"]);
  });

  it("reorders by drag and drop ids", () => {
    let s = run([add("short_text", "a"), add("number", "b"), add("email", "c")]);
    s = builderReducer(s, { type: "reorderField", activeId: "a", overId: "c" });
    expect(ids(s)).toEqual(["b", "c", "a"]);
  });

  it("deletes fields and drops conditions that used them", () => {
    let s = run([add("yes_no", "Pet?"), add("short_text", "Pet name"), showWhen("pet_name", "pet", true)]);
    expect(fieldAt(s, 1).visibleWhen).toEqual({ field: "pet", op: "equals", value: true });
    s = builderReducer(s, { type: "removeField", id: "pet" });
    expect(ids(s)).toEqual(["pet_name"]);
    expect(fieldAt(s, 0).visibleWhen).toBeUndefined();
  });

  it("undoes a delete: the question is back at its place, with the conditions that used it", () => {
    let s = run([
      add("yes_no", "Pet?"),
      add("short_text", "Pet name"),
      add("number", "Age"),
      showWhen("pet_name", "pet", true),
    ]);
    const before = s.definition;
    s = builderReducer(s, { type: "removeField", id: "pet" });
    expect(s.removed?.label).toBe("Pet?");
    s = builderReducer(s, { type: "undoRemove" });
    expect(s.definition).toEqual(before);
    expect(s.removed).toBeNull();
    expect(s.dirty).toBe(true);
    // Undo is for the last edit only: another edit after the delete lets it expire.
    s = run([{ type: "removeField", id: "age" }, relabel("pet_name", "Name of the pet")], s.definition);
    expect(s.removed).toBeNull();
    expect(builderReducer(s, { type: "undoRemove" })).toBe(s);
  });

  it("drops a condition when reordering would make it refer forward", () => {
    let s = run([
      add("yes_no", "Q1"),
      add("short_text", "Q2"),
      { type: "setFieldCondition", id: "q2", condition: { field: "q1", op: "answered" } },
    ]);
    s = builderReducer(s, { type: "moveField", id: "q2", delta: -1 });
    expect(fieldAt(s, 0).visibleWhen).toBeUndefined();
    expect(validateDefinition(s.definition).ok).toBe(true);
  });

  it("adds, renames, reorders and deletes pages; moves fields between pages", () => {
    let s = run([add("short_text", "a"), { type: "addPage", title: "Second" }, add("number", "b", "page_1")]);
    expect(s.definition.pages.map((p) => p.id)).toEqual(["p1", "page_1"]);
    s = builderReducer(s, { type: "updatePage", pageId: "page_1", patch: { title: "Renamed" } });
    expect(s.definition.pages[1]?.title).toBe("Renamed");
    s = builderReducer(s, { type: "moveFieldToPage", id: "a", pageId: "page_1" });
    expect(ids(s, 0)).toEqual([]);
    expect(ids(s, 1)).toEqual(["b", "a"]);
    s = builderReducer(s, { type: "movePage", pageId: "page_1", delta: -1 });
    expect(s.definition.pages.map((p) => p.id)).toEqual(["page_1", "p1"]);
    // Deleting a page keeps its fields on the neighbouring page.
    s = builderReducer(s, { type: "removePage", pageId: "page_1" });
    expect(s.definition.pages.map((p) => p.id)).toEqual(["p1"]);
    expect(ids(s, 0)).toEqual(["b", "a"]);
    // The last page cannot be deleted.
    expect(builderReducer(s, { type: "removePage", pageId: "p1" })).toBe(s);
  });

  it("edits options: add, change, reorder, remove", () => {
    let s = run([{ type: "addField", fieldType: "dropdown", text: { label: "Fruit" } }]);
    s = builderReducer(s, { type: "addOption", id: "fruit", label: "Third" });
    s = builderReducer(s, { type: "updateOption", id: "fruit", index: 0, patch: { label: "First" } });
    s = builderReducer(s, { type: "moveOption", id: "fruit", index: 2, delta: -1 });
    expect(optionsOf(s, 0).map((o) => o.label)).toEqual(["First", "Third", "Option 2"]);
    expect(optionsOf(s, 0).map((o) => o.value)).toEqual(["first", "third", "option_2"]);
    s = builderReducer(s, { type: "removeOption", id: "fruit", index: 0 });
    expect(optionsOf(s, 0).map((o) => o.label)).toEqual(["Third", "Option 2"]);
  });

  it("renames a field id by hand and updates the conditions that use it", () => {
    const s = run([
      add("number", "How old are you?"),
      add("short_text", "Why?"),
      { type: "setFieldCondition", id: "why", condition: { field: "how_old_are_you", op: "gt", value: 3 } },
      { type: "renameField", id: "how_old_are_you", newId: "age" },
    ]);
    expect(ids(s)).toEqual(["age", "why"]);
    expect(fieldAt(s, 1).visibleWhen).toEqual({ field: "age", op: "gt", value: 3 });
    // Renaming onto an existing id, or to an invalid one, is refused.
    expect(builderReducer(s, { type: "renameField", id: "age", newId: "why" })).toBe(s);
    expect(builderReducer(s, { type: "renameField", id: "age", newId: "Idade" })).toBe(s);
  });

  it("sets and clears rules; empty inputs remove the property", () => {
    let s = run([add("short_text", "Name")]);
    s = builderReducer(s, { type: "updateField", id: "name", patch: { maxLength: 10, help: "Hi" } });
    expect(fieldAt(s, 0)).toMatchObject({ maxLength: 10, help: "Hi" });
    s = builderReducer(s, { type: "updateField", id: "name", patch: { maxLength: undefined, help: "" } });
    expect(fieldAt(s, 0)).not.toHaveProperty("maxLength");
    expect(fieldAt(s, 0)).not.toHaveProperty("help");
  });
});

describe("readable ids", () => {
  it("a new field's id follows its label as it is typed, unique within the form", () => {
    let s = run([add("short_text", "Texto curto"), add("short_text", "Texto curto")]);
    expect(ids(s)).toEqual(["texto_curto", "texto_curto_2"]);
    const key = s.keys.texto_curto_2;
    for (const label of ["Q", "Qual", "Qual é o seu município?"])
      s = builderReducer(s, relabel(ids(s)[1] as string, label));
    expect(ids(s)).toEqual(["texto_curto", "qual_e_o_seu_municipio"]);
    // The card keeps its React key (and so its focus) through the renames; the selection follows.
    expect(s.keys.qual_e_o_seu_municipio).toBe(key);
    expect(s.selectedId).toBe("qual_e_o_seu_municipio");
    // A label the other field already gives gets a suffix; a label without letters, the fallback.
    s = builderReducer(s, relabel("qual_e_o_seu_municipio", "Texto curto"));
    expect(ids(s)).toEqual(["texto_curto", "texto_curto_2"]);
    s = builderReducer(s, relabel("texto_curto_2", "???"));
    expect(ids(s)).toEqual(["texto_curto", "field"]);
    expect(validateDefinition(s.definition).ok).toBe(true);
  });

  it("conditions follow a field whose id follows its label", () => {
    let s = run([
      add("yes_no", "Has a pet?"),
      add("short_text", "Pet name"),
      showWhen("pet_name", "has_a_pet", true),
      relabel("has_a_pet", "Do you have a dog?"),
    ]);
    expect(ids(s)).toEqual(["do_you_have_a_dog", "pet_name"]);
    expect(fieldAt(s, 1).visibleWhen).toEqual({ field: "do_you_have_a_dog", op: "equals", value: true });
    s = builderReducer(s, relabel("pet_name", "Dog name"));
    expect(ids(s)).toEqual(["do_you_have_a_dog", "dog_name"]);
    expect(validateDefinition(s.definition).ok).toBe(true);
  });

  it("stops following once the id is typed by hand", () => {
    let s = run([add("number", "Idade"), { type: "renameField", id: "idade", newId: "age" }]);
    s = builderReducer(s, relabel("age", "Idade em anos"));
    expect(ids(s)).toEqual(["age"]);
  });

  it("existing forms keep their ids", () => {
    const def: FormDefinition = {
      ...createEmptyDefinition("Old"),
      pages: [{ id: "p1", fields: [{ id: "short_text_1", type: "short_text", label: "Your name" }] }],
    };
    const s = run([relabel("short_text_1", "Full name")], def);
    expect(ids(s)).toEqual(["short_text_1"]);
  });

  it("freezes the ids and option values of the published version", () => {
    const draft = run([add("single_choice", "Colour"), add("short_text", "Why")]).definition;
    let s = run([], draft, draft);
    s = builderReducer(s, relabel("colour", "Favourite colour"));
    s = builderReducer(s, { type: "updateOption", id: "colour", index: 0, patch: { label: "Blue" } });
    expect(ids(s)).toEqual(["colour", "why"]);
    expect(optionsOf(s, 0)[0]).toEqual({ value: "option_1", label: "Blue" });
    expect(builderReducer(s, { type: "renameField", id: "colour", newId: "color" })).toBe(s);
    const byHand = { type: "updateOption", id: "colour", index: 0, patch: { value: "blue" } } as const;
    expect(builderReducer(s, byHand)).toBe(s);
    // A new option, added after publishing, still follows its label.
    s = builderReducer(s, { type: "addOption", id: "colour", label: "Option 3" });
    s = builderReducer(s, { type: "updateOption", id: "colour", index: 2, patch: { label: "Red" } });
    expect(optionsOf(s, 0)[2]).toEqual({ value: "red", label: "Red" });
    // Publishing from the builder freezes what it published.
    s = builderReducer(s, { type: "published", definition: s.definition });
    s = builderReducer(s, { type: "updateOption", id: "colour", index: 2, patch: { label: "Crimson" } });
    expect(optionsOf(s, 0)[2]?.value).toBe("red");
  });

  it("never gives a new field the id of a deleted published one (stored answers use it)", () => {
    const draft = run([add("short_text", "Name"), add("number", "Age")]).definition;
    let s = run([{ type: "removeField", id: "age" }], draft, draft);
    s = builderReducer(s, add("short_text", "Age"));
    expect(ids(s)).toEqual(["name", "age_2"]);
    // Nor by hand.
    expect(builderReducer(s, { type: "renameField", id: "age_2", newId: "age" })).toBe(s);
  });

  it("option values follow their labels, unique in the field, and conditions follow them", () => {
    let s = run([
      add("single_choice", "Colour"),
      add("short_text", "Why"),
      showWhen("why", "colour", "option_2"),
      { type: "updateOption", id: "colour", index: 1, patch: { label: "Azul-claro" } },
      { type: "updateOption", id: "colour", index: 0, patch: { label: "Azul claro" } },
    ]);
    expect(optionsOf(s, 0).map((o) => o.value)).toEqual(["azul_claro_2", "azul_claro"]);
    expect(fieldAt(s, 1).visibleWhen).toEqual({ field: "colour", op: "equals", value: "azul_claro" });
    // A value typed by hand is kept (and the condition follows it), unless it clashes or is empty.
    s = builderReducer(s, { type: "updateOption", id: "colour", index: 1, patch: { value: "light_blue" } });
    expect(fieldAt(s, 1).visibleWhen).toEqual({ field: "colour", op: "equals", value: "light_blue" });
    s = builderReducer(s, { type: "updateOption", id: "colour", index: 1, patch: { label: "Celeste" } });
    expect(optionsOf(s, 0)[1]).toEqual({ value: "light_blue", label: "Celeste" });
    for (const value of ["azul_claro_2", ""]) {
      expect(builderReducer(s, { type: "updateOption", id: "colour", index: 1, patch: { value } })).toBe(s);
    }
    expect(validateDefinition(s.definition).ok).toBe(true);
  });
});

describe("conditions", () => {
  it("earlier fields are those before the target, across pages", () => {
    const s = run([
      add("short_text", "a"),
      add("number", "b"),
      { type: "addPage" },
      add("email", "c", "page_1"),
    ]);
    const earlier = (target: { fieldId: string } | { pageId: string }) =>
      earlierFields(s.definition, target).map((f) => f.id);
    expect(earlier({ fieldId: "a" })).toEqual([]);
    expect(earlier({ fieldId: "b" })).toEqual(["a"]);
    expect(earlier({ fieldId: "c" })).toEqual(["a", "b"]);
    expect(earlier({ pageId: "page_1" })).toEqual(["a", "b"]);
    expect(earlier({ pageId: "p1" })).toEqual([]);
  });

  it("groups round-trip: one rule, all, any", () => {
    const rule = { field: "a", op: "answered" as const };
    expect(fromGroup({ mode: "all", rules: [] })).toBeNull();
    expect(fromGroup({ mode: "any", rules: [rule] })).toEqual(rule);
    expect(fromGroup({ mode: "any", rules: [rule, rule] })).toEqual({ any: [rule, rule] });
    expect(toGroup({ all: [rule] })).toEqual({ mode: "all", rules: [rule] });
    expect(toGroup({ not: rule })).toBeNull();
  });
});

describe("groupErrors", () => {
  it("places dotted paths on fields and pages", () => {
    const s = run([add("short_text", "Name"), { type: "addPage" }]);
    const g = groupErrors(s.definition, [
      { path: "pages.0.fields.0.maxLength", code: "too_small", message: "x" },
      { path: "draft.pages.1.title", code: "too_big", message: "y" },
      { path: "name", code: "required", message: "z" },
      { path: "title", code: "too_small", message: "t" },
    ]);
    expect(g.fields.name).toHaveLength(2);
    expect(g.pages.page_1).toHaveLength(1);
    expect(g.form).toHaveLength(1);
  });
});
