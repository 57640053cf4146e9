import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Form, FormSummary, Organization, Role } from "./api";
import Builder from "./builder/Builder";
import { I18nProvider } from "./i18n";
import FormsList from "./screens/FormsList";
import Members from "./screens/Members";
import { StaticSession } from "./session";

const summary: FormSummary = {
  id: "f1",
  slug: "survey",
  title: "Survey",
  status: "published",
  submissionCount: 3,
  publishedVersion: 1,
  hasUnpublishedChanges: true,
  createdAt: "2025-01-01T00:00:00Z",
  updatedAt: "2025-01-02T00:00:00Z",
};
const form: Form = {
  ...summary,
  draft: {
    schemaVersion: 1,
    title: "Survey",
    pages: [{ id: "p1", fields: [{ id: "name", type: "short_text", label: "Name" }] }],
  },
  published: {
    schemaVersion: 1,
    title: "Survey",
    pages: [{ id: "p1", fields: [{ id: "name", type: "short_text", label: "Name" }] }],
  },
};

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

beforeEach(() => {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string) => {
      if (url.endsWith("/forms")) return json({ items: [summary] });
      if (url.endsWith("/members"))
        return json({
          items: [
            {
              userId: "u2",
              name: "Ana",
              email: "ana@example.com",
              role: "editor",
              joinedAt: "2025-01-01T00:00:00Z",
            },
          ],
        });
      if (url.endsWith("/invitations")) return json({ items: [] });
      return json({}, 404);
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const org = (role: Role): Organization => ({ id: "o1", name: "Org", slug: "org", role });
const wrap = (ui: React.ReactNode) =>
  render(
    <I18nProvider initial="en">
      <StaticSession
        value={{ me: { user: { id: "u1", name: "Me", email: "me@example.com" }, organizations: [] } }}
      >
        {ui}
      </StaticSession>
    </I18nProvider>,
  );

// The role → action table itself is tested in @coleta/permissions and against the API in
// apps/api/test/permissions-matrix.test.ts; these check that each screen asks it.
describe("role gating", () => {
  it("a viewer sees the forms list without any edit action", async () => {
    wrap(<FormsList org={org("viewer")} />);
    await screen.findByRole("link", { name: "Survey" });
    expect(screen.queryByRole("button", { name: "New form" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Duplicate/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Close/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Delete/ })).toBeNull();
    // The title link leads a viewer to the submissions, not the builder.
    expect(screen.getByRole("link", { name: "Survey" }).getAttribute("href")).toBe(
      "/frontend/o/o1/forms/f1/submissions",
    );
  });

  it("an editor can create, duplicate and close but not delete", async () => {
    wrap(<FormsList org={org("editor")} />);
    await screen.findByRole("link", { name: "Survey" });
    expect(screen.getByRole("button", { name: "New form" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Duplicate “Survey”" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Close “Survey” to new submissions" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Delete “Survey”" })).toBeNull();
    expect(screen.getByText("Unpublished changes")).toBeTruthy();
  });

  it("an admin can delete forms", async () => {
    wrap(<FormsList org={org("admin")} />);
    await screen.findByRole("link", { name: "Survey" });
    expect(screen.getByRole("button", { name: "Delete “Survey”" })).toBeTruthy();
  });

  it("the builder is read-only for a viewer", () => {
    wrap(<Builder org={org("viewer")} form={form} onFormChange={() => {}} />);
    expect(screen.getByText("You can view this form but not change it.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Save draft" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Publish" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Add question" })).toBeNull();
  });

  it("the builder offers editing to an editor", () => {
    wrap(<Builder org={org("editor")} form={form} onFormChange={() => {}} />);
    expect(screen.getByRole("button", { name: "Save draft" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Publish" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Move Name up" })).toBeTruthy();
  });

  it("members: admins invite and manage, owners alone may delete the organization", async () => {
    wrap(<Members org={org("admin")} />);
    await screen.findByText("ana@example.com");
    expect(screen.getByRole("button", { name: "Create invitation" })).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Role of Ana" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Delete organization" })).toBeNull();
    cleanup();
    wrap(<Members org={org("owner")} />);
    await screen.findByText("ana@example.com");
    expect(screen.getByRole("button", { name: "Delete organization" })).toBeTruthy();
  });

  it("members: a viewer only reads, and never asks for the admin-only invitations", async () => {
    wrap(<Members org={org("viewer")} />);
    await screen.findByText("ana@example.com");
    const asked = vi.mocked(fetch).mock.calls.map(([url]) => String(url));
    expect(asked.some((url) => url.endsWith("/invitations"))).toBe(false);
    expect(screen.queryByRole("heading", { name: "Pending invitations" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Create invitation" })).toBeNull();
    expect(screen.queryByRole("combobox", { name: "Role of Ana" })).toBeNull();
    await waitFor(() => expect(screen.queryByRole("button", { name: "Remove Ana" })).toBeNull());
  });
});
