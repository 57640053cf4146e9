import type { FormDefinition } from "@coleta/forms";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeScan,
  type CreatedForm,
  closeForm,
  createPublishedForm,
  type FillSuite,
  formatViolations,
  PHONE,
  screenshot,
  startFillSuite,
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

/** The renderer's error colour (--cf-error in src/renderer/renderer.css). */
const ERROR_RED = "rgb(179, 38, 30)";

/** What the respondent sees of an input: the label drawn for choices and the file picker, else itself. */
const border = (target: Locator) =>
  target.evaluate((el) => {
    const style = getComputedStyle(el);
    return { color: style.borderTopColor, width: style.borderTopWidth, style: style.borderTopStyle };
  });

/** Relative luminance contrast of two `rgb(...)` colours (WCAG 2). */
function contrast(a: string, b: string): number {
  const lum = (rgb: string) => {
    const [r, g, bl] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** A real button: an opaque background (or a visible border) and text readable on it (≥ 4.5:1). */
async function expectVisibleButton(button: Locator) {
  const look = await button.evaluate((el) => {
    const style = getComputedStyle(el);
    const page = getComputedStyle(document.querySelector(".fill-body") as Element).backgroundColor;
    return { bg: style.backgroundColor, fg: style.color, border: style.borderTopColor, page };
  });
  const opaque = look.bg !== "rgba(0, 0, 0, 0)" && look.bg !== "transparent";
  expect(opaque, JSON.stringify(look)).toBe(true);
  expect(contrast(look.fg, look.bg), JSON.stringify(look)).toBeGreaterThanOrEqual(4.5);
  // Either filled, or outlined in a colour that stands out from the page.
  expect(Math.max(contrast(look.bg, look.page), contrast(look.border, look.page))).toBeGreaterThanOrEqual(3);
}

/** The screen changed: the page is at the top, and focus is on the heading called `name`. */
async function expectScreenStart(page: Page, name: string) {
  const heading = page.getByRole("heading", { name, level: 1 });
  await heading.waitFor();
  await page.waitForFunction(() => window.scrollY === 0);
  expect(await heading.evaluate((el) => el === document.activeElement)).toBe(true);
}

async function fillFirstPage(page: Page) {
  await page.getByLabel(/Your name/).fill("Ana");
  await page.getByLabel(/^Age/).fill("30");
  await page.getByLabel("North").check();
  await page.getByLabel("I agree to take part").check();
}

describe("fill page accessibility and states", () => {
  let suite: FillSuite;
  let form: CreatedForm;
  let closed: CreatedForm;

  beforeAll(async () => {
    suite = await startFillSuite();
    form = await createPublishedForm(suite.owner, definition, { slug: "household" });
    closed = await createPublishedForm(
      suite.owner,
      { ...definition, title: "Old survey" },
      { slug: "old-survey" },
    );
    await closeForm(suite.owner, closed.id);
  });

  afterAll(() => suite?.close());

  it("has no serious or critical axe violations, before and after a validation error", async () => {
    const page = await suite.context.newPage();
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
    // Every invalid answer is drawn with a red border: text input, the choices' labels, the consent box.
    for (const target of [
      name,
      page.locator('label[for="q-region"]'),
      page.locator('label[for="q-agree"]'),
    ]) {
      expect(await border(target)).toEqual({ color: ERROR_RED, width: "2px", style: "solid" });
    }
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

  it("starts each page and end screen at the top, focused on its heading, with buttons that look like buttons", async () => {
    // A context of its own: the language chosen and the offline switch below stay in this test.
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(form.fillUrl);
    await fillFirstPage(page);
    const next = page.getByRole("button", { name: "Next" });
    await next.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await next.click();
    const home = page.getByRole("heading", { name: "Your home" });
    await home.waitFor();
    await page.waitForFunction(() => window.scrollY === 0);
    expect(await home.evaluate((el) => el === document.activeElement)).toBe(true);

    // The file question speaks the form's language; the native input is hidden but keyboard reachable.
    await page.getByLabel("Language").selectOption("pt-BR");
    const chooser = page.locator('label[for="q-photo"].cf-button');
    expect(await chooser.textContent()).toBe("Escolher arquivo");
    await page.getByText("Nenhum arquivo escolhido").waitFor();
    await expectVisibleButton(chooser);
    const native = page.locator("#q-photo");
    expect((await native.boundingBox())?.width ?? 0).toBeLessThanOrEqual(1);
    // Keyboard: Shift+Tab from the next control lands on it (the date input before it has inner stops).
    await page.getByRole("button", { name: "Voltar" }).focus();
    await page.keyboard.press("Shift+Tab");
    expect(await native.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await chooser.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");
    let violations = await axeScan(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    await screenshot(page, "fill-file-pt-BR");
    await page.getByLabel("Idioma").selectOption("en");

    await page.getByRole("button", { name: "Submit" }).click();
    await expectScreenStart(page, "Thank you!");
    await expectVisibleButton(page.getByRole("button", { name: "Fill in another response" }));
    violations = await axeScan(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    await screenshot(page, "fill-sent");

    // Another response starts at the top of a fresh form.
    await page.getByRole("button", { name: "Fill in another response" }).click();
    const about = page.getByRole("heading", { name: "About you" });
    await about.waitFor();
    await page.waitForFunction(() => window.scrollY === 0);
    expect(await about.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByLabel(/Your name/).inputValue()).toBe("");

    // Offline, the response waits on the device: "Send now" is a filled, readable button.
    await fillFirstPage(page);
    await page.getByRole("button", { name: "Next" }).click();
    await context.setOffline(true);
    try {
      await page.getByRole("button", { name: "Submit" }).click();
      await expectScreenStart(page, "Saved on this device");
      await expectVisibleButton(page.getByRole("button", { name: "Send now" }));
      await expectVisibleButton(page.getByRole("button", { name: "Fill in another response" }));
      violations = await axeScan(page);
      expect(violations, formatViolations(violations)).toEqual([]);
      await screenshot(page, "fill-queued");
    } finally {
      await context.setOffline(false);
    }
    await expectScreenStart(page, "Thank you!");
    await context.close();
  });

  it("says clearly when a form is closed or does not exist", async () => {
    const page = await suite.context.newPage();
    await page.goto(closed.fillUrl);
    await page.getByText("This form is no longer accepting responses.").waitFor();
    const violations = await axeScan(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    await screenshot(page, "fill-closed");

    await page.goto(`${suite.stack.url}/frontend/f/no-such-form`);
    await page.getByRole("heading", { name: "Form not found" }).waitFor();
    await screenshot(page, "fill-not-found");
    await page.close();
  });

  it("embeds without the outer chrome", async () => {
    const page = await suite.context.newPage();
    await page.goto(`${form.fillUrl}?embed=1`);
    await page.getByRole("heading", { name: "Household survey" }).waitFor();
    expect(await page.getByLabel("Language").count()).toBe(0);
    await page.close();
  });
});
