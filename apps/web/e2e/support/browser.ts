import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type LaunchOptions, type Page } from "playwright-core";
import { expect } from "vitest";
import { ARTIFACTS_DIR } from "./paths";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

/** Debian's Chromium through playwright-core (no downloaded browsers). Close it in afterAll. */
export function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, ...options });
}

export const SCREENSHOTS_DIR = join(ARTIFACTS_DIR, "screenshots");

/** Full-page PNG at apps/web/artifacts/screenshots/<name>.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name.replace(/[^\w.-]+/g, "-")}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: "serious" | "critical";
  help: string;
  helpUrl: string;
  targets: string[];
}

let axeSource: string | null = null;

/**
 * Runs axe-core in the page and returns the serious and critical violations (an empty array is a
 * pass). `options.exclude` takes CSS selectors to leave out.
 */
export async function axeScan(page: Page, options: { exclude?: string[] } = {}): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  const hasAxe = await page.evaluate(() => "axe" in globalThis);
  // Evaluated over CDP, so the page's Content-Security-Policy (script-src 'self') does not block it.
  if (!hasAxe) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (exclude: string[]) => {
    const axe = (globalThis as any).axe;
    const context = exclude.length ? { exclude: exclude.map((s) => [s]) } : document;
    const result = await axe.run(context, { resultTypes: ["violations"] });
    return (
      result.violations as {
        id: string;
        impact: string;
        help: string;
        helpUrl: string;
        nodes: { target: string[] }[];
      }[]
    ).map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
  }, options.exclude ?? []);
  return violations.filter((v): v is AxeViolation => v.impact === "serious" || v.impact === "critical");
}

/** One line per violation, for assertion messages. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.impact}: ${v.id} — ${v.help} (${v.targets.join(", ")})`).join("\n");
}

/** Fails the test with each serious or critical axe violation on `page` (see axeScan). */
export async function expectNoAxeViolations(page: Page, options: { exclude?: string[] } = {}): Promise<void> {
  const violations = await axeScan(page, options);
  expect(violations, formatViolations(violations)).toEqual([]);
}

/** Puts an API session's cookies into a browser context so pages open signed in. */
export async function addSessionCookies(context: BrowserContext, session: { url: string; cookie: string }) {
  const cookies = session.cookie
    .split(/;\s*/)
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf("=");
      return { name: pair.slice(0, i), value: pair.slice(i + 1), url: session.url };
    });
  await context.addCookies(cookies);
}
