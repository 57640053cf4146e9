import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  createDatabase,
  type PrivateRedis,
  redisServerAvailable,
  startPrivateRedis,
  TcpProxy,
} from "@coleta/api/testing";
import type { FormDefinition } from "@coleta/forms";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserStack,
  createPublishedForm,
  DESKTOP,
  ensureWebBuilt,
  expectNoAxeViolations as noAxeViolations,
  postPublicSubmission,
  type Stack,
  screenshot,
  signUpOwner,
  startBrowserStack,
} from "./support";
import { DIST_DIR, REPO_ROOT, WEB_DIR } from "./support/paths";

// The status board for real: an API whose PostgreSQL and Redis sit behind TCP proxies this test
// controls. Green as it starts; amber from real rate-limited submissions and a slow cache; red by
// cutting the database. Screenshots of the three go to apps/web/artifacts/screenshots/, or to
// docs/monitoring/ (the pictures of docs/monitoring.md) with COLETA_UPDATE_DOC_SCREENSHOTS=1: a
// test run must not change the repository.
const pgAdmin = process.env.TEST_DATABASE_URL;
const runnable = Boolean(pgAdmin) && redisServerAvailable();
if (!runnable) console.warn("status-board e2e: needs TEST_DATABASE_URL and redis-server; skipped.");

const SHOTS =
  process.env.COLETA_UPDATE_DOC_SCREENSHOTS === "1"
    ? join(REPO_ROOT, "docs", "monitoring")
    : join(WEB_DIR, "artifacts", "screenshots");
// The page refreshes every 15 s and a change needs a probe round (1 s here) and the board's 5 s
// cache: 60 s is generous on a busy 2-core machine, and every wait below polls.
const CHANGE_MS = 60_000;

const definition: FormDefinition = {
  schemaVersion: 1,
  title: "Visit log",
  pages: [{ id: "p", fields: [{ id: "note", type: "short_text", label: "Note" }] }],
};

/** Waits until the board on `page` shows `status` for every component in `ids` (auto-refresh only). */
async function waitForRows(
  page: Page,
  expected: Record<string, string>,
  timeout = CHANGE_MS,
): Promise<number> {
  const started = Date.now();
  await page.waitForFunction(
    (want) =>
      Object.entries(want).every(
        ([id, status]) =>
          document.querySelector(`[data-component="${id}"]`)?.getAttribute("data-status") === status,
      ),
    expected,
    { timeout, polling: 250 },
  );
  return Date.now() - started;
}

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true }); // 1280 wide, the whole board: commit-sized
  expect(statSync(path).size).toBeGreaterThan(10_000);
}

describe.skipIf(!runnable)("status board page (/frontend/status)", () => {
  let redis: PrivateRedis;
  let redisProxy: TcpProxy;
  let dbProxy: TcpProxy;
  let database: { url: string; drop(): Promise<void> };
  let web: BrowserStack, stack: Stack, browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await ensureWebBuilt();
    if (!existsSync(join(DIST_DIR, "status.html")) && process.env.COLETA_E2E_SKIP_BUILD !== "1") {
      // A dist/ built before the status entry existed: build once more.
      const vite = join(REPO_ROOT, "node_modules", ".bin", "vite");
      const built = spawnSync(vite, ["build"], {
        cwd: WEB_DIR,
        env: { ...process.env, NODE_ENV: "production" },
      });
      if (built.status !== 0) throw new Error(`vite build failed: ${built.stderr}`);
    }
    redis = await startPrivateRedis();
    redisProxy = new TcpProxy({ host: "127.0.0.1", port: redis.port });
    await redisProxy.listen();
    const admin = new URL(pgAdmin as string);
    dbProxy = new TcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    await dbProxy.listen();
    database = await createDatabase(pgAdmin as string);
    const proxied = new URL(database.url);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(dbProxy.port);
    web = await startBrowserStack({
      DATABASE_URL: proxied.toString(),
      REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
      STATUS_PROBE_INTERVAL_MS: "1000",
      STATUS_TIMEZONE: "America/Sao_Paulo",
      TEAM_BACKEND_CONTACT: "backend-oncall@example.org · +55 11 5555-0100",
      TEAM_PLATFORM_CONTACT: "platform-oncall@example.org · +55 11 5555-0199",
      // Low, so that real traffic trips it: the amber state below.
      RATE_LIMIT_SUBMISSIONS_PER_MINUTE_PER_IP: "5",
    });
    ({ stack, browser } = web);
    context = await browser.newContext(DESKTOP);
    page = await context.newPage();
  });

  afterAll(async () => {
    await web?.close();
    await dbProxy?.close();
    await redisProxy?.close();
    await redis?.stop();
    await database?.drop();
  });

  it("green: every component working, readable on a phone and on a TV, no axe violations", async () => {
    await page.goto(`${stack.url}/frontend/status`);
    await page.getByRole("heading", { name: "Coleta status" }).waitFor();
    await waitForRows(page, {
      public_forms: "ok",
      submissions: "ok",
      workspace: "ok",
      exports: "ok",
      database: "ok",
      cache: "ok",
    });
    await page.getByText("Everything is working.").waitFor();
    await page.getByText(/Updated \d\d:\d\d:\d\d/).waitFor();
    const runbook = page.locator('[data-component="submissions"] a');
    expect(await runbook.getAttribute("href")).toMatch(/\/docs\/runbooks\/status-submissions\.md$/);
    expect(await page.locator('[data-component="database"]').textContent()).toContain("Working");
    await noAxeViolations(page);
    await shot(page, "status-ok");

    // 390 px wide: no sideways scrolling; on a TV: larger type.
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${stack.url}/frontend/status`);
    await phone.locator('[data-component="cache"]').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await noAxeViolations(phone);
    await screenshot(phone, "status-390x844");
    const size = (p: Page) => p.evaluate(() => Number.parseFloat(getComputedStyle(document.body).fontSize));
    const onPhone = await size(phone);
    await phone.setViewportSize({ width: 1920, height: 1080 });
    await phone.waitForFunction(
      (small) => Number.parseFloat(getComputedStyle(document.body).fontSize) > small * 1.3,
      onPhone,
    );
    await noAxeViolations(phone);
    await screenshot(phone, "status-1920x1080");
    await phone.close();

    // The language follows the browser, and the switch works.
    const ptContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "pt-BR" });
    const pt = await ptContext.newPage();
    await pt.goto(`${stack.url}/frontend/status`);
    await pt.getByRole("heading", { name: "Status do Coleta" }).waitFor();
    await pt.getByRole("heading", { name: "Recebimento de respostas" }).waitFor();
    await pt.getByRole("button", { name: "English" }).click();
    await pt.getByRole("heading", { name: "Coleta status" }).waitFor();
    await pt.getByRole("heading", { name: "Receiving answers" }).waitFor();
    await ptContext.close();
  });

  it("amber: many submissions refused by the rate limit, and a slow cache", async () => {
    const owner = await signUpOwner(stack.url);
    const form = await createPublishedForm(owner, definition, { slug: "visit-log" });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await postPublicSubmission(stack.url, form.slug, { id: crypto.randomUUID(), answers: {} });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    redisProxy.delayMs = 450; // every cache answer late: slower than DEPENDENCY_SLOW_MS, within the timeout

    await waitForRows(page, {
      submissions: "degraded",
      cache: "degraded",
      database: "ok",
      public_forms: "ok",
    });
    await page.getByRole("heading", { name: "Some things are slow or failing." }).waitFor();
    await page.getByText("Affected: Receiving answers, Cache.").waitFor();
    const submissions = await page.locator('[data-component="submissions"]').textContent();
    expect(submissions).toContain("Problems");
    expect(submissions).toMatch(
      /refused by the sending limits .* since \d\d:\d\d — call the backend team: backend-oncall@example\.org/,
    );
    expect(await page.locator('[data-component="cache"]').textContent()).toContain("The cache is slow");
    await page.locator(".timeline li").first().waitFor();
    await noAxeViolations(page);
    await shot(page, "status-degraded");
  });

  it("red: the database is cut; everything that needs it goes red and says to call the platform team", async () => {
    redisProxy.delayMs = 0;
    dbProxy.cutAll();
    const ms = await waitForRows(page, {
      database: "down",
      public_forms: "down",
      submissions: "down",
      workspace: "down",
      exports: "down",
      cache: "ok",
    });
    console.info(`board red ${ms} ms after the database was cut (page refreshes every 15 s)`);
    await page.getByRole("heading", { name: "Something is not working." }).waitFor();
    const forms = await page.locator('[data-component="public_forms"]').textContent();
    expect(forms).toContain("Down");
    expect(forms).toMatch(
      /\(the database does not answer\) since \d\d:\d\d — call the platform team: platform-oncall/,
    );
    expect(await page.locator(".summary").textContent()).toContain("platform-oncall@example.org");
    await noAxeViolations(page);
    await shot(page, "status-down");
  });

  it("says so when the board itself cannot refresh, and recovers when the database returns", async () => {
    await page.route("**/backend/status**", (route) => route.abort());
    await page.getByTestId("stale").waitFor({ timeout: CHANGE_MS });
    expect(await page.getByTestId("stale").textContent()).toContain("could not be refreshed");
    await noAxeViolations(page);
    await screenshot(page, "status-stale");
    await page.unroute("**/backend/status**");

    dbProxy.restore();
    const ms = await waitForRows(page, {
      database: "ok",
      public_forms: "ok",
      workspace: "ok",
      exports: "ok",
    });
    console.info(`board green again ${ms} ms after the database came back`);
    expect(await page.getByTestId("stale").count()).toBe(0);
    const timeline = await page.locator(".timeline").textContent();
    expect(timeline).toContain("Database: Working → Down");
    expect(timeline).toContain("Database: Down → Working");
  });
});
