// The workspace map in a real browser: 10,000 located submissions drawn as clusters from the API,
// zooming into a cluster, opening a point's submission, and the area filter drawn on the map and
// applied to the list. Tile requests are refused, as on a machine without network: the points must
// still show, with a notice that the background map is missing.
import { scaleDefinition, seedSubmissions } from "@coleta/api/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workspaceEn as en } from "../src/i18n/workspace.en";
import {
  type ApiSession,
  addSessionCookies,
  type CreatedForm,
  createPublishedForm,
  ensureWebBuilt,
  launchBrowser,
  type Stack,
  screenshot,
  signUpOwner,
  startStack,
} from "./support";

const POINTS = 10_000;

describe("workspace map", () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let session: ApiSession;
  let form: CreatedForm;

  beforeAll(async () => {
    await ensureWebBuilt();
    stack = await startStack();
    session = await signUpOwner(stack.url);
    form = await createPublishedForm(session, scaleDefinition);
    await seedSubmissions((text, params) => stack.query(text, params), form.id, POINTS, { chunk: 5_000 });
    browser = await launchBrowser();
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await addSessionCookies(context, session);
    page = await context.newPage();
    // No network here: tile servers are unreachable, deterministically.
    await page.route(/tile\.openstreetmap\.org/, (route) => route.abort("internetdisconnected"));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const status = () => page.getByTestId("map-status");

  it("draws every submission as clusters, without the background map", async () => {
    await page.goto(`${stack.url}/frontend/o/${session.orgId}/forms/${form.id}/submissions`);
    await page.getByRole("button", { name: en["submissions.view.map"] }).click();
    await page.getByTestId("submissions-map").waitFor();
    await page.locator(".map-cluster").first().waitFor();
    // The first view frames every located submission (all seeded ones have a location).
    await expect
      .poll(async () => (await status().textContent()) ?? "", { timeout: 30_000 })
      .toContain("10,000");
    const counts = await page.locator(".map-cluster span").allTextContents();
    expect(counts.length).toBeGreaterThan(0);
    await expect.poll(async () => (await status().textContent()) ?? "").toContain(en["map.noTiles"]);
    await screenshot(page, "map-clusters-phone");
  });

  it("zooms into a cluster until single points can be opened", async () => {
    // Leaflet replaces the markers on every reply: click once the view has settled, and again if
    // the marker was replaced between finding and clicking it.
    const clickACluster = async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await page.locator(".map-cluster:visible").first().click({ force: true, timeout: 5_000 });
          return;
        } catch (error) {
          if (attempt >= 5) throw error;
          await page.waitForTimeout(300);
        }
      }
    };
    for (let step = 0; step < 10 && (await page.locator("path.map-point").count()) === 0; step++) {
      const before = await status().textContent();
      await clickACluster();
      await expect.poll(async () => status().textContent(), { timeout: 15_000 }).not.toBe(before);
      await page.waitForTimeout(400);
    }
    const point = page.locator("path.map-point").first();
    await point.waitFor();
    await point.click({ force: true });
    await page.getByRole("dialog").waitFor();
    await screenshot(page, "map-point-opened-phone");
    await page.keyboard.press("Escape");
  });

  it("filters the list to the area on the map, and clears it", async () => {
    await page.getByRole("button", { name: en["map.filterView"] }).click();
    await page.locator("path.map-area").first().waitFor();
    await page.getByRole("button", { name: en["submissions.view.table"] }).click();
    await page.getByTestId("submissions-table").waitFor();
    await page.getByRole("button", { name: en["submissions.view.map"] }).click();
    await page.getByRole("button", { name: en["map.clearArea"] }).click();
    await expect.poll(async () => page.locator("path.map-area").count()).toBe(0);
  });
});
