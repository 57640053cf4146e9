// The field editor as the builder shows it: a page of question cards over the real reducer.
import {
  createEmptyDefinition,
  type Field,
  type FormDefinition,
  SETTING_BOUNDS,
  TEXT_MAX_LENGTHS,
} from "@coleta/forms";
import { DndContext } from "@dnd-kit/core";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useReducer } from "react";
import { afterEach, describe, expect, it } from "vitest";
import type { Locale } from "../../i18n/core";
import { I18nProvider } from "../i18n";
import { groupErrors } from "./errors";
import { type BuilderAction, builderReducer, initialState } from "./model";
import { PageSection } from "./PageSection";
import { UndoBar } from "./UndoBar";

afterEach(cleanup);

function Harness({ def, published }: { def: FormDefinition; published: FormDefinition | null }) {
  const [state, dispatch] = useReducer(builderReducer, null, () => initialState(def, published));
  const page = state.definition.pages[0];
  if (!page) return null;
  return (
    <DndContext>
      <PageSection
        page={page}
        pageIndex={0}
        state={state}
        errors={groupErrors(state.definition, [])}
        dispatch={dispatch}
        onDelete={() => {}}
      />
      <UndoBar removed={state.removed} dispatch={dispatch} onUndone={() => {}} />
      <output data-testid="json">{JSON.stringify(state.definition.pages[0]?.fields)}</output>
    </DndContext>
  );
}

/** A form with these questions, the last one open in its editor. */
function renderBuilder(
  actions: BuilderAction[],
  { locale = "en", published = false }: { locale?: Locale; published?: boolean } = {},
) {
  const state = actions.reduce(builderReducer, initialState(createEmptyDefinition("Test")));
  const def = state.definition;
  render(
    <I18nProvider initial={locale}>
      <Harness def={def} published={published ? def : null} />
    </I18nProvider>,
  );
  const last = def.pages[0]?.fields.at(-1) as Field;
  fireEvent.click(screen.getByTestId(`field-card-${last.id}`).querySelector(".field-card-title") as Element);
}
const fields = (): Field[] => JSON.parse(screen.getByTestId("json").textContent ?? "[]");
const add = (fieldType: Field["type"], label: string): BuilderAction => ({
  type: "addField",
  fieldType,
  text: { label },
});

describe("numbers in the builder", () => {
  it("reads 30,5 in Portuguese as 30.5 in every number rule, and says what is wrong", () => {
    renderBuilder([add("number", "Peso")], { locale: "pt-BR" });
    fireEvent.change(screen.getByLabelText("Mínimo"), { target: { value: "30,5" } });
    fireEvent.change(screen.getByLabelText("Máximo"), { target: { value: "1.250,75" } });
    expect(fields()[0]).toMatchObject({ min: 30.5, max: 1250.75 });
    fireEvent.change(screen.getByLabelText("Máximo"), { target: { value: "trinta" } });
    expect(screen.getByLabelText("Máximo").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Digite um número, como 30,5.")).toBeTruthy();
    // Text that is no number is not passed on: the last number stays.
    expect(fields()[0]).toMatchObject({ max: 1250.75 });
  });

  it("asks for a whole number where the rule is a count", () => {
    renderBuilder([add("short_text", "Nome")], { locale: "pt-BR" });
    fireEvent.change(screen.getByLabelText("Tamanho máximo"), { target: { value: "2,5" } });
    expect(screen.getByText("Digite um número inteiro.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Tamanho máximo"), { target: { value: "40" } });
    expect(screen.queryByText("Digite um número inteiro.")).toBeNull();
    expect(fields()[0]).toMatchObject({ maxLength: 40 });
  });
});

describe("bounded settings", () => {
  it("offers the rating's highest value and a file's count within the bounds of @coleta/forms", () => {
    const { min, max } = SETTING_BOUNDS.ratingMax;
    renderBuilder([add("rating", "Stars")]);
    const highest = screen.getByLabelText(`Highest rating (${min}–${max})`);
    fireEvent.change(highest, { target: { value: String(max + 1) } });
    expect(screen.getByText(`Enter a number from ${min} to ${max}.`)).toBeTruthy();
    fireEvent.change(highest, { target: { value: String(max) } });
    expect(fields()[0]).toMatchObject({ type: "rating", max });
    cleanup();

    renderBuilder([add("file", "Photos")], { locale: "pt-BR" });
    const files = SETTING_BOUNDS.maxFiles;
    fireEvent.change(screen.getByLabelText("Máximo de arquivos"), {
      target: { value: String(files.max + 1) },
    });
    expect(screen.getByText(`Digite um número de ${files.min} a ${files.max}.`)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Máximo de arquivos"), { target: { value: "3" } });
    expect(fields()[0]).toMatchObject({ type: "file", maxFiles: 3 });
  });
});

describe("text lengths", () => {
  it("counts near the limit of @coleta/forms and marks the label past it while typing", () => {
    renderBuilder([add("short_text", "Name")]);
    const label = screen.getByLabelText("Question");
    const max = TEXT_MAX_LENGTHS.label;
    fireEvent.change(label, { target: { value: "a".repeat(max * 0.5) } });
    expect(screen.queryByText(/characters/)).toBeNull();
    fireEvent.change(label, { target: { value: "a".repeat(max - 5) } });
    expect(screen.getByText("995 of 1,000 characters")).toBeTruthy();
    expect(label.getAttribute("aria-invalid")).toBeNull();
    fireEvent.change(label, { target: { value: "a".repeat(max + 234) } });
    expect(screen.getByText("Too long: 1,234 characters, at most 1,000.")).toBeTruthy();
    expect(label.getAttribute("aria-invalid")).toBe("true");
    // The card names the question in a few words, never the whole label.
    expect(
      screen.getByRole("button", { name: /^Delete a+…$/ }).getAttribute("aria-label")?.length,
    ).toBeLessThan(80);
  });
});

describe("duplicate labels", () => {
  it("warns without blocking when another question has the same text", () => {
    renderBuilder([add("short_text", "Nome"), add("short_text", "Apelido")]);
    expect(screen.queryByText(/same text/)).toBeNull();
    fireEvent.change(screen.getByLabelText("Question"), { target: { value: " nome " } });
    expect(screen.getByText(/Another question has the same text/)).toBeTruthy();
    expect(fields().map((f) => f.label)).toEqual(["Nome", " nome "]);
  });
});

describe("readable ids", () => {
  it("the id follows the label while typing, and the label input keeps the focus", () => {
    renderBuilder([add("short_text", "Short text")]);
    const label = screen.getByLabelText("Question");
    label.focus();
    fireEvent.change(label, { target: { value: "Qual é o seu nome?" } });
    expect(fields()[0]?.id).toBe("qual_e_o_seu_nome");
    expect(screen.getByTestId("field-editor-qual_e_o_seu_nome")).toBeTruthy();
    expect(document.activeElement).toBe(label);
  });

  it("checks a hand-typed id live with the schema's rule and uniqueness", () => {
    renderBuilder([add("short_text", "Name"), add("number", "Age")]);
    const id = screen.getByLabelText("Field id");
    fireEvent.change(id, { target: { value: "Idade" } });
    expect(screen.getByText(/Use a lowercase letter first/)).toBeTruthy();
    expect(id.getAttribute("aria-invalid")).toBe("true");
    fireEvent.change(id, { target: { value: "name" } });
    expect(screen.getByText("Another question already uses this id.")).toBeTruthy();
    expect(fields().map((f) => f.id)).toEqual(["name", "age"]);
    fireEvent.change(id, { target: { value: "idade" } });
    expect(fields().map((f) => f.id)).toEqual(["name", "idade"]);
    // Typed by hand, it no longer follows the label.
    fireEvent.change(screen.getByLabelText("Question"), { target: { value: "Age in years" } });
    expect(fields().map((f) => f.id)).toEqual(["name", "idade"]);
  });

  it("shows a published id and option values read-only, with the reason", () => {
    renderBuilder([add("dropdown", "Fruit")], { published: true });
    const id = screen.getByLabelText("Field id") as HTMLInputElement;
    expect(id.readOnly).toBe(true);
    expect(screen.getByText(/Published: answers and exports use this id/)).toBeTruthy();
    expect((screen.getByLabelText("Option 1 value") as HTMLInputElement).readOnly).toBe(true);
    expect(screen.getByText(/Values of published options/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Option 1 label"), { target: { value: "Apple" } });
    const [fruit] = fields();
    expect(fruit?.id).toBe("fruit");
    expect(fruit && "options" in fruit ? fruit.options[0] : null).toEqual({
      value: "option_1",
      label: "Apple",
    });
  });
});

describe("deleting a question", () => {
  it("offers Undo with the focus on it, and Undo puts the question back at its place", () => {
    renderBuilder([add("short_text", "First"), add("number", "Second"), add("email", "Third")]);
    fireEvent.click(screen.getByRole("button", { name: "Delete Second" }));
    expect(fields().map((f) => f.id)).toEqual(["first", "third"]);
    const undo = screen.getByRole("button", { name: "Undo deleting Second" });
    expect(document.activeElement).toBe(undo);
    expect(screen.getByTestId("undo-bar").textContent).toContain("Deleted “Second”.");
    fireEvent.click(undo);
    expect(fields().map((f) => f.id)).toEqual(["first", "second", "third"]);
    expect(screen.queryByTestId("undo-bar")).toBeNull();
  });
});
