// The submissions tab's filters through the UI: what the page's URL holds, what the API is asked,
// and where a mistake is shown. The API is replaced at the fetch boundary (its filtering is tested
// in apps/api; the whole path runs in e2e/submissions-table.e2e.test.ts).
import { FILTER_CONTAINS_MAX_LENGTH } from "@coleta/forms";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { workspaceEn } from "../../i18n/workspace.en";
import type { Form, Organization, Submission } from "../api";
import { I18nProvider } from "../i18n";
import Submissions from "./Submissions";

/** The English text of a key (the catalog is a plain record). */
const en = (key: string) => workspaceEn[key] as string;

const org = { id: "org-1", name: "Org", role: "owner" } as Organization;
const definition = {
  schemaVersion: 1 as const,
  title: "Survey",
  pages: [
    {
      id: "p1",
      fields: [
        { id: "name", type: "short_text" as const, label: "Name" },
        {
          id: "color",
          type: "single_choice" as const,
          label: "Colour",
          options: [
            { value: "red", label: "Red" },
            { value: "blue", label: "Blue" },
            { value: "green", label: "Green" },
          ],
        },
        { id: "age", type: "number" as const, label: "Age" },
      ],
    },
  ],
};
const form = {
  id: "f1",
  slug: "survey",
  status: "published",
  draft: definition,
  published: definition,
} as Form;
const PAGE = "/frontend/o/org-1/forms/f1/submissions";

const ana: Submission = {
  id: "s1",
  formVersion: 1,
  receivedAt: "2026-01-05T10:00:00Z",
  answers: { name: "Ana", color: "red", age: 30 },
} as Submission;

let requests: URL[] = [];
let reply: (url: URL) => Response = () => json({ items: [ana], nextCursor: null });

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** The filters of the last list request (the page asks for `limit`, which is not a filter). */
function lastListQuery(): Record<string, string[]> {
  const list = requests.filter((u) => u.pathname.endsWith("/submissions"));
  const params = list[list.length - 1]?.searchParams ?? new URLSearchParams();
  const out: Record<string, string[]> = {};
  for (const key of new Set(params.keys())) if (key !== "limit") out[key] = params.getAll(key);
  return out;
}

function show(query = "") {
  history.replaceState(null, "", query ? `${PAGE}?${query}` : PAGE);
  return render(
    <I18nProvider initial="en">
      <Submissions org={org} form={form} />
    </I18nProvider>,
  );
}

const filterForm = () => screen.getByRole("form", { name: en("submissions.filters") });
const condition = (n = 0) => within(screen.getAllByTestId("filter-condition")[n] as HTMLElement);
const apply = () => fireEvent.click(screen.getByRole("button", { name: en("submissions.apply") }));

beforeEach(() => {
  requests = [];
  reply = () => json({ items: [ana], nextCursor: null });
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string) => {
      const url = new URL(input, "http://localhost");
      requests.push(url);
      return reply(url);
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, "", "/frontend/");
});

describe("submissions filters", () => {
  it("ask for answers with any of the ticked options, and put them in the URL", async () => {
    show();
    await screen.findByTestId("submissions-table");
    fireEvent.change(condition().getByLabelText(en("submissions.filterField")), {
      target: { value: "color" },
    });
    fireEvent.click(condition().getByLabelText("Red"));
    fireEvent.click(condition().getByLabelText("Blue"));
    apply();
    await waitFor(() => expect(lastListQuery()).toEqual({ "field.color": ["red", "blue"] }));
    expect(new URLSearchParams(location.search).getAll("field.color")).toEqual(["red", "blue"]);
  });

  it("search text questions by contains", async () => {
    show();
    await screen.findByTestId("submissions-table");
    fireEvent.change(condition().getByLabelText(en("submissions.filterField")), {
      target: { value: "name" },
    });
    const contains = condition().getByLabelText(en("submissions.contains"));
    // The API's bound, from the shared limits: longer text is not typed only to be refused.
    expect(contains.getAttribute("maxlength")).toBe(String(FILTER_CONTAINS_MAX_LENGTH));
    fireEvent.change(contains, { target: { value: " ana " } });
    apply();
    await waitFor(() => expect(lastListQuery()).toEqual({ "contains.name": ["ana"] }));
    expect(location.search).toBe("?contains.name=ana");
  });

  it("start from the URL (a reload or a shared link), and follow it back", async () => {
    show("field.color=red&field.color=green&contains.name=an&from=2026-01-01");
    await screen.findByTestId("submissions-table");
    expect(lastListQuery()).toMatchObject({
      "field.color": ["red", "green"],
      "contains.name": ["an"],
      from: [new Date("2026-01-01T00:00:00").toISOString()],
    });
    expect((screen.getByLabelText(en("submissions.from")) as HTMLInputElement).value).toBe("2026-01-01");
    const color = screen.getAllByTestId("filter-condition").find((c) => within(c).queryByLabelText("Red"));
    expect((within(color as HTMLElement).getByLabelText("Red") as HTMLInputElement).checked).toBe(true);
    expect((within(color as HTMLElement).getByLabelText("Blue") as HTMLInputElement).checked).toBe(false);
    expect((within(color as HTMLElement).getByLabelText("Green") as HTMLInputElement).checked).toBe(true);

    fireEvent.click(screen.getByRole("button", { name: en("submissions.clear") }));
    await waitFor(() => expect(lastListQuery()).toEqual({}));
    expect(location.search).toBe("");
    // Back: the browser restores the URL, the page its filters.
    act(() => {
      history.replaceState(null, "", `${PAGE}?field.color=blue`);
      dispatchEvent(new PopStateEvent("popstate"));
    });
    await waitFor(() => expect(lastListQuery()).toEqual({ "field.color": ["blue"] }));
    expect((condition().getByLabelText("Blue") as HTMLInputElement).checked).toBe(true);
  });

  it("show a From after To next to To, without asking the API", async () => {
    show();
    await screen.findByTestId("submissions-table");
    const asked = requests.length;
    fireEvent.change(screen.getByLabelText(en("submissions.from")), { target: { value: "2026-02-10" } });
    fireEvent.change(screen.getByLabelText(en("submissions.to")), { target: { value: "2026-02-01" } });
    apply();
    const to = screen.getByLabelText(en("submissions.to"));
    expect(to.getAttribute("aria-invalid")).toBe("true");
    const described = document.getElementById(to.getAttribute("aria-describedby") ?? "");
    expect(described?.textContent).toBe(en("submissions.filterError.to_before_from"));
    expect(requests.length).toBe(asked);
    expect(location.search).toBe("");
    expect(screen.queryByText(en("submissions.noneMatching"))).toBeNull();
  });

  it("show the API's 400 errors next to the filter they name", async () => {
    reply = (url) =>
      url.searchParams.has("field.age")
        ? json(
            {
              status: 400,
              code: "bad_request",
              detail: "Some filters are not valid.",
              errors: [
                { path: "field.age", code: "invalid_type", message: "Expected a number." },
                { path: "bbox", code: "invalid_bbox", message: "Use bbox=…" },
              ],
            },
            400,
          )
        : json({ items: [ana], nextCursor: null });
    show("field.age=abc&bbox=1,2,3,4");
    // A number input cannot hold "abc": the condition is found by its question.
    await screen.findByRole("alert");
    const row = screen
      .getAllByTestId("filter-condition")
      .find(
        (c) => (within(c).getByLabelText(en("submissions.filterField")) as HTMLSelectElement).value === "age",
      );
    const age = within(row as HTMLElement).getByLabelText(en("submissions.equals"));
    const described = () => document.getElementById(age.getAttribute("aria-describedby") ?? "");
    await waitFor(() => expect(described()?.textContent).toBe(en("submissions.filterError.invalid_type")));
    expect(age.getAttribute("aria-invalid")).toBe("true");
    expect(within(filterForm()).getByText(en("submissions.filterError.invalid_bbox"))).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toBe(en("submissions.filtersInvalid"));
  });
});
