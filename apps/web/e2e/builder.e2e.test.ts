// The form builder in a real browser against the real API: readable ids made from what the owner
// types (frozen once published), dragging an open question, deleting with Undo from the keyboard,
// "30,5" pasted into a Portuguese number rule, and length limits shown while typing.
import { createEmptyDefinition, type Field, type FormDefinition } from "@coleta/forms";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiSession,
  type BrowserStack,
  createForm,
  DESKTOP,
  type Stack,
  screenshot,
  signedInContext,
  signUpOwner,
  startBrowserStack,
} from "./support";

const definitionWith = (...fields: Field[]): FormDefinition => ({
  ...createEmptyDefinition("Builder e2e"),
  pages: [{ id: "p1", fields }],
});
const text = (id: string, label: string): Field => ({ id, type: "short_text", label });

describe("form builder", () => {
  let web: BrowserStack, stack: Stack, browser: Browser;
  let owner: ApiSession;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    web = await startBrowserStack();
    ({ stack, browser } = web);
    owner = await signUpOwner(stack.url);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await web?.close();
  });

  /** A signed-in page on the builder of a new form with this draft. */
  async function openBuilder(
    definition: FormDefinition,
    locale = "en-US",
  ): Promise<{ page: Page; formId: string }> {
    const { id } = await createForm(owner, definition);
    const context = await signedInContext(browser, owner, { ...DESKTOP, locale });
    contexts.push(context);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.url });
    const page = await context.newPage();
    await page.goto(`${stack.url}/frontend/o/${owner.orgId}/forms/${id}`);
    await page.getByTestId("builder").waitFor();
    return { page, formId: id };
  }
  const draftOf = async (formId: string) =>
    (await owner.json<{ draft: FormDefinition }>("GET", `/orgs/${owner.orgId}/forms/${formId}`)).draft;
  const cardIds = (page: Page) =>
    page
      .locator('[data-testid^="field-card-"]')
      .evaluateAll((cards) =>
        cards.map((c) => (c.getAttribute("data-testid") ?? "").replace("field-card-", "")),
      );

  it("makes ids and option values from what the owner types, and freezes them once published", async () => {
    const { page, formId } = await openBuilder(createEmptyDefinition("Census"), "pt-BR");
    const structure = page.locator(".builder-structure");
    await structure.getByLabel("Tipo de pergunta").selectOption("single_choice");
    await structure.getByRole("button", { name: "Adicionar pergunta" }).click();
    const editor = page.locator(".field-editor");
    await editor.getByLabel("Pergunta", { exact: true }).fill("Qual é a sua região?");
    await page.getByTestId("field-card-qual_e_a_sua_regiao").waitFor();
    await editor.getByLabel("Rótulo da opção 1").fill("Nordeste");
    await editor.getByLabel("Rótulo da opção 2").fill("Sudeste");
    expect(await editor.getByLabel("Valor da opção 1").inputValue()).toBe("nordeste");

    // A second question with a condition on the first one; renaming the first keeps it working.
    await structure.getByLabel("Tipo de pergunta").selectOption("short_text");
    await structure.getByRole("button", { name: "Adicionar pergunta" }).click();
    await editor.getByLabel("Pergunta", { exact: true }).fill("Cidade");
    await editor.getByRole("button", { name: "Adicionar condição" }).click();
    await editor.getByLabel("Condição 1: valor").selectOption("sudeste");
    await page.getByTestId("field-card-qual_e_a_sua_regiao").locator(".field-card-title").click();
    await editor.getByLabel("Pergunta", { exact: true }).fill("Região");
    await editor.getByLabel("Rótulo da opção 2").fill("Sul");
    await page.getByRole("button", { name: "Publicar", exact: true }).click();
    await page.getByText("Publicado como versão 1.").first().waitFor();

    const published = await draftOf(formId);
    expect(published.pages[0]?.fields.map((f) => f.id)).toEqual(["regiao", "cidade"]);
    expect(published.pages[0]?.fields[1]?.visibleWhen).toEqual({
      field: "regiao",
      op: "equals",
      value: "sul",
    });

    // Published: the id and option values no longer follow the label, and say why.
    await page.getByTestId("field-editor-regiao").waitFor();
    await editor.getByLabel("Pergunta", { exact: true }).fill("Região onde mora");
    await editor.locator("details.advanced summary").click();
    const id = editor.getByLabel("Identificador", { exact: true });
    expect(await id.inputValue()).toBe("regiao");
    expect(await id.getAttribute("readonly")).not.toBeNull();
    await editor.getByText(/Publicado: respostas e exportações usam este identificador/).waitFor();
    await screenshot(page, "builder-readable-ids");
  });

  it("drags an open question by its handle onto the next one's place", async () => {
    const fields = ["Alpha", "Bravo", "Charlie", "Delta"].map((l) => text(l.toLowerCase(), l));
    const { page } = await openBuilder(definitionWith(...fields));
    // Open the first question: its editor makes the card many times taller than the others.
    await page.getByTestId("field-card-alpha").locator(".field-card-title").click();
    await page.getByTestId("field-editor-alpha").waitFor();
    const openHeight = (await page.getByTestId("field-card-alpha").boundingBox())?.height ?? 0;
    const bravoHeight = (await page.getByTestId("field-card-bravo").boundingBox())?.height ?? 0;
    expect(openHeight).toBeGreaterThan(bravoHeight * 4);

    const handle = page.getByRole("button", { name: "Drag Alpha to reorder" });
    const from = await handle.boundingBox();
    if (!from) throw new Error("no drag handle");
    const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x, start.y + 12, { steps: 4 });
    // Picked up; aim at Bravo where it is now (the open card may have folded).
    await page.waitForTimeout(200);
    const bravo = await page.getByTestId("field-card-bravo").boundingBox();
    if (!bravo) throw new Error("no Bravo card");
    await page.mouse.move(start.x, bravo.y + bravo.height * 0.75, { steps: 12 });
    await page.waitForTimeout(250);
    await page.mouse.up();
    await expect.poll(() => cardIds(page)).toEqual(["bravo", "alpha", "charlie", "delta"]);
    // Still open after the drop.
    await page.getByTestId("field-editor-alpha").waitFor();
  });

  it("deletes a question from the keyboard and Undo brings it back in place, with its condition", async () => {
    const pet: Field = { id: "pet", type: "yes_no", label: "Has a pet?" };
    const name: Field = {
      ...text("pet_name", "Pet name"),
      visibleWhen: { field: "pet", op: "equals", value: true },
    };
    const { page, formId } = await openBuilder(definitionWith(text("intro", "Intro"), pet, name));
    await page.getByRole("button", { name: "Delete Has a pet?" }).focus();
    await page.keyboard.press("Enter");
    expect(await cardIds(page)).toEqual(["intro", "pet_name"]);
    // The condition that used it is gone with it …
    expect(await page.getByTestId("field-card-pet_name").getByText("conditional").count()).toBe(0);
    // … and the focus is on Undo, so Enter right away restores both.
    const undo = page.getByRole("button", { name: "Undo deleting Has a pet?" });
    expect(await undo.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    expect(await cardIds(page)).toEqual(["intro", "pet", "pet_name"]);
    await page.getByTestId("field-card-pet_name").getByText("conditional").waitFor();
    const petTitle = page.getByTestId("field-card-pet").locator(".field-card-title");
    await expect.poll(() => petTitle.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.getByTestId("save-state").getByText("Draft saved · not published yet").waitFor();
    expect((await draftOf(formId)).pages[0]?.fields[2]?.visibleWhen).toEqual(name.visibleWhen);
  });

  it("reads 30,5 pasted into a Portuguese number rule as 30.5", async () => {
    const { page, formId } = await openBuilder(
      definitionWith({ id: "peso", type: "number", label: "Peso" }),
      "pt-BR",
    );
    await page.getByTestId("field-card-peso").locator(".field-card-title").click();
    const min = page.getByLabel("Mínimo", { exact: true });
    await page.evaluate(() => navigator.clipboard.writeText("30,5"));
    await min.focus();
    await page.keyboard.press("ControlOrMeta+V");
    expect(await min.inputValue()).toBe("30,5");
    await page.getByRole("button", { name: "Salvar rascunho" }).click();
    await page
      .getByTestId("save-state")
      .getByText(/Rascunho salvo/)
      .waitFor();
    expect((await draftOf(formId)).pages[0]?.fields[0]).toMatchObject({ min: 30.5 });
  });

  it("shows the length limit while typing; the API names the limit, not the text, and refuses twin ids", async () => {
    const { page, formId } = await openBuilder(definitionWith(text("q", "Question")));
    await page.getByTestId("field-card-q").locator(".field-card-title").click();
    const label = page.locator(".field-editor").getByLabel("Question", { exact: true });
    const long = `${"Very long question ".repeat(55)}end`;
    await label.fill(long);
    await page
      .getByText(`Too long: ${long.length.toLocaleString("en")} characters, at most 1,000.`)
      .waitFor();
    expect(await label.getAttribute("aria-invalid")).toBe("true");
    // The card and the error summary name the question in a few words.
    await page.getByRole("button", { name: "Save draft" }).click();
    const summary = page.getByTestId("builder-errors");
    await summary.waitFor();
    expect((await summary.textContent())?.length ?? 0).toBeLessThan(300);

    const res = await owner.request("PUT", `/orgs/${owner.orgId}/forms/${formId}`, {
      draft: definitionWith(text("q", "x".repeat(10_000))),
    });
    expect(res.status).toBe(422);
    const problem = await res.text();
    expect(problem).not.toContain("x".repeat(100));
    expect(problem).toContain("1000");
    // Ids are the API's rule too: two questions with one id are refused on save.
    const twins = await owner.request("PUT", `/orgs/${owner.orgId}/forms/${formId}`, {
      draft: definitionWith(text("q", "A"), text("q", "B")),
    });
    expect(twins.status).toBe(422);
    expect((await twins.json()).errors).toContainEqual(
      expect.objectContaining({ path: "draft.pages.0.fields.1.id", code: "duplicate_id" }),
    );
  });
});
