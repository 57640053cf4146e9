import type { FormDefinition } from "@coleta/forms";
import { titledForm } from "@coleta/forms/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillEn } from "../src/i18n/fill.en";
import {
  type CreatedForm,
  createPublishedForm,
  type FillSuite,
  listSubmissions,
  outboxRecords,
  postPublicSubmission,
  screenshot,
  startFillSuite,
  waitForOfflineShell,
} from "./support";

const definition: FormDefinition = titledForm(
  "Field visit",
  { id: "name", type: "short_text", label: "Your name", required: true },
  { id: "visits", type: "number", label: "Visits", integer: true, min: 0 },
);

const QUEUED = fillEn["state.queued.body"];

describe("fill page offline outbox", () => {
  let suite: FillSuite;
  let form: CreatedForm;
  let page: Page;

  beforeAll(async () => {
    suite = await startFillSuite();
    form = await createPublishedForm(suite.owner, definition, { slug: "field-visit" });
    page = await suite.context.newPage();
  });

  afterAll(() => suite?.close());

  it("queues a submission offline, keeps it across a reload, and sends it exactly once when online", async () => {
    // The API serves the page with the form in it: the page never asks for the form separately.
    const formRequests: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname.endsWith(`/public/forms/${form.slug}`)) formRequests.push(r.url());
    });
    await page.goto(form.fillUrl);
    await page.getByRole("heading", { name: "Field visit" }).waitFor();
    expect(formRequests).toEqual([]);
    // Let the service worker take control and cache the page shell, so the page can reload offline.
    await waitForOfflineShell(page);

    await page.getByLabel(/Your name/).fill("Ana");
    await page.getByLabel("Visits").fill("3");
    await suite.context.setOffline(true);
    await page.getByRole("button", { name: "Submit" }).click();
    await page.getByText(QUEUED).waitFor();
    await screenshot(page, "fill-queued-offline");
    expect(await listSubmissions(suite.owner, form.id)).toHaveLength(0);

    await page.reload();
    await page.getByText(QUEUED).waitFor();
    const queuedId = (await outboxRecords(page)).map((r) => r.id);
    expect(queuedId).toHaveLength(1);

    await suite.context.setOffline(false); // fires `online` in the page → the outbox sends
    await page.getByRole("heading", { name: "Thank you!" }).waitFor({ timeout: 30_000 });
    await page.getByText(/^\W*Sent$/).waitFor();

    const rows = await listSubmissions(suite.owner, form.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).toBe(queuedId[0]);
    expect(rows[0]?.answers).toEqual({ name: "Ana", visits: 3 });

    // A forced resend with the same id (as a flaky network would cause) is a duplicate, not a new row.
    const again = await postPublicSubmission(suite.stack.url, form.slug, {
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
    expect(await listSubmissions(suite.owner, form.id)).toHaveLength(1);
    const left = await page.evaluate(() => localStorage.getItem("coleta.draft.field-visit"));
    expect(left).toBeNull();
  });
});
