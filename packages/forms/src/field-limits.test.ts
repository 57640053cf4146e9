import { describe, expect, it } from "vitest";
import { createField } from "./defaults";
import { maxFiles, ratingMax, textMaxLength } from "./field-limits";
import { validateField } from "./validate";

describe("field limits", () => {
  it("the default text length is the one the validator enforces", () => {
    for (const type of ["short_text", "long_text"] as const) {
      const field = createField(type, "q");
      const max = textMaxLength(field);
      expect(validateField(field, "a".repeat(max))).toBeNull();
      expect(validateField(field, "a".repeat(max + 1))?.code).toBe("too_long");
    }
    expect(textMaxLength({ type: "short_text", maxLength: 20 })).toBe(20);
  });

  it("the default rating maximum is the one the validator enforces", () => {
    const field = createField("rating", "r");
    delete (field as { max?: number }).max;
    expect(validateField(field, ratingMax(field))).toBeNull();
    expect(validateField(field, ratingMax(field) + 1)).not.toBeNull();
    expect(ratingMax({ max: 7 })).toBe(7);
  });

  it("a file field takes one file unless it says more", () => {
    expect(maxFiles({})).toBe(1);
    expect(maxFiles({ maxFiles: 3 })).toBe(3);
  });
});
