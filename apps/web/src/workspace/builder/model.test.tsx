import { createEmptyDefinition, FIELD_TYPES, type Field, type FormDefinition } from "@coleta/forms";
import { validateDefinition } from "@coleta/forms/schema";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { ConditionEditor } from "./ConditionEditor";
import { groupErrors } from "./errors";
import {
  BUILDER_FIELD_TYPES,
  type BuilderAction,
  type BuilderState,
  builderReducer,
  earlierFields,
  fromGroup,
  initialState,
  toGroup,
} from "./model";

afterEach(cleanup);

function run(actions: BuilderAction[], def: FormDefinition = createEmptyDefinition("Test")): BuilderState {
  return actions.reduce(builderReducer, initialState(def));
}
const ids = (s: BuilderState, page = 0) => s.definition.pages[page]?.fields.map((f) => f.id) ?? [];

describe("builder reducer", () => {
  it("offers every field type of @coleta/forms", () => {
    expect([...BUILDER_FIELD_TYPES].sort()).toEqual([...FIELD_TYPES].sort());
  });

  it("adds a field of every type and the result passes validateDefinition", () => {
    const s = run(
      FIELD_TYPES.map((fieldType) => ({ type: "addField", fieldType, text: { label: `A ${fieldType}` } })),
    );
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
    let s = run([
      { type: "addField", fieldType: "short_text", text: { label: "a" } },
      { type: "addField", fieldType: "number", text: { label: "b" } },
      { type: "addField", fieldType: "email", text: { label: "c" } },
    ]);
    expect(ids(s)).toEqual(["short_text_1", "number_1", "email_1"]);
    s = builderReducer(s, { type: "moveField", id: "email_1", delta: -1 });
    expect(ids(s)).toEqual(["short_text_1", "email_1", "number_1"]);
    s = builderReducer(s, { type: "moveField", id: "short_text_1", delta: 1 });
    expect(ids(s)).toEqual(["email_1", "short_text_1", "number_1"]);
    // The first field cannot move further up.
    expect(builderReducer(s, { type: "moveField", id: "email_1", delta: -1 })).toBe(s);
    // With a second page, moving the last field down crosses into it.
    s = builderReducer(s, { type: "addPage" });
    s = builderReducer(s, { type: "moveField", id: "number_1", delta: 1 });
    expect(ids(s, 0)).toEqual(["email_1", "short_text_1"]);
    expect(ids(s, 1)).toEqual(["number_1"]);
    s = builderReducer(s, { type: "moveField", id: "number_1", delta: -1 });
    expect(ids(s, 0)).toEqual(["email_1", "short_text_1", "number_1"]);
  });

  it("reorders by drag and drop ids", () => {
    let s = run([
      { type: "addField", fieldType: "short_text" },
      { type: "addField", fieldType: "number" },
      { type: "addField", fieldType: "email" },
    ]);
    s = builderReducer(s, { type: "reorderField", activeId: "short_text_1", overId: "email_1" });
    expect(ids(s)).toEqual(["number_1", "email_1", "short_text_1"]);
  });

  it("deletes fields and drops conditions that used them", () => {
    let s = run([
      { type: "addField", fieldType: "yes_no", text: { label: "Pet?" } },
      { type: "addField", fieldType: "short_text", text: { label: "Pet name" } },
      {
        type: "setFieldCondition",
        id: "short_text_1",
        condition: { field: "yes_no_1", op: "equals", value: true },
      },
    ]);
    expect(s.definition.pages[0]?.fields[1]?.visibleWhen).toEqual({
      field: "yes_no_1",
      op: "equals",
      value: true,
    });
    s = builderReducer(s, { type: "removeField", id: "yes_no_1" });
    expect(ids(s)).toEqual(["short_text_1"]);
    expect(s.definition.pages[0]?.fields[0]?.visibleWhen).toBeUndefined();
  });

  it("drops a condition when reordering would make it refer forward", () => {
    let s = run([
      { type: "addField", fieldType: "yes_no", text: { label: "Q1" } },
      { type: "addField", fieldType: "short_text", text: { label: "Q2" } },
      { type: "setFieldCondition", id: "short_text_1", condition: { field: "yes_no_1", op: "answered" } },
    ]);
    s = builderReducer(s, { type: "moveField", id: "short_text_1", delta: -1 });
    expect(s.definition.pages[0]?.fields[0]?.visibleWhen).toBeUndefined();
    expect(validateDefinition(s.definition).ok).toBe(true);
  });

  it("adds, renames, reorders and deletes pages; moves fields between pages", () => {
    let s = run([
      { type: "addField", fieldType: "short_text" },
      { type: "addPage", title: "Second" },
      { type: "addField", fieldType: "number", pageId: "page_1" },
    ]);
    expect(s.definition.pages.map((p) => p.id)).toEqual(["p1", "page_1"]);
    s = builderReducer(s, { type: "updatePage", pageId: "page_1", patch: { title: "Renamed" } });
    expect(s.definition.pages[1]?.title).toBe("Renamed");
    s = builderReducer(s, { type: "moveFieldToPage", id: "short_text_1", pageId: "page_1" });
    expect(ids(s, 0)).toEqual([]);
    expect(ids(s, 1)).toEqual(["number_1", "short_text_1"]);
    s = builderReducer(s, { type: "movePage", pageId: "page_1", delta: -1 });
    expect(s.definition.pages.map((p) => p.id)).toEqual(["page_1", "p1"]);
    // Deleting a page keeps its fields on the neighbouring page.
    s = builderReducer(s, { type: "removePage", pageId: "page_1" });
    expect(s.definition.pages.map((p) => p.id)).toEqual(["p1"]);
    expect(ids(s, 0)).toEqual(["number_1", "short_text_1"]);
    // The last page cannot be deleted.
    expect(builderReducer(s, { type: "removePage", pageId: "p1" })).toBe(s);
  });

  it("edits options: add, change, reorder, remove", () => {
    let s = run([{ type: "addField", fieldType: "dropdown" }]);
    s = builderReducer(s, { type: "addOption", id: "dropdown_1", label: "Third" });
    s = builderReducer(s, { type: "updateOption", id: "dropdown_1", index: 0, patch: { label: "First" } });
    s = builderReducer(s, { type: "moveOption", id: "dropdown_1", index: 2, delta: -1 });
    const opts = () => {
      const field = s.definition.pages[0]?.fields[0];
      return field && "options" in field ? field.options : [];
    };
    expect(opts().map((o) => o.label)).toEqual(["First", "Third", "Option 2"]);
    expect(opts()[1]?.value).toBe("option_3");
    s = builderReducer(s, { type: "removeOption", id: "dropdown_1", index: 0 });
    expect(opts().map((o) => o.label)).toEqual(["Third", "Option 2"]);
  });

  it("renames a field id and updates the conditions that use it", () => {
    const s = run([
      { type: "addField", fieldType: "number" },
      { type: "addField", fieldType: "short_text" },
      { type: "setFieldCondition", id: "short_text_1", condition: { field: "number_1", op: "gt", value: 3 } },
      { type: "renameField", id: "number_1", newId: "age" },
    ]);
    expect(ids(s)).toEqual(["age", "short_text_1"]);
    expect(s.definition.pages[0]?.fields[1]?.visibleWhen).toEqual({ field: "age", op: "gt", value: 3 });
    // Renaming onto an existing id is refused.
    expect(builderReducer(s, { type: "renameField", id: "age", newId: "short_text_1" })).toBe(s);
  });

  it("sets and clears rules; empty inputs remove the property", () => {
    let s = run([{ type: "addField", fieldType: "short_text" }]);
    s = builderReducer(s, { type: "updateField", id: "short_text_1", patch: { maxLength: 10, help: "Hi" } });
    expect(s.definition.pages[0]?.fields[0]).toMatchObject({ maxLength: 10, help: "Hi" });
    s = builderReducer(s, {
      type: "updateField",
      id: "short_text_1",
      patch: { maxLength: undefined, help: "" },
    });
    expect(s.definition.pages[0]?.fields[0]).not.toHaveProperty("maxLength");
    expect(s.definition.pages[0]?.fields[0]).not.toHaveProperty("help");
  });
});

describe("conditions", () => {
  it("earlier fields are those before the target, across pages", () => {
    const s = run([
      { type: "addField", fieldType: "short_text" },
      { type: "addField", fieldType: "number" },
      { type: "addPage" },
      { type: "addField", fieldType: "email", pageId: "page_1" },
    ]);
    expect(earlierFields(s.definition, { fieldId: "short_text_1" }).map((f) => f.id)).toEqual([]);
    expect(earlierFields(s.definition, { fieldId: "number_1" }).map((f) => f.id)).toEqual(["short_text_1"]);
    expect(earlierFields(s.definition, { fieldId: "email_1" }).map((f) => f.id)).toEqual([
      "short_text_1",
      "number_1",
    ]);
    expect(earlierFields(s.definition, { pageId: "page_1" }).map((f) => f.id)).toEqual([
      "short_text_1",
      "number_1",
    ]);
    expect(earlierFields(s.definition, { pageId: "p1" })).toEqual([]);
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

function Harness({ def, target }: { def: FormDefinition; target: string }) {
  const [state, setState] = useState(initialState(def));
  const field = state.definition.pages.flatMap((p) => p.fields).find((f) => f.id === target) as Field;
  return (
    <>
      <ConditionEditor
        target="field"
        condition={field.visibleWhen}
        earlier={earlierFields(state.definition, { fieldId: target })}
        onChange={(condition) =>
          setState((s) => builderReducer(s, { type: "setFieldCondition", id: target, condition }))
        }
      />
      <output data-testid="json">{JSON.stringify(field.visibleWhen ?? null)}</output>
    </>
  );
}

describe("ConditionEditor", () => {
  const def = run([
    { type: "addField", fieldType: "single_choice", text: { label: "Colour" } },
    { type: "addField", fieldType: "number", text: { label: "Age" } },
    { type: "addField", fieldType: "yes_no", text: { label: "Pet" } },
    { type: "addField", fieldType: "short_text", text: { label: "Target" } },
    { type: "addField", fieldType: "email", text: { label: "Later" } },
  ]).definition;
  const optionTexts = (select: HTMLElement) =>
    within(select)
      .getAllByRole("option")
      .map((o) => o.textContent);
  const optionValues = (select: HTMLElement) =>
    within(select)
      .getAllByRole("option")
      .map((o) => (o as HTMLOptionElement).value);

  it("offers only earlier fields, operators valid for the type and a fitting value input", () => {
    render(<Harness def={def} target="short_text_1" />);
    fireEvent.click(screen.getByRole("button", { name: "Add condition" }));
    const fieldSelect = screen.getByRole("combobox", { name: "Condition 1: question" });
    expect(optionValues(fieldSelect)).toEqual(["single_choice_1", "number_1", "yes_no_1"]);
    expect(optionValues(fieldSelect)).not.toContain("email_1");
    expect(optionValues(fieldSelect)).not.toContain("short_text_1");

    // The default rule uses the nearest earlier field (yes/no): equality operators and a yes/no select.
    const op = () => screen.getByRole("combobox", { name: "Condition 1: comparison" });
    expect(optionValues(op())).toEqual(["equals", "not_equals", "answered", "not_answered"]);
    const value = () => screen.getByRole("combobox", { name: "Condition 1: value" });
    expect(optionTexts(value())).toEqual(["Yes", "No"]);
    fireEvent.change(value(), { target: { value: "false" } });
    expect(JSON.parse(screen.getByTestId("json").textContent ?? "")).toEqual({
      field: "yes_no_1",
      op: "equals",
      value: false,
    });

    // A number field: ordered operators and a number input.
    fireEvent.change(fieldSelect, { target: { value: "number_1" } });
    expect(optionValues(op())).toEqual([
      "equals",
      "not_equals",
      "gt",
      "gte",
      "lt",
      "lte",
      "answered",
      "not_answered",
    ]);
    fireEvent.change(op(), { target: { value: "gte" } });
    const num = screen.getByRole("spinbutton", { name: "Condition 1: value" });
    fireEvent.change(num, { target: { value: "18" } });
    expect(JSON.parse(screen.getByTestId("json").textContent ?? "")).toEqual({
      field: "number_1",
      op: "gte",
      value: 18,
    });

    // A choice field: a select of its options.
    fireEvent.change(fieldSelect, { target: { value: "single_choice_1" } });
    expect(optionValues(value())).toEqual(["option_1", "option_2"]);
    // answered takes no value.
    fireEvent.change(op(), { target: { value: "answered" } });
    expect(screen.queryByRole("combobox", { name: "Condition 1: value" })).toBeNull();
  });

  it("groups several conditions with any/all", () => {
    render(<Harness def={def} target="short_text_1" />);
    fireEvent.click(screen.getByRole("button", { name: "Add condition" }));
    fireEvent.click(screen.getByRole("button", { name: "Add condition" }));
    const mode = screen.getByRole("combobox", { name: "Show when" });
    fireEvent.change(mode, { target: { value: "any" } });
    const json = JSON.parse(screen.getByTestId("json").textContent ?? "");
    expect(json.any).toHaveLength(2);
    fireEvent.click(screen.getByRole("button", { name: "Remove condition 2" }));
    expect(JSON.parse(screen.getByTestId("json").textContent ?? "")).toEqual({
      field: "yes_no_1",
      op: "equals",
      value: true,
    });
  });

  it("explains that the first question cannot have conditions", () => {
    render(<Harness def={def} target="single_choice_1" />);
    expect(screen.queryByRole("button", { name: "Add condition" })).toBeNull();
    expect(screen.getByText(/need an earlier question/)).toBeTruthy();
  });
});

describe("groupErrors", () => {
  it("places dotted paths on fields and pages", () => {
    const s = run([{ type: "addField", fieldType: "short_text" }, { type: "addPage" }]);
    const g = groupErrors(s.definition, [
      { path: "pages.0.fields.0.maxLength", code: "too_small", message: "x" },
      { path: "draft.pages.1.title", code: "too_big", message: "y" },
      { path: "short_text_1", code: "required", message: "z" },
      { path: "title", code: "too_small", message: "t" },
    ]);
    expect(g.fields.short_text_1).toHaveLength(2);
    expect(g.pages.page_1).toHaveLength(1);
    expect(g.form).toHaveLength(1);
  });
});
