import type { FormDefinition } from "@coleta/forms";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiSession,
  axeScan,
  type CreatedForm,
  closeForm,
  createPublishedForm,
  ensureWebBuilt,
  formatViolations,
  launchBrowser,
  type Stack,
  screenshot,
  signUpOwner,
  startStack,
} from "./support";

const definition: FormDefinition = {
  schemaVersion: 1,
  title: "Household survey",
  description: "About ten questions; your answers stay anonymous.",
  pages: [
    {
      id: "about",
      title: "About you",
      fields: [
        { id: "name", type: "short_text", label: "Your name", required: true, help: "First name is enough" },
        { id: "age", type: "number", label: "Age", min: 0, max: 130, integer: true, required: true },
        { id: "email", type: "email", label: "E-mail" },
        {
          id: "region",
          type: "single_choice",
          label: "Region",
          required: true,
          options: [
            { value: "north", label: "North" },
            { value: "south", label: "South" },
          ],
        },
        { id: "happy", type: "rating", label: "How happy are you here?", max: 5 },
        { id: "agree", type: "consent", label: "Consent", text: "I agree to take part", required: true },
      ],
    },
    {
      id: "home",
      title: "Your home",
      fields: [
        { id: "has_water", type: "yes_no", label: "Running water?" },
        { id: "where", type: "geopoint", label: "Location" },
        { id: "day", type: "date", label: "Visit date" },
        { id: "photo", type: "file", label: "Photo of the house" },
      ],
    },
  ],
};

describe("fill page accessibility and states", () => {
  let stack: Stack;
  let owner: ApiSession;
  let form: CreatedForm;
  let closed: CreatedForm;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    await ensureWebBuilt();
    stack = await startStack();
    owner = await signUpOwner(stack.url);
    form = await createPublishedForm(owner, definition, { slug: "household" });
    closed = await createPublishedForm(owner, { ...definition, title: "Old survey" }, { slug: "old-survey" });
    await closeForm(owner, closed.id);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "en-US" });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("has no serious or critical axe violations, before and after a validation error", async () => {
    const page = await context.newPage();
    await page.goto(form.fillUrl);
    await page.getByRole("heading", { name: "Household survey" }).waitFor();
    await page.getByText("Page 1 of 2").waitFor();
    let violations = await axeScan(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    await screenshot(page, "fill-390x844");

    await page.getByRole("button", { name: "Next" }).click();
    const name = page.getByLabel(/Your name/);
    await page.getByText("This question is required.").first().waitFor();
    expect(await name.getAttribute("aria-invalid")).toBe("true");
    expect(await name.evaluate((el) => el === document.activeElement)).toBe(true);
    violations = await axeScan(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    await screenshot(page, "fill-390x844-errors");

    // Switching language re-renders live, messages included.
    await page.getByLabel("Language").selectOption("pt-BR");
    await page.getByText("Esta pergunta é obrigatória.").first().waitFor();
    await page.getByRole("button", { name: "Próxima" }).waitFor();
    await page.getByLabel("Idioma").selectOption("en");
    await page.close();
  });

  it("says clearly when a form is closed or does not exist", async () => {
    const page = await context.newPage();
    await page.goto(closed.fillUrl);
    await page.getByText("This form is no longer accepting responses.").waitFor();
    const violations = await axeScan(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    await screenshot(page, "fill-closed");

    await page.goto(`${stack.url}/frontend/f/no-such-form`);
    await page.getByRole("heading", { name: "Form not found" }).waitFor();
    await screenshot(page, "fill-not-found");
    await page.close();
  });

  it("embeds without the outer chrome", async () => {
    const page = await context.newPage();
    await page.goto(`${form.fillUrl}?embed=1`);
    await page.getByRole("heading", { name: "Household survey" }).waitFor();
    expect(await page.getByLabel("Language").count()).toBe(0);
    await page.close();
  });
});
