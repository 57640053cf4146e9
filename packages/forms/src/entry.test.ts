import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as api from "./index";

const dir = fileURLToPath(new URL(".", import.meta.url));

describe("the @coleta/forms entry", () => {
  // The fill page has a 60 KB gzip budget: the main entry must never reach zod (or any package).
  it("imports nothing outside src/ except through ./schema", () => {
    const seen = new Set<string>();
    const queue = ["index.ts"];
    while (queue.length > 0) {
      const file = queue.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      const source = readFileSync(`${dir}/${file}`, "utf8");
      for (const m of source.matchAll(/(?:from|import)\s+"([^"]+)"/g)) {
        const spec = m[1] as string;
        expect(spec.startsWith("./"), `${file} imports ${spec}`).toBe(true);
        expect(spec, `${file} imports the zod schema`).not.toBe("./schema");
        queue.push(`${spec.slice(2).replace(/\.ts$/, "")}.ts`);
      }
    }
    expect(seen.size).toBeGreaterThan(5);
    expect(readdirSync(dir)).toContain("schema.ts");
  });

  it("exports the public API", () => {
    for (const name of [
      "validateSubmission",
      "validateField",
      "isEmptyAnswer",
      "evaluateCondition",
      "visibleFields",
      "visiblePages",
      "isFieldVisible",
      "allFields",
      "fieldById",
      "createEmptyDefinition",
      "createField",
      "csvColumns",
      "issueMessage",
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe("function");
    }
    expect(api.FIELD_TYPES).toHaveLength(16);
    expect(api.CONDITION_OPS).toHaveLength(10);
    expect(api.ISSUE_CODES).toHaveLength(26);
  });

  it("has a message for every issue code", () => {
    for (const code of api.ISSUE_CODES) {
      const message = api.issueMessage(code, {
        min: 1,
        max: 2,
        expected: "text",
        name: "a.pdf",
        accept: ".pdf",
      });
      expect(message, code).toMatch(/^[A-Z"].*\.$/);
    }
    expect(api.issueMessage("file_too_large", { max: 5 * 1024 * 1024, name: "x.png" })).toBe(
      '"x.png" is too large: each file must be at most 5 MB.',
    );
    expect(api.issueMessage("below_min", { min: "2024-01-01" })).toBe("Must be on or after 2024-01-01.");
    expect(api.issueMessage("too_few_selected", { min: 1 })).toBe("Select at least 1 option.");
  });

  it("finds fields in form order", () => {
    const definition = api.createEmptyDefinition("T");
    definition.pages[0]?.fields.push(api.createField("email", "a"));
    definition.pages.push({ id: "p2", fields: [api.createField("phone", "b")] });
    expect(api.allFields(definition).map((f) => f.id)).toEqual(["a", "b"]);
    expect(api.fieldById(definition, "b")?.type).toBe("phone");
    expect(api.fieldById(definition, "zz")).toBeUndefined();
    expect([undefined, null, "", []].every(api.isEmptyAnswer)).toBe(true);
    expect([0, false, " ", [""], {}].some(api.isEmptyAnswer)).toBe(false);
  });
});
