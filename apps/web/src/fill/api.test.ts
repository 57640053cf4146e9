import { afterEach, describe, expect, it } from "vitest";
import { twoPageForm } from "../renderer/test-fixtures";
import { EMBEDDED_FORM_ID, readEmbeddedForm } from "./api";

const form = { slug: "survey", title: "Survey", version: 2, definition: twoPageForm };

function embed(text: string) {
  const script = document.createElement("script");
  script.type = "application/json";
  script.id = EMBEDDED_FORM_ID;
  script.textContent = text;
  document.body.append(script);
}

afterEach(() => document.getElementById(EMBEDDED_FORM_ID)?.remove());

describe("the form embedded in the page", () => {
  it("is the server's answer for this slug", () => {
    embed(JSON.stringify(form));
    expect(readEmbeddedForm("survey")).toEqual({ kind: "ok", form });
  });

  it("is ignored when absent, broken, or for another form (an offline shell kept for another slug)", () => {
    expect(readEmbeddedForm("survey")).toBeNull();
    embed(JSON.stringify({ ...form, slug: "other" }));
    expect(readEmbeddedForm("survey")).toBeNull();
    document.getElementById(EMBEDDED_FORM_ID)?.remove();
    embed("{not json");
    expect(readEmbeddedForm("survey")).toBeNull();
  });
});
