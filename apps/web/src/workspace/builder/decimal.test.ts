import { describe, expect, it } from "vitest";
import { formatDecimal, parseDecimal } from "./decimal";

describe("parseDecimal", () => {
  it("reads the decimal comma in Portuguese: 30,5 is 30.5, not 305", () => {
    expect(parseDecimal("30,5", "pt-BR")).toBe(30.5);
    expect(parseDecimal("-0,25", "pt-BR")).toBe(-0.25);
    expect(parseDecimal("1.234,5", "pt-BR")).toBe(1234.5);
    expect(parseDecimal("1.234", "pt-BR")).toBe(1234);
    expect(parseDecimal("1 234,5", "pt-BR")).toBe(1234.5);
  });

  it("reads English numbers, and a lone other mark that cannot be grouping as a decimal mark", () => {
    expect(parseDecimal("30.5", "en")).toBe(30.5);
    expect(parseDecimal("1,234.5", "en")).toBe(1234.5);
    expect(parseDecimal("1,234", "en")).toBe(1234);
    expect(parseDecimal("30,5", "en")).toBe(30.5);
    expect(parseDecimal("30.5", "pt-BR")).toBe(30.5);
    expect(parseDecimal("\u221212", "en")).toBe(-12);
  });

  it("tells empty from not a number", () => {
    expect(parseDecimal("  ", "en")).toBeUndefined();
    for (const bad of ["abc", "1,2,3", "1.2.3,4", "12,34.5", "--1", "1e5", ","]) {
      expect(parseDecimal(bad, "pt-BR"), bad).toBeNull();
    }
  });
});

describe("formatDecimal", () => {
  it("writes the locale's decimal mark without grouping, so it parses back", () => {
    expect(formatDecimal(30.5, "pt-BR")).toBe("30,5");
    expect(formatDecimal(1234.5, "en")).toBe("1234.5");
    expect(formatDecimal(undefined, "en")).toBe("");
    for (const value of [0.1, 1234567.891, -3]) {
      for (const locale of ["en", "pt-BR"] as const) {
        expect(parseDecimal(formatDecimal(value, locale), locale)).toBe(value);
      }
    }
  });
});
