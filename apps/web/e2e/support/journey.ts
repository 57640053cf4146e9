// Where the workspace journeys start: the built web on a fresh API, Chromium, and contexts that
// open pages signed in. (The fill page journeys start from fill.ts.)
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import type { ApiSession } from "./api";
import { addSessionCookies, launchBrowser } from "./browser";
import { ensureWebBuilt } from "./build";
import { type Stack, startStack } from "./stack";

/** A desktop window, in English. */
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: "en-US" };

export interface BrowserStack {
  stack: Stack;
  browser: Browser;
  /** Closes the browser, then the stack. */
  close(): Promise<void>;
}

/** Builds the web if needed, starts a stack (`env` over its defaults) and launches Chromium. */
export async function startBrowserStack(env: Record<string, string | undefined> = {}): Promise<BrowserStack> {
  await ensureWebBuilt();
  const stack = await startStack(env);
  const browser = await launchBrowser().catch(async (error: unknown) => {
    await stack.close();
    throw error;
  });
  return {
    stack,
    browser,
    close: () => browser.close().finally(() => stack.close()),
  };
}

/** A new context (DESKTOP unless `options` say otherwise) whose pages open signed in as `session`. */
export async function signedInContext(
  browser: Browser,
  session: ApiSession,
  options: BrowserContextOptions = DESKTOP,
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await addSessionCookies(context, session);
  return context;
}
