// Roles in the browser: an admin's members page, and a viewer (invited via the API, joining through
// the accept page) who reads the forms and members but sees no edit controls, and whose direct API
// calls are refused with 403.
import type { FormDefinition } from "@coleta/forms";
import { options } from "@coleta/forms/testing";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiSession,
  type BrowserStack,
  type CreatedForm,
  createPublishedForm,
  DESKTOP,
  expectNoAxeViolations,
  postPublicSubmission,
  screenshot,
  signedInContext,
  signUpOwner,
  startBrowserStack,
} from "./support";

const definition: FormDefinition = {
  schemaVersion: 1,
  title: "Water points",
  pages: [
    {
      id: "p1",
      fields: [
        { id: "site", type: "short_text", label: "Site name", required: true },
        { id: "kind", type: "single_choice", label: "Kind", options: options({ well: "Well", tap: "Tap" }) },
        { id: "where", type: "geopoint", label: "Where" },
      ],
    },
  ],
};

const VIEWER = { name: "Vera Viewer", email: "vera@example.com", password: "viewer password 123" };

describe("workspace roles", () => {
  let web: BrowserStack;
  let owner: ApiSession;
  let form: CreatedForm;
  let ownerContext: BrowserContext;
  let viewerContext: BrowserContext;
  let acceptUrl = "";

  beforeAll(async () => {
    web = await startBrowserStack();
    const { stack, browser } = web;
    owner = await signUpOwner(stack.url, { name: "Olga Owner" });
    form = await createPublishedForm(owner, definition, { slug: "water-points" });
    const points = [
      { site: "North well", kind: "well", where: { lat: -23.55, lon: -46.63 } },
      { site: "River tap", kind: "tap", where: { lat: -22.9, lon: -43.2, accuracy: 8 } },
    ];
    for (const answers of points) {
      const res = await postPublicSubmission(stack.url, form.slug, { id: crypto.randomUUID(), answers });
      expect(res.status).toBe(201);
    }
    const invitation = await owner.json<{ token: string; acceptUrl?: string }>(
      "POST",
      `/orgs/${owner.orgId}/invitations`,
      {
        email: VIEWER.email,
        role: "viewer",
      },
    );
    acceptUrl = invitation.acceptUrl
      ? new URL(invitation.acceptUrl, stack.url).toString()
      : `${stack.url}/frontend/invite/${invitation.token}`;
    ownerContext = await signedInContext(browser, owner);
    viewerContext = await browser.newContext(DESKTOP);
  });

  afterAll(async () => {
    await web?.close();
  });

  it("an owner manages members: pending invitation, invite through the UI with a copyable link, revoke", async () => {
    const page = await ownerContext.newPage();
    await page.goto(`${owner.url}/frontend/o/${owner.orgId}/members`);
    await page.getByRole("heading", { name: "Members" }).waitFor();
    await page.getByText(VIEWER.email).waitFor();

    await page.getByLabel("E-mail").fill("eddie@example.com");
    await page.getByLabel("Role", { exact: true }).selectOption("editor");
    await page.getByRole("button", { name: "Create invitation" }).click();
    const link = page.getByTestId("accept-link");
    await link.waitFor();
    expect(await link.inputValue()).toMatch(/\/frontend\/invite\/.+/);
    await page.getByRole("button", { name: "Revoke the invitation for eddie@example.com" }).waitFor();
    await screenshot(page, "workspace-members");
    await page.getByRole("button", { name: "Revoke the invitation for eddie@example.com" }).click();
    await page.getByText("Invitation for eddie@example.com revoked.").waitFor();
    await expectNoAxeViolations(page);
    await page.close();
  });

  it("the invited viewer joins through the accept page", async () => {
    const page = await viewerContext.newPage();
    await page.goto(acceptUrl);
    await page.getByRole("heading", { name: /Join/ }).waitFor();
    await page.getByText(`This invitation is for ${VIEWER.email}, as Viewer.`).waitFor();
    await page.getByLabel("Name").fill(VIEWER.name);
    expect(await page.getByLabel("E-mail").inputValue()).toBe(VIEWER.email);
    await page.getByLabel("Password").fill(VIEWER.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("button", { name: "Accept invitation" }).click();
    await page.getByRole("heading", { name: "Forms" }).waitFor();
    await page.close();
  });

  it("a viewer sees no edit controls anywhere", async () => {
    const page: Page = await viewerContext.newPage();
    await page.goto(`${owner.url}/frontend/o/${owner.orgId}`);
    await page.getByRole("link", { name: "Water points" }).waitFor();
    for (const name of ["New form", /Duplicate/, /Close/, /Delete/, /Reopen/]) {
      expect(await page.getByRole("button", { name }).count(), String(name)).toBe(0);
    }

    // Every member may read the member list (docs/api.md), but a viewer manages nothing there.
    await page.getByRole("link", { name: "Members" }).click();
    await page.getByTestId("members-table").getByText(VIEWER.email).waitFor();
    expect(await page.getByRole("button", { name: "Create invitation" }).count()).toBe(0);
    expect(await page.getByRole("combobox", { name: /Role of/ }).count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Pending invitations" }).count()).toBe(0);
    await page.getByRole("link", { name: "Forms" }).click();

    // The title leads a viewer to the submissions; no delete in the detail view.
    await page.getByRole("link", { name: "Water points" }).click();
    await page.getByTestId("submissions-table").getByText("North well").waitFor();
    await page
      .getByRole("button", { name: /View submission from/ })
      .first()
      .click();
    await page.getByRole("dialog").waitFor();
    expect(await page.getByRole("button", { name: "Delete submission" }).count()).toBe(0);
    await page.keyboard.press("Escape");

    // The builder is read-only.
    await page.getByRole("link", { name: "Build" }).click();
    await page.getByText("You can view this form but not change it.").waitFor();
    for (const name of ["Save draft", "Publish", "Add question", "Add page"]) {
      expect(await page.getByRole("button", { name }).count(), name).toBe(0);
    }
    expect(await page.locator("input#form-title").count()).toBe(0);

    // The summary shows the choice counts and the offline map of points.
    await page.getByRole("link", { name: "Summary" }).click();
    await page.getByTestId("geo-map").waitFor();
    expect(await page.getByTestId("geo-map").locator("circle").count()).toBe(2);

    // Going around the UI does not help: the API refuses with a problem+json 403.
    const attempts = await page.evaluate(
      async ({ orgId, formId }) => {
        const put = await fetch(`/backend/orgs/${orgId}/forms/${formId}`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ title: "Hijacked" }),
        });
        const create = await fetch(`/backend/orgs/${orgId}/forms`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ title: "Sneaky" }),
        });
        return { put: put.status, code: (await put.json()).code, create: create.status };
      },
      { orgId: owner.orgId, formId: form.id },
    );
    expect(attempts).toEqual({ put: 403, code: "forbidden", create: 403 });
    await page.close();
  });

  it("the owner sees the viewer as a member", async () => {
    const page = await ownerContext.newPage();
    await page.goto(`${owner.url}/frontend/o/${owner.orgId}/members`);
    const row = page.getByTestId("members-table").getByRole("row").filter({ hasText: VIEWER.email });
    await row.waitFor();
    expect(await row.getByRole("combobox", { name: `Role of ${VIEWER.name}` }).inputValue()).toBe("viewer");
    await page.close();
  });
});
