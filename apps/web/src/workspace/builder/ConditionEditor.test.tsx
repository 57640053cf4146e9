import { conditionOpsFor, createEmptyDefinition, type Field, type FormDefinition } from "@coleta/forms";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { I18nProvider } from "../i18n";
import { ConditionEditor } from "./ConditionEditor";
import { builderReducer, earlierFields, initialState } from "./model";

afterEach(cleanup);

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
  const def = (["single_choice", "number", "yes_no", "short_text", "email"] as const).reduce(
    (s, fieldType, i) =>
      builderReducer(s, {
        type: "addField",
        fieldType,
        text: { label: ["Colour", "Age", "Pet", "Target", "Later"][i] },
      }),
    initialState(createEmptyDefinition("Test")),
  ).definition;
  const optionTexts = (select: HTMLElement) =>
    within(select)
      .getAllByRole("option")
      .map((o) => o.textContent);
  const optionValues = (select: HTMLElement) =>
    within(select)
      .getAllByRole("option")
      .map((o) => (o as HTMLOptionElement).value);

  it("offers only earlier fields, operators valid for the type and a fitting value input", () => {
    render(<Harness def={def} target="target" />);
    fireEvent.click(screen.getByRole("button", { name: "Add condition" }));
    const fieldSelect = screen.getByRole("combobox", { name: "Condition 1: question" });
    expect(optionValues(fieldSelect)).toEqual(["colour", "age", "pet"]);
    expect(optionValues(fieldSelect)).not.toContain("later");
    expect(optionValues(fieldSelect)).not.toContain("target");

    // The default rule uses the nearest earlier field (yes/no): equality operators and a yes/no select.
    const op = () => screen.getByRole("combobox", { name: "Condition 1: comparison" });
    expect(optionValues(op())).toEqual(["equals", "not_equals", "answered", "not_answered"]);
    const value = () => screen.getByRole("combobox", { name: "Condition 1: value" });
    expect(optionTexts(value())).toEqual(["Yes", "No"]);
    fireEvent.change(value(), { target: { value: "false" } });
    expect(JSON.parse(screen.getByTestId("json").textContent ?? "")).toEqual({
      field: "pet",
      op: "equals",
      value: false,
    });

    // A number field: ordered operators and a number input.
    fireEvent.change(fieldSelect, { target: { value: "age" } });
    expect(optionValues(op())).toEqual(conditionOpsFor("number"));
    fireEvent.change(op(), { target: { value: "gte" } });
    const num = screen.getByRole("textbox", { name: "Condition 1: value" });
    fireEvent.change(num, { target: { value: "18" } });
    expect(JSON.parse(screen.getByTestId("json").textContent ?? "")).toEqual({
      field: "age",
      op: "gte",
      value: 18,
    });

    // A choice field: a select of its options.
    fireEvent.change(fieldSelect, { target: { value: "colour" } });
    expect(optionValues(value())).toEqual(["option_1", "option_2"]);
    // answered takes no value.
    fireEvent.change(op(), { target: { value: "answered" } });
    expect(screen.queryByRole("combobox", { name: "Condition 1: value" })).toBeNull();
  });

  it("groups several conditions with any/all", () => {
    render(<Harness def={def} target="target" />);
    fireEvent.click(screen.getByRole("button", { name: "Add condition" }));
    fireEvent.click(screen.getByRole("button", { name: "Add condition" }));
    const mode = screen.getByRole("combobox", { name: "Show when" });
    fireEvent.change(mode, { target: { value: "any" } });
    const json = JSON.parse(screen.getByTestId("json").textContent ?? "");
    expect(json.any).toHaveLength(2);
    fireEvent.click(screen.getByRole("button", { name: "Remove condition 2" }));
    expect(JSON.parse(screen.getByTestId("json").textContent ?? "")).toEqual({
      field: "pet",
      op: "equals",
      value: true,
    });
  });

  it("reads a number value in the owner's language and refuses an empty one", () => {
    render(
      <I18nProvider initial="pt-BR">
        <Harness def={def} target="target" />
      </I18nProvider>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Adicionar condição" }));
    fireEvent.change(screen.getByRole("combobox", { name: "Condição 1: pergunta" }), {
      target: { value: "age" },
    });
    const value = screen.getByRole("textbox", { name: "Condição 1: valor" });
    fireEvent.change(value, { target: { value: "17,5" } });
    expect(JSON.parse(screen.getByTestId("json").textContent ?? "")).toMatchObject({
      field: "age",
      value: 17.5,
    });
    fireEvent.change(value, { target: { value: "" } });
    expect(value.getAttribute("aria-invalid")).toBe("true");
    expect(JSON.parse(screen.getByTestId("json").textContent ?? "")).toMatchObject({ value: 17.5 });
  });

  it("explains that the first question cannot have conditions", () => {
    render(<Harness def={def} target="colour" />);
    expect(screen.queryByRole("button", { name: "Add condition" })).toBeNull();
    expect(screen.getByText(/need an earlier question/)).toBeTruthy();
  });
});
