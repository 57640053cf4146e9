import type { FormDefinition } from "@coleta/forms";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiSession,
  type CreatedForm,
  createPublishedForm,
  ensureWebBuilt,
  launchBrowser,
  listSubmissions,
  postPublicSubmission,
  type Stack,
  screenshot,
  signUpOwner,
  startStack,
} from "./support";

const definition: FormDefinition = {
  schemaVersion: 1,
  title: "Field visit",
  pages: [
    {
      id: "p1",
      fields: [
        { id: "name", type: "short_text", label: "Your name", required: true },
        { id: "visits", type: "number", label: "Visits", integer: true, min: 0 },
      ],
    },
  ],
};

const QUEUED = "Saved on this device — will be sent when you're back online";

describe("fill page offline outbox", () => {
  let stack: Stack;
  let owner: ApiSession;
  let form: CreatedForm;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await ensureWebBuilt();
    stack = await startStack();
    owner = await signUpOwner(stack.url);
    form = await createPublishedForm(owner, definition, { slug: "field-visit" });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "en-US" });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("queues a submission offline, keeps it across a reload, and sends it exactly once when online", async () => {
    await page.goto(form.fillUrl);
    await page.getByRole("heading", { name: "Field visit" }).waitFor();
    // Let the service worker take control and cache the page shell, so the page can reload offline.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      for (let i = 0; i < 100; i++) {
        const cache = await caches.open("coleta-fill-v1");
        const keys = (await cache.keys()).map((r) => r.url);
        if (
          navigator.serviceWorker.controller &&
          keys.some((k) => k.endsWith("/f/__shell__")) &&
          keys.length >= 2
        )
          return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("service worker did not cache the fill page");
    });

    await page.getByLabel(/Your name/).fill("Ana");
    await page.getByLabel("Visits").fill("3");
    await context.setOffline(true);
    await page.getByRole("button", { name: "Submit" }).click();
    await page.getByText(QUEUED).waitFor();
    await screenshot(page, "fill-queued-offline");
    expect(await listSubmissions(owner, form.id)).toHaveLength(0);

    await page.reload();
    await page.getByText(QUEUED).waitFor();
    const queuedId = await page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const req = indexedDB.open("coleta-fill");
          req.onsuccess = () => {
            const all = req.result.transaction("outbox").objectStore("outbox").getAllKeys();
            all.onsuccess = () => resolve(all.result as string[]);
            all.onerror = () => reject(all.error);
          };
          req.onerror = () => reject(req.error);
        }),
    );
    expect(queuedId).toHaveLength(1);

    await context.setOffline(false); // fires `online` in the page → the outbox sends
    await page.getByRole("heading", { name: "Thank you!" }).waitFor({ timeout: 30_000 });
    await page.getByText(/^\W*Sent$/).waitFor();

    const rows = await listSubmissions(owner, form.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).toBe(queuedId[0]);
    expect(rows[0]?.answers).toEqual({ name: "Ana", visits: 3 });

    // A forced resend with the same id (as a flaky network would cause) is a duplicate, not a new row.
    const again = await postPublicSubmission(stack.url, form.slug, {
      id: queuedId[0] as string,
      answers: { name: "Ana", visits: 3 },
    });
    expect(again.status).toBe(200);
    const fromPage = await page.evaluate(
      async ({ slug, id }) =>
        (
          await fetch(`/backend/public/forms/${slug}/submissions`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ id, answers: { name: "Ana", visits: 3 } }),
          })
        ).status,
      { slug: form.slug, id: queuedId[0] as string },
    );
    expect(fromPage).toBe(200);
    expect(await listSubmissions(owner, form.id)).toHaveLength(1);
    const left = await page.evaluate(() => localStorage.getItem("coleta.draft.field-visit"));
    expect(left).toBeNull();
  });
});
