// What the fill page journeys share: a stack with an owner and a phone-sized browser, waiting for
// the offline shell, and reading the outbox the page keeps in IndexedDB.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { type ApiSession, signUpOwner } from "./api";
import { launchBrowser } from "./browser";
import { ensureWebBuilt } from "./build";
import { type Stack, startStack } from "./stack";

/** A phone held upright, in English. */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, locale: "en-US" };
/** The same phone as a touch device: taps, the mobile viewport rules and a 3× screen. */
export const TOUCH_PHONE: BrowserContextOptions = {
  ...PHONE,
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
};

export interface FillSuite {
  stack: Stack;
  owner: ApiSession;
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

/** The built web on a fresh stack, its first owner, and Chromium with one `PHONE` context (plus `options`). */
export async function startFillSuite(options: BrowserContextOptions = {}): Promise<FillSuite> {
  await ensureWebBuilt();
  const stack = await startStack();
  let browser: Browser | undefined;
  try {
    const owner = await signUpOwner(stack.url);
    browser = await launchBrowser();
    const context = await browser.newContext({ ...PHONE, ...options });
    const opened = browser;
    return {
      stack,
      owner,
      browser,
      context,
      close: async () => {
        await opened.close();
        await stack.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await stack.close();
    throw error;
  }
}

/**
 * Waits until the fill page's service worker controls the page and has cached its shell and assets,
 * so the page can reload with no connection.
 */
export async function waitForOfflineShell(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.evaluate(async (timeout) => {
    await navigator.serviceWorker.ready;
    for (const deadline = Date.now() + timeout; Date.now() < deadline; ) {
      const keys = (await (await caches.open("coleta-fill-v1")).keys()).map((r) => r.url);
      const shell = keys.some((k) => k.endsWith("/f/__shell__"));
      if (navigator.serviceWorker.controller && shell && keys.length >= 2) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the service worker did not cache the fill page");
  }, timeoutMs);
}

export interface OutboxRecord {
  id: string;
  /** How many files the record holds, and their bytes in all. */
  files: number;
  bytes: number;
}

/** The page's outbox (IndexedDB `coleta-fill`, store `outbox`), summed up in the page (Blobs stay there). */
export function outboxRecords(page: Page): Promise<OutboxRecord[]> {
  return page.evaluate(
    () =>
      new Promise<OutboxRecord[]>((resolve, reject) => {
        const req = indexedDB.open("coleta-fill");
        req.onsuccess = () => {
          const all = req.result.transaction("outbox").objectStore("outbox").getAll();
          all.onsuccess = () =>
            resolve(
              (all.result as { id: string; files?: { blob: Blob }[] }[]).map((record) => ({
                id: record.id,
                files: record.files?.length ?? 0,
                bytes: (record.files ?? []).reduce((n, f) => n + f.blob.size, 0),
              })),
            );
          all.onerror = () => reject(all.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
}
