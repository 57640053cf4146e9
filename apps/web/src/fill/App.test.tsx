/** @jsxImportSource preact */
import "fake-indexeddb/auto";
import { fireEvent, getByLabelText, getByRole, waitFor } from "@testing-library/dom";
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { twoPageForm } from "../renderer/test-fixtures";
import { App, type AppProps } from "./App";
import { Outbox } from "./outbox";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const formBody = { slug: "survey", title: "Survey", version: 1, definition: twoPageForm };

let container: HTMLElement;
let outbox: Outbox;
let n = 0;
let scrollTo: ReturnType<typeof vi.fn>;
beforeEach(() => {
  localStorage.clear();
  container = document.createElement("div");
  document.body.append(container);
  scrollTo = vi.fn();
  vi.stubGlobal("scrollTo", scrollTo); // jsdom has no layout
});
afterEach(() => {
  act(() => render(null, container));
  container.remove();
  outbox?.stop();
  vi.unstubAllGlobals();
});

function start(loadFetch: typeof fetch, postFetch: typeof fetch, extra: Partial<AppProps> = {}) {
  outbox = new Outbox({ fetch: postFetch, dbName: `app${++n}`, target: new EventTarget() });
  act(() =>
    render(<App slug="survey" outbox={outbox} fetch={loadFetch} initialLocale="en" {...extra} />, container),
  );
}

/** The screen changed: scrolled to the top, focus on the heading named `name`. */
async function screenShown(name: string) {
  const heading = await waitFor(() => getByRole(container, "heading", { name }));
  await waitFor(() => expect(document.activeElement).toBe(heading));
  expect(scrollTo).toHaveBeenLastCalledWith(0, 0);
}

const byText = (text: string) => waitFor(() => expect(container.textContent).toContain(text));

describe("fill App states", () => {
  it("shows not found and closed clearly", async () => {
    start(vi.fn(async () => json(404, { code: "not_found" })) as typeof fetch, vi.fn() as typeof fetch);
    await byText("Form not found");
    act(() => render(null, container));
    start(vi.fn(async () => json(410, { code: "form_closed" })) as typeof fetch, vi.fn() as typeof fetch);
    await byText("This form is no longer accepting responses.");
  });

  it("offers a retry after a network error", async () => {
    const load = vi.fn(async (): Promise<Response> => {
      throw new TypeError("offline");
    });
    start(load as unknown as typeof fetch, vi.fn() as typeof fetch);
    await byText("Could not load the form");
    load.mockImplementation(async () => json(200, formBody));
    act(() => void fireEvent.click(getByRole(container, "button", { name: "Try again" })));
    await byText("Page 1 of 2");
  });

  async function fillBothPages() {
    await byText("Page 1 of 2");
    act(() => void fireEvent.input(getByLabelText(container, /^Your name/), { target: { value: "Ana" } }));
    act(() => void fireEvent.input(getByLabelText(container, /^Age/), { target: { value: "30" } }));
    act(() => void fireEvent.click(getByRole(container, "button", { name: "Next" })));
    act(() => void fireEvent.click(getByLabelText(container, "No")));
    const draft = JSON.parse(localStorage.getItem("coleta.draft.survey") ?? "{}");
    expect(draft.answers).toEqual({ name: "Ana", age: 30, has_pet: false });
    act(() => void fireEvent.click(getByRole(container, "button", { name: "Submit" })));
    return draft.id as string;
  }

  it("queues offline, says so, and reaches Sent when the outbox delivers", async () => {
    let online = false;
    const post = vi.fn(async () => {
      if (!online) throw new TypeError("offline");
      return json(201, { id: "x", receivedAt: "2026-01-01T10:00:00Z" });
    });
    start(vi.fn(async () => json(200, formBody)) as typeof fetch, post as unknown as typeof fetch);
    const id = await fillBothPages();
    await byText("Saved on this device — will be sent when you're back online");
    expect(localStorage.getItem("coleta.draft.survey")).toBeNull();
    online = true;
    await act(() => outbox.flush(true));
    await screenShown("Thank you!");
    expect(getByRole(container, "button", { name: "Fill in another response" }).className).toBe(
      "cf-button cf-secondary",
    );
    const body = JSON.parse(String((post.mock.calls.at(-1) as unknown as [string, RequestInit])[1].body));
    expect(body).toEqual({ id, answers: { name: "Ana", age: 30, has_pet: false } });
  });

  it("brings a 422 back to the form with the error next to the field", async () => {
    const post = vi.fn(async () =>
      json(422, {
        code: "validation_failed",
        errors: [{ path: "name", code: "too_short", message: "short", params: { min: 5 } }],
      }),
    );
    start(vi.fn(async () => json(200, formBody)) as typeof fetch, post as unknown as typeof fetch);
    await fillBothPages();
    await byText("Enter at least 5 characters.");
    const name = getByLabelText(container, /^Your name/);
    expect(name.getAttribute("aria-invalid")).toBe("true");
    expect((name as HTMLInputElement).value).toBe("Ana");
  });

  it("makes the end screens' actions real buttons, scrolls up and focuses each screen's heading", async () => {
    const post = vi.fn(async (): Promise<Response> => {
      throw new TypeError("offline");
    });
    start(vi.fn(async () => json(200, formBody)) as typeof fetch, post as unknown as typeof fetch);
    await fillBothPages();
    await screenShown("Saved on this device");
    expect(container.firstElementChild?.classList.contains("cf-theme")).toBe(true); // the colours reach every screen
    const sendNow = getByRole(container, "button", { name: "Send now" });
    expect(sendNow.className).toBe("cf-button cf-primary");
    const another = getByRole(container, "button", { name: "Fill in another response" });
    expect(another.className).toBe("cf-button cf-secondary");

    scrollTo.mockClear();
    act(() => void fireEvent.click(another));
    // A fresh form: from the top, focus on its first heading; the queued one is counted (singular).
    await waitFor(() => expect(document.activeElement?.textContent).toBe("About you"));
    expect(scrollTo).toHaveBeenLastCalledWith(0, 0);
    expect(container.textContent).toContain("1 response waiting to be sent from this device.");
    expect((getByLabelText(container, /^Your name/) as HTMLInputElement).value).toBe("");
  });

  it("uses the form embedded in the page without fetching it", async () => {
    const load = vi.fn(async () => json(500, {}));
    start(load as unknown as typeof fetch, vi.fn() as typeof fetch, {
      embedded: { kind: "ok", form: formBody },
    });
    await byText("Page 1 of 2");
    expect(load).not.toHaveBeenCalled();
    expect(JSON.parse(localStorage.getItem("coleta.form.survey") ?? "null")).toEqual(formBody);
  });
});
