import { describe, expect, it } from "vitest";
import { createEmptyDefinition, createField } from "./defaults";
import { FIELD_TYPES } from "./types";
import { validateField } from "./validate";

describe("createEmptyDefinition", () => {
  it("makes one empty page with the title", () => {
    expect(createEmptyDefinition("Census")).toEqual({
      schemaVersion: 1,
      title: "Census",
      pages: [{ id: "p1", fields: [] }],
    });
  });
});

describe("createField", () => {
  it("makes a field of each of the 16 types", () => {
    expect(FIELD_TYPES).toHaveLength(16);
    expect(new Set(FIELD_TYPES).size).toBe(16);
    for (const type of FIELD_TYPES) {
      const field = createField(type, "q1");
      expect(field).toMatchObject({ id: "q1", type, required: false });
      expect(field.label.length).toBeGreaterThan(0);
      expect(validateField(field, undefined)).toBeNull();
    }
  });

  it("gives choice fields two options and rating a max of 5", () => {
    for (const type of ["single_choice", "multiple_choice", "dropdown"] as const) {
      expect(createField(type, "c").options).toHaveLength(2);
    }
    expect(createField("rating", "r").max).toBe(5);
  });

  it("takes the label, option labels and consent statement in the caller's language", () => {
    const text = { label: "Cor", option: (n: number) => `Opção ${n}`, consent: "Concordo." };
    expect(createField("dropdown", "c", text)).toMatchObject({
      label: "Cor",
      options: [
        { value: "opcao_1", label: "Opção 1" },
        { value: "opcao_2", label: "Opção 2" },
      ],
    });
    expect(createField("consent", "ok", text).text).toBe("Concordo.");
    expect(createField("consent", "ok", { consent: "" })).not.toHaveProperty("text");
    expect(createField("short_text", "q", { label: "" }).label).toBe("");
  });

  it("makes option values from the option labels, unique within the field", () => {
    expect(createField("single_choice", "c").options.map((o) => o.value)).toEqual(["option_1", "option_2"]);
    const same = { option: () => "Sim" };
    expect(createField("single_choice", "c", same).options.map((o) => o.value)).toEqual(["sim", "sim_2"]);
  });

  it("returns fresh objects", () => {
    const a = createField("dropdown", "a");
    const b = createField("dropdown", "b");
    expect(a.options).not.toBe(b.options);
  });
});
