import { describe, expect, it } from "vitest";
import { ID_MAX_LENGTH, ID_PATTERN } from "./limits";
import { validateDefinition } from "./schema";
import { fieldIdFromLabel, followsLabel, optionValueFromLabel, slugify, uniqueSlug } from "./slug";
import { form } from "./test-helpers";

const none = new Set<string>();

describe("slugify: strips diacritics, lowercases and joins words with single underscores", () => {
  it.each([
    ["Qual é a sua idade?", "qual_e_a_sua_idade"],
    ["  Município / Região  ", "municipio_regiao"],
    ["Straße, Ærø & Łódź", "strasse_aero_lodz"],
    ["E-mail (trabalho)", "e_mail_trabalho"],
    ["🙂 ???", ""],
  ])("%j → %j", (label, slug) => {
    expect(slugify(label)).toBe(slug);
  });
});

describe("fieldIdFromLabel", () => {
  it("gives a valid id for any label, falling back when the label has no letters", () => {
    const labels = ["Your name", "1. Idade", "2024", "???", "", "Ção", "a".repeat(500), "_x_"];
    for (const label of labels) expect(fieldIdFromLabel(label, none), label).toMatch(ID_PATTERN);
    expect(fieldIdFromLabel("1. Idade", none)).toBe("idade");
    expect(fieldIdFromLabel("2024", none)).toBe("field");
    expect(fieldIdFromLabel("a".repeat(500), none)).toHaveLength(ID_MAX_LENGTH);
  });

  it("is unique within the form by a _2, _3… suffix that still fits the length limit", () => {
    expect(fieldIdFromLabel("Name", new Set(["name"]))).toBe("name_2");
    expect(fieldIdFromLabel("Name", new Set(["name", "name_2"]))).toBe("name_3");
    const long = "b".repeat(ID_MAX_LENGTH);
    const second = fieldIdFromLabel(long, new Set([long]));
    expect(second).toMatch(ID_PATTERN);
    expect(second.endsWith("_2")).toBe(true);
  });

  it("makes definitions that pass validateDefinition, even with the same label twice", () => {
    const taken = new Set<string>();
    const fields = ["Nome", "Nome", "Idade?", "💬"].map((label) => {
      const id = fieldIdFromLabel(label, taken);
      taken.add(id);
      return { id, type: "short_text" as const, label };
    });
    expect(fields.map((f) => f.id)).toEqual(["nome", "nome_2", "idade", "field"]);
    expect(validateDefinition(form(...fields)).ok).toBe(true);
  });
});

describe("optionValueFromLabel", () => {
  it("keeps leading digits (values need not start with a letter) and falls back to option", () => {
    expect(optionValueFromLabel("18–25 anos", none)).toBe("18_25_anos");
    expect(optionValueFromLabel("—", none)).toBe("option");
    expect(optionValueFromLabel("Sim", new Set(["sim"]))).toBe("sim_2");
  });
});

describe("uniqueSlug", () => {
  it("returns the base when it is free", () => {
    expect(uniqueSlug("a", new Set(["b"]))).toBe("a");
  });
});

describe("followsLabel", () => {
  it("is true for what the label gives, with or without a uniqueness suffix", () => {
    expect(followsLabel("your_name", "Your name", "field")).toBe(true);
    expect(followsLabel("your_name_3", "Your name", "field")).toBe(true);
    expect(followsLabel("field_2", "", "field")).toBe(true);
    expect(followsLabel("option_2", "Option 2", "option")).toBe(true);
  });

  it("is false for an id typed by hand or made by the old numbering", () => {
    expect(followsLabel("name", "Your name", "field")).toBe(false);
    expect(followsLabel("short_text_1", "Your name", "field")).toBe(false);
    expect(followsLabel("your_name_1", "Your name", "field")).toBe(false);
    expect(followsLabel("your_name_x", "Your name", "field")).toBe(false);
  });

  it("recognises a long label's shortened id with its suffix", () => {
    const label = "word ".repeat(40);
    const taken = new Set([fieldIdFromLabel(label, none)]);
    const second = fieldIdFromLabel(label, taken);
    expect(second).not.toBe([...taken][0]);
    expect(followsLabel(second, label, "field")).toBe(true);
  });
});
