// The workspace map in a real browser: 10,000 located submissions drawn as clusters from the API,
// zooming into a cluster, opening a point's submission, and the area filter drawn on the map and
// applied to the list. Tile requests are refused, as on a machine without network: the points must
// still show, with a notice that the background map is missing.
import { scaleDefinition, seedSubmissions } from "@coleta/api/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workspaceEn as en } from "../src/i18n/workspace.en";
import {
  type ApiSession,
  type BrowserStack,
  type CreatedForm,
  createPublishedForm,
  screenshot,
  signedInContext,
  signUpOwner,
  startBrowserStack,
} from "./support";

const POINTS = 10_000;

describe("workspace map", () => {
  let web: BrowserStack, session: ApiSession, form: CreatedForm, page: Page;

  beforeAll(async () => {
    web = await startBrowserStack();
    const { stack, browser } = web;
    session = await signUpOwner(stack.url);
    form = await createPublishedForm(session, scaleDefinition);
    await seedSubmissions(stack.query, form.id, POINTS, { chunk: 5_000 });
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
    page = await (await signedInContext(browser, session, phone)).newPage();
    // No network here: tile servers are unreachable, deterministically.
    await page.route(/tile\.openstreetmap\.org/, (route) => route.abort("internetdisconnected"));
  });

  afterAll(() => web?.close());

  const status = () => page.getByTestId("map-status");

  it("draws every submission as clusters, without the background map", async () => {
    await page.goto(`${session.url}/frontend/o/${session.orgId}/forms/${form.id}/submissions`);
    await page.getByRole("button", { name: en["submissions.view.map"] }).click();
    await page.getByTestId("submissions-map").waitFor();
    await page.locator(".map-cluster").first().waitFor();
    // The first view frames every located submission (all seeded ones have a location).
    await expect
      .poll(async () => (await status().textContent()) ?? "", { timeout: 30_000 })
      .toContain("10,000");
    const counts = await page.locator(".map-cluster span").allTextContents();
    expect(counts.length).toBeGreaterThan(0);
    // A screen reader hears the whole count and what a click does, not the short "10K" drawn.
    const name = await page.locator(".map-cluster").first().getAttribute("aria-label");
    expect(name).toMatch(/^[\d,]+ submissions here: zoom in$/);
    await expect.poll(async () => (await status().textContent()) ?? "").toContain(en["map.noTiles"]);
    await screenshot(page, "map-clusters-phone");
  });

  it("zooms into a cluster until single points can be opened", async () => {
    // Leaflet replaces the markers on every reply, and ignores a click while it animates a zoom (the
    // first reply's framing, say): click once the view has settled, and again until the map has
    // answered for a deeper zoom.
    const shownZoom = async () => Number(await status().getAttribute("data-zoom"));
    const zoomIntoACluster = async () => {
      const before = await shownZoom();
      for (let attempt = 0; ; attempt++) {
        try {
          await page.locator(".map-cluster:visible").first().click({ force: true, timeout: 5_000 });
          await expect.poll(shownZoom, { timeout: 5_000 }).toBeGreaterThan(before);
          return;
        } catch (error) {
          if (attempt >= 5) throw error;
        }
      }
    };
    for (let step = 0; step < 10 && (await page.locator("path.map-point").count()) === 0; step++) {
      await zoomIntoACluster();
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
