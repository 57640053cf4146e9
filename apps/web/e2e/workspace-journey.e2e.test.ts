// The owner's whole journey through the workspace, in a real browser against the real API:
// sign up → build a form with every field type, a rule and a condition → publish → an anonymous
// respondent fills it (validation error first) → the owner sees it in the table, the summary and a CSV.
import { readFile } from "node:fs/promises";
import { FIELD_TYPES, fieldIdFromLabel } from "@coleta/forms";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workspaceEn as en } from "../src/i18n/workspace.en";
import {
  type BrowserStack,
  DESKTOP,
  expectNoAxeViolations,
  type Stack,
  screenshot,
  startBrowserStack,
} from "./support";

/** The id a new question of this type gets: made from its default label, the type's name. */
const newId = (type: (typeof FIELD_TYPES)[number]) =>
  fieldIdFromLabel(en[`fieldType.${type}`] as string, new Set());
/** The questions whose label the journey types, and the ids that follow. */
const RENAMED: Partial<Record<(typeof FIELD_TYPES)[number], string>> = {
  short_text: "your_name",
  number: "age",
  yes_no: "has_a_pet",
};

const OWNER = { name: "Olga Owner", email: "olga@example.com", password: "correct horse battery staple" };

describe("workspace journey", () => {
  let web: BrowserStack, stack: Stack, browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  let slug = "";
  let fillUrl = "";

  beforeAll(async () => {
    web = await startBrowserStack();
    ({ stack, browser } = web);
    owner = await browser.newContext({ ...DESKTOP, acceptDownloads: true });
    await owner.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.url });
    page = await owner.newPage();
  });

  afterAll(async () => {
    await web?.close();
  });

  const structure = (): Locator => page.locator(".builder-structure");
  const editor = (): Locator => page.locator(".field-editor");

  it("greets the first visitor with the owner sign-up and lands on the empty forms list", async () => {
    await page.goto(`${stack.url}/frontend/`);
    await page.getByRole("heading", { name: en["auth.title.owner"] }).waitFor();
    await page.getByLabel("Name").fill(OWNER.name);
    await page.getByLabel("E-mail").fill(OWNER.email);
    await page.getByLabel("Password").fill(OWNER.password);
    await page.getByRole("button", { name: en["auth.submit.owner"] }).click();
    await page.getByRole("heading", { name: en["forms.title"] }).waitFor();
    await page.getByText(en["forms.empty"] as string).waitFor();
    // Landmarks and the language switch are there.
    expect(await page.getByRole("main").count()).toBe(1);
    expect(await page.getByRole("navigation", { name: "Main" }).count()).toBe(1);
  });

  it("builds a form with every field type, a rule and a condition, then publishes", async () => {
    await page.getByRole("button", { name: "New form" }).click();
    const dialog = page.getByRole("dialog", { name: "New form" });
    await dialog.getByLabel("Form title").fill("Pet census");
    await dialog.getByRole("button", { name: "Create form" }).click();
    await page.getByTestId("builder").waitFor();

    for (const type of FIELD_TYPES) {
      await structure().getByLabel("Question type").selectOption(type);
      await structure().getByRole("button", { name: "Add question" }).click();
      // A new question's id is made from its label (the type's name until the owner types one).
      await page.getByTestId(`field-card-${newId(type)}`).waitFor();
      if (type === "short_text") {
        await editor().getByLabel("Question", { exact: true }).fill("Your name");
        await editor().getByLabel("Required").check();
        await editor().getByLabel("Maximum length").fill("40");
      }
      if (type === "number") {
        await editor().getByLabel("Question", { exact: true }).fill("Age");
        await editor().getByLabel("Maximum", { exact: true }).fill("120");
        await editor().getByLabel("Whole numbers only").check();
      }
      if (type === "yes_no") await editor().getByLabel("Question", { exact: true }).fill("Has a pet?");
    }
    expect(await page.locator('[data-testid^="field-card-"]').count()).toBe(FIELD_TYPES.length);

    // A follow-up question shown only when "Has a pet?" is yes.
    await structure().getByLabel("Question type").selectOption("short_text");
    await structure().getByRole("button", { name: "Add question" }).click();
    await page.getByTestId("field-card-short_text").waitFor();
    await editor().getByLabel("Question", { exact: true }).fill("Pet name");
    await editor().getByRole("button", { name: "Add condition" }).click();
    const fieldSelect = editor().getByLabel("Condition 1: question");
    // Only earlier questions are offered (never the question itself).
    const offered = await fieldSelect
      .locator("option")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(FIELD_TYPES.map((t) => RENAMED[t] ?? newId(t)));
    await fieldSelect.selectOption("has_a_pet");
    const ops = await editor()
      .getByLabel("Condition 1: comparison")
      .locator("option")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(ops).toEqual(["equals", "not_equals", "answered", "not_answered"]);
    await editor().getByLabel("Condition 1: value").selectOption("true");

    // Keyboard-accessible reordering: move the follow-up up and back down.
    await page.getByRole("button", { name: "Move Pet name up" }).click();
    expect(
      await page
        .locator('[data-testid^="field-card-"]')
        .nth(FIELD_TYPES.length - 1)
        .getAttribute("data-testid"),
    ).toBe("field-card-pet_name");
    await page.getByRole("button", { name: "Move Pet name down" }).click();
    await page.getByTestId("field-card-pet_name").getByText("conditional").waitFor();

    // The live preview (the respondent renderer) follows the edits.
    await page.getByTestId("preview").getByText("Your name").first().waitFor();
    await page.getByTestId("preview").getByText("Has a pet?").first().waitFor();

    await page.getByRole("button", { name: "Save draft" }).click();
    await page.getByTestId("save-state").getByText("Draft saved · not published yet").waitFor();

    // The builder passes axe with an open field editor and the preview.
    await page.getByTestId("field-card-pet_name").getByRole("button", { expanded: true }).waitFor();
    await expectNoAxeViolations(page);
    await screenshot(page, "workspace-builder");

    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText("Published as version 1.").first().waitFor();
    await page
      .getByRole("heading", { name: /Pet census/ })
      .getByText("Published")
      .waitFor();
  });

  it("shares the public link, QR code and embed snippet", async () => {
    await page.getByRole("link", { name: "Share" }).click();
    const link = page.getByLabel("Public link");
    await link.waitFor();
    fillUrl = await link.inputValue();
    expect(fillUrl).toMatch(new RegExp(`^${stack.url}/frontend/f/[a-z0-9-]+$`));
    slug = fillUrl.split("/").pop() as string;
    expect(await page.getByLabel("Embed on a website").inputValue()).toContain(`${fillUrl}?embed=1`);
    await page.getByTestId("qr").waitFor();
    expect(await page.getByTestId("qr").getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    await page.getByRole("button", { name: "Copy link" }).click();
    await page.getByTestId("copy-status").getByText("Copied").waitFor();
    await screenshot(page, "workspace-share");
  });

  it("an anonymous respondent fills the form, fixing a validation error first", async () => {
    const respondent = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "en-US" });
    const fill = await respondent.newPage();
    await fill.goto(fillUrl);
    await fill.getByRole("heading", { name: "Pet census" }).waitFor();
    await fill.getByLabel(/Your name/).fill("Ana Respondent");
    await fill.getByLabel(/^Age/).fill("200");
    // The condition hides "Pet name" until "Has a pet?" is yes.
    expect(await fill.getByLabel(/Pet name/).count()).toBe(0);
    await fill
      .getByRole("group", { name: /Has a pet\?/ })
      .getByLabel("Yes")
      .check();
    await fill.getByLabel(/Pet name/).fill("Rex");
    await fill.getByRole("button", { name: "Submit" }).click();
    await fill.getByText("Enter 120 or less.").waitFor();
    await fill.getByLabel(/^Age/).fill("34");
    await fill.getByRole("button", { name: "Submit" }).click();
    await fill.getByRole("heading", { name: "Thank you!" }).waitFor({ timeout: 30_000 });
    await respondent.close();
  });

  it("the owner sees the submission in the table, the summary, and a CSV export", async () => {
    await page.getByRole("link", { name: "Submissions" }).click();
    const table = page.getByTestId("submissions-table");
    await table.waitFor();
    await table.getByText("Ana Respondent").waitFor();
    await table.getByText("Rex").waitFor();
    await screenshot(page, "workspace-submissions");

    // Column picker: hiding a column is remembered for this form.
    await page.locator(".column-picker summary").click();
    await page.locator(".column-picker").getByLabel("Pet name").uncheck();
    expect(await table.getByText("Rex").count()).toBe(0);
    await page.reload();
    await page.getByTestId("submissions-table").getByText("Ana Respondent").waitFor();
    expect(await page.getByTestId("submissions-table").getByText("Rex").count()).toBe(0);

    // Detail drawer with every answer.
    await page.getByRole("button", { name: /View submission from/ }).click();
    const drawer = page.getByRole("dialog");
    await drawer.getByText("Rex").waitFor();
    await page.keyboard.press("Escape");
    expect(await page.getByRole("dialog").count()).toBe(0);

    // Export CSV with progress, downloaded as a file that contains the submission.
    await page.getByLabel("Format").selectOption("csv");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export", exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${slug}-submissions.csv`);
    const csv = await readFile((await download.path()) as string, "utf8");
    expect(csv).toContain("Ana Respondent");
    expect(csv).toContain("Rex");
    expect(csv.split("\n")[0]).toContain("your_name");
    await page.getByText("Export ready: the file was downloaded.").waitFor();

    await page.getByRole("link", { name: "Summary" }).click();
    await page.getByTestId("summary").waitFor();
    await page.getByText("Submissions: 1").waitFor();
    await page.getByTestId("summary-has_a_pet").getByRole("rowheader", { name: "Yes" }).waitFor();
    await screenshot(page, "workspace-summary");

    // Back on the list: one submission, published.
    await page.getByRole("link", { name: "Forms", exact: true }).first().click();
    const item = page.getByTestId("form-item").filter({ hasText: "Pet census" });
    await item.getByText("Published").waitFor();
    await screenshot(page, "workspace-forms-list");
    await item.getByText("Submissions: 1").waitFor({ timeout: 5000 });
  });

  it("switches the whole workspace to Portuguese", async () => {
    await page.getByLabel("Language").selectOption("pt-BR");
    await page.getByRole("heading", { name: "Formulários" }).waitFor();
    await page.getByRole("button", { name: "Novo formulário" }).waitFor();
    await page.getByLabel("Idioma").selectOption("en");
    await page.getByRole("heading", { name: "Forms" }).waitFor();
  });
});
