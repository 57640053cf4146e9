// The submissions screen on a phone (390 × 844), in a real browser against the real API: no screen
// of the workspace is wider than the phone, a 5,000-character answer stays a short table row (the
// whole text is in the detail, line breaks kept), and the filters (any of several options, text
// contains, From/To) live in the URL so reload, back and a shared link keep them.
import type { FormDefinition } from "@coleta/forms";
import { choice, titledForm } from "@coleta/forms/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workspaceEn as en } from "../src/i18n/workspace.en";
import {
  type ApiSession,
  addSessionCookies,
  axeScan,
  type CreatedForm,
  createPublishedForm,
  ensureWebBuilt,
  formatViolations,
  launchBrowser,
  postPublicSubmission,
  type Stack,
  screenshot,
  signUpOwner,
  startStack,
} from "./support";

const PHONE = { width: 390, height: 844 };

const definition: FormDefinition = titledForm(
  "Neighbourhood survey with a rather long title for a phone",
  { id: "name", type: "short_text", label: "Name" },
  { id: "story", type: "long_text", label: "Tell us everything about the neighbourhood" },
  choice("single_choice", "color", "Favourite colour", { red: "Red", blue: "Blue", green: "Green" }),
  choice("multiple_choice", "pets", "Pets", { cat: "Cat", dog: "Dog", fish: "Fish" }),
  { id: "age", type: "number", label: "Age" },
  { id: "where", type: "geopoint", label: "Where" },
);

// 5,000 characters: two short lines, then words, then one unbroken 300-character token.
const FIRST_LINES = "First line of the story\nSecond line of the story";
const LONG_WORD = "x".repeat(300);
const filler = " lorem ipsum dolor sit amet".repeat(200);
const STORY = `${`${FIRST_LINES}\n${filler}`.slice(0, 5_000 - LONG_WORD.length - 1)} ${LONG_WORD}`;

const PEOPLE = [
  { name: "Ana Souza", color: "red", pets: ["cat"], story: STORY, age: 34 },
  { name: "Bruno", color: "blue", pets: ["dog"], age: 51 },
  { name: "Carla", color: "green", pets: ["fish", "cat"], age: 27 },
  { name: "MARIANA", color: "blue", pets: ["fish"], age: 45 },
];

describe("submissions on a phone", () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let session: ApiSession;
  let form: CreatedForm;

  beforeAll(async () => {
    await ensureWebBuilt();
    stack = await startStack();
    session = await signUpOwner(stack.url, { name: "Maria Aparecida dos Santos Oliveira" });
    form = await createPublishedForm(session, definition);
    for (const [i, person] of PEOPLE.entries()) {
      const res = await postPublicSubmission(stack.url, form.slug, {
        id: crypto.randomUUID(),
        answers: { ...person, where: { lat: -23.5 + i, lon: -46.6 + i } },
      });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: "en-US" });
    await addSessionCookies(context, session);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const formUrl = (tab = "") => `${stack.url}/frontend/o/${session.orgId}/forms/${form.id}${tab}`;
  const table = () => page.getByTestId("submissions-table");
  /** The names of the people in the table, in the table's order. */
  const names = async () => {
    await table().waitFor();
    const rows = await table().locator("tbody tr").allTextContents();
    return rows.map((row) => PEOPLE.find((p) => row.includes(p.name))?.name);
  };
  /** The list as the API would filter it, newest first (the table's order). */
  const expected = (keep: (person: (typeof PEOPLE)[number]) => boolean) =>
    PEOPLE.filter(keep)
      .map((p) => p.name)
      .reverse();
  const filterForm = () => page.getByRole("form", { name: en["submissions.filters"] });
  const condition = (question: string) =>
    filterForm()
      .getByTestId("filter-condition")
      .filter({
        has: page.locator("select", { has: page.locator("option:checked", { hasText: question }) }),
      });
  const choose = async (question: string) => {
    const blank = filterForm()
      .getByTestId("filter-condition")
      .filter({ has: page.locator("select", { has: page.locator('option:checked[value=""]') }) });
    if ((await blank.count()) === 0)
      await page.getByRole("button", { name: en["submissions.addFilter"] }).click();
    await blank
      .first()
      .getByLabel(en["submissions.filterField"] as string)
      .selectOption({ label: question });
  };
  const apply = () => page.getByRole("button", { name: en["submissions.apply"] }).click();
  const query = () => new URL(page.url()).searchParams;

  /** The page's width, and the elements that stick out of the viewport (outside a scroll box). */
  const overflow = () =>
    page.evaluate(() => {
      const viewport = document.documentElement.clientWidth;
      const scrolls = (el: Element) => ["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX);
      const clipped = (el: Element) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement)
          if (scrolls(up)) return true;
        return false;
      };
      const offenders = [...document.body.querySelectorAll("*")]
        .filter((el) => el.getBoundingClientRect().right > viewport + 0.5 && !clipped(el))
        .slice(0, 5)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} → ${el.getBoundingClientRect().right}`,
        );
      return { width: document.documentElement.scrollWidth, offenders };
    });

  it("no workspace screen is wider than a 390 px phone", async () => {
    const screens: [string, string, () => Promise<unknown>][] = [
      [
        "forms",
        `${stack.url}/frontend/o/${session.orgId}`,
        () => page.getByRole("heading", { name: en["forms.title"] }).waitFor(),
      ],
      ["builder", formUrl(), () => page.getByTestId("builder").waitFor()],
      ["submissions", formUrl("/submissions"), () => table().waitFor()],
      [
        "members",
        `${stack.url}/frontend/o/${session.orgId}/members`,
        () => page.getByTestId("members-table").waitFor(),
      ],
      ["share", formUrl("/share"), () => page.locator(".share-grid").waitFor()],
    ];
    const tooWide: string[] = [];
    for (const [name, url, ready] of screens) {
      await page.goto(url);
      await ready();
      await screenshot(page, `phone-${name}`);
      const { width, offenders } = await overflow();
      if (width > PHONE.width) tooWide.push(`${name} is ${width} px: ${offenders.join("; ")}`);
    }
    expect(tooWide).toEqual([]);
  });

  it("keeps a 5,000-character answer to a short row; the detail shows all of it, line breaks kept", async () => {
    await page.goto(formUrl("/submissions"));
    const row = table().locator("tbody tr", { hasText: "Ana Souza" });
    const box = await row.boundingBox();
    expect(box?.height).toBeLessThan(120);
    // Short values keep their words whole: one line each, nothing cut inside the cell.
    const short = await table()
      .locator(".cell-text")
      .evaluateAll((cells) =>
        cells
          .filter((cell) => (cell.textContent ?? "").length > 0 && (cell.textContent ?? "").length <= 12)
          .map((cell) => ({
            text: cell.textContent,
            lines: Math.round(
              cell.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(cell).lineHeight),
            ),
            cut: cell.scrollWidth > cell.clientWidth,
          })),
      );
    expect(short.length).toBeGreaterThan(10);
    expect(short.filter((cell) => cell.lines !== 1 || cell.cut)).toEqual([]);

    await row.getByRole("button", { name: /View/ }).click();
    const dialog = page.getByRole("dialog");
    const answer = dialog.locator("dd", { hasText: "First line of the story" });
    expect(await answer.evaluate((dd) => dd.textContent)).toBe(STORY);
    // innerText follows the rendering: the line breaks show as breaks.
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is tested
    expect(await answer.evaluate((dd) => (dd as HTMLElement).innerText.split("\n").slice(0, 2))).toEqual(
      FIRST_LINES.split("\n"),
    );
    const widths = await answer.evaluate((dd) => ({ scroll: dd.scrollWidth, client: dd.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect((await overflow()).width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, "phone-submission-detail");
    await page.keyboard.press("Escape");
  });

  it("filters by any of several options and by text contained, kept by reload and back", async () => {
    await page.goto(formUrl("/submissions"));
    expect(await names()).toEqual(expected(() => true));

    await choose("Favourite colour");
    await condition("Favourite colour").getByLabel("Red").check();
    await condition("Favourite colour").getByLabel("Blue").check();
    await apply();
    await expect.poll(() => query().getAll("field.color")).toEqual(["red", "blue"]);
    await expect.poll(names).toEqual(expected((p) => p.color === "red" || p.color === "blue"));

    await choose("Pets");
    await condition("Pets").getByLabel("Fish").check();
    await apply();
    await expect.poll(names).toEqual(expected((p) => p.color !== "green" && p.pets.includes("fish")));

    await page.reload();
    await expect.poll(names).toEqual(expected((p) => p.color !== "green" && p.pets.includes("fish")));
    expect(await condition("Favourite colour").getByLabel("Blue").isChecked()).toBe(true);
    expect(await condition("Pets").getByLabel("Fish").isChecked()).toBe(true);

    // Back: the colours alone again.
    await page.goBack();
    await expect.poll(names).toEqual(expected((p) => p.color === "red" || p.color === "blue"));
    expect(await condition("Pets").count()).toBe(0);

    await page.getByRole("button", { name: en["submissions.clear"] }).click();
    await choose("Name");
    await condition("Name")
      .getByLabel(en["submissions.contains"] as string)
      .fill("ANA");
    await apply();
    expect(query().get("contains.name")).toBe("ANA");
    await expect.poll(names).toEqual(expected((p) => p.name.toLowerCase().includes("ana")));
    await screenshot(page, "phone-submissions-filtered");
    const violations = await axeScan(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    expect((await overflow()).width).toBeLessThanOrEqual(PHONE.width);
  });

  it("shows From after To next to To (the API's code), not an empty list", async () => {
    await page.goto(formUrl("/submissions"));
    await table().waitFor();
    await page.getByLabel(en["submissions.from"] as string, { exact: true }).fill("2026-02-10");
    await page.getByLabel(en["submissions.to"] as string, { exact: true }).fill("2026-02-01");
    await apply();
    const to = page.getByLabel(en["submissions.to"] as string, { exact: true });
    await expect.poll(() => to.getAttribute("aria-invalid")).toBe("true");
    const hint = page.locator(`[id="${await to.getAttribute("aria-describedby")}"]`);
    expect(await hint.textContent()).toBe(en["submissions.filterError.to_before_from"]);
    expect(query().has("from")).toBe(false);
    expect(await page.getByText(en["submissions.noneMatching"] as string).count()).toBe(0);
    const violations = await axeScan(page);
    expect(violations, formatViolations(violations)).toEqual([]);

    // The same mistake in a shared link: the API refuses it with the same code, shown in the same place.
    await page.goto(formUrl("/submissions?from=2026-02-10&to=2026-02-01"));
    await page.getByText(en["submissions.filtersInvalid"] as string).waitFor();
    expect(await page.getByText(en["submissions.filterError.to_before_from"] as string).count()).toBe(1);
  });

  it("shows the API's per-filter errors next to the filter they name", async () => {
    await page.goto(formUrl("/submissions?field.age=abc"));
    await page.getByText(en["submissions.filtersInvalid"] as string).waitFor();
    const age = condition("Age").getByLabel(en["submissions.equals"] as string);
    expect(await age.getAttribute("aria-invalid")).toBe("true");
    const hint = page.locator(`[id="${await age.getAttribute("aria-describedby")}"]`);
    expect(await hint.textContent()).toBe(en["submissions.filterError.invalid_type"]);
  });

  it("keeps the map view and its area in the URL", async () => {
    await page.goto(formUrl("/submissions?view=map"));
    await page.getByTestId("submissions-map").waitFor();
    await page.getByRole("button", { name: en["map.filterView"] }).click();
    await expect.poll(() => query().get("bbox")).toMatch(/^-?\d/);
    await page.reload();
    await page.getByRole("button", { name: en["map.clearArea"] }).waitFor();
    await page.getByRole("button", { name: en["submissions.view.table"] }).click();
    expect(query().get("view")).toBeNull();
    expect(query().get("bbox")).toMatch(/^-?\d/);
    await page.goBack();
    await page.getByTestId("submissions-map").waitFor();
  });
});
