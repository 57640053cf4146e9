/** @jsxImportSource preact */
import { fireEvent, waitFor } from "@testing-library/dom";
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type LoadResult, loadStatus, type StatusDocument } from "./api";
import { Board } from "./Board";

const doc = (status: StatusDocument["status"], lang: "en" | "pt-BR" = "en"): StatusDocument => ({
  status,
  updatedAt: "2026-03-02T17:05:09Z",
  lang,
  timeZone: "UTC",
  scope: "all-replicas",
  replicas: 2,
  windowSeconds: 300,
  components: [
    {
      id: "submissions",
      name: lang === "en" ? "Receiving answers" : "Recebimento de respostas",
      status,
      message:
        status === "ok" ? "Answers are being received." : "Respondents cannot send answers since 17:05",
      since: "2026-03-02T17:05:00Z",
      reason: status === "ok" ? null : "errors",
      cause: null,
      team: { id: "backend", name: "Backend team", contact: "+55 11 5555-0100" },
      call: status === "ok" ? null : { id: "backend", name: "Backend team", contact: "+55 11 5555-0100" },
      runbook: "https://example.org/runbooks/status-submissions.md",
      signals: status === "ok" ? { requests: 40, errors: 0 } : { requests: 40, errors: 12 },
    },
  ],
  timeline:
    status === "ok"
      ? []
      : [
          {
            component: "submissions",
            name: "Receiving answers",
            from: "ok",
            to: status,
            at: "2026-03-02T17:05:00Z",
          },
        ],
});

let container: HTMLElement;
beforeEach(() => {
  localStorage.clear();
  container = document.createElement("div");
  document.body.append(container);
});
afterEach(() => {
  act(() => render(null, container));
  container.remove();
});

describe("status board page", () => {
  it("sends the token as a Bearer header and the language as ?lang", async () => {
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify(doc("ok")), { status: 200 }));
    const result = await loadStatus("pt-BR", "secret-token", fetchImpl as unknown as typeof fetch);
    expect(result.kind).toBe("ok");
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/backend/status?lang=pt-BR");
    expect((init.headers as Record<string, string>).authorization).toBe("Bearer secret-token");
    const noToken = vi.fn(async () => new Response("{}", { status: 401 }));
    expect(await loadStatus("en", null, noToken as unknown as typeof fetch)).toEqual({
      kind: "unauthorized",
    });
    expect((noToken.mock.calls[0] as unknown as [string, RequestInit])[1].headers).not.toHaveProperty(
      "authorization",
    );
  });

  it("shows each level as icon + word, whom to call, the timeline, and a stale warning when a refresh fails", async () => {
    const results: LoadResult[] = [{ kind: "ok", doc: doc("down") }, { kind: "error" }];
    const load = vi.fn(async () => results.shift() ?? { kind: "error" as const });
    act(() => render(<Board initialLocale="en" token={null} load={load} refreshMs={20} />, container));
    await waitFor(() => expect(container.querySelector('[data-component="submissions"]')).not.toBeNull());
    const row = container.querySelector('[data-component="submissions"]') as HTMLElement;
    expect(row.dataset.status).toBe("down");
    expect(row.querySelector(".icon-down")).not.toBeNull();
    expect(row.textContent).toContain("Down");
    expect(row.querySelector("a")?.getAttribute("href")).toBe(
      "https://example.org/runbooks/status-submissions.md",
    );
    expect(container.textContent).toContain("Something is not working.Affected: Receiving answers.");
    expect(container.textContent).toContain("Backend team: +55 11 5555-0100");
    expect(container.textContent).toContain("Updated 17:05:09");
    expect(container.querySelector(".timeline li")?.textContent).toContain(
      "Receiving answers: Working → Down",
    );
    // The next refresh fails: the last data stays, with a visible warning.
    await waitFor(() => expect(container.querySelector('[data-testid="stale"]')).not.toBeNull());
    expect(container.querySelector('[data-component="submissions"]')).not.toBeNull();
  });

  it("switches language and asks the API again in it", async () => {
    const load = vi.fn(async (locale: "en" | "pt-BR") => ({ kind: "ok" as const, doc: doc("ok", locale) }));
    act(() => render(<Board initialLocale="en" token={null} load={load} />, container));
    await waitFor(() => expect(container.textContent).toContain("Everything is working."));
    act(() => {
      fireEvent.click(container.querySelector('button[lang="pt-BR"]') as HTMLElement);
    });
    await waitFor(() => expect(load).toHaveBeenLastCalledWith("pt-BR", null));
    await waitFor(() => expect(container.textContent).toContain("Recebimento de respostas"));
    expect(container.textContent).toContain("Tudo está funcionando.");
    expect(document.documentElement.lang).toBe("pt-BR");
    expect(container.querySelector('button[lang="pt-BR"]')?.getAttribute("aria-pressed")).toBe("true");
  });

  it("ignores an answer in the old language that arrives after a switch", async () => {
    let releaseEnglish: (result: LoadResult) => void = () => {};
    const load = vi.fn((locale: "en" | "pt-BR") =>
      locale === "en"
        ? new Promise<LoadResult>((resolve) => {
            releaseEnglish = resolve;
          })
        : Promise.resolve<LoadResult>({ kind: "ok", doc: doc("ok", "pt-BR") }),
    );
    act(() => render(<Board initialLocale="en" token={null} load={load} refreshMs={50} />, container));
    await waitFor(() => expect(load).toHaveBeenCalledWith("en", null));
    act(() => {
      fireEvent.click(container.querySelector('button[lang="pt-BR"]') as HTMLElement);
    });
    await waitFor(() => expect(container.textContent).toContain("Recebimento de respostas"));
    await act(async () => releaseEnglish({ kind: "ok", doc: doc("down", "en") }));
    await new Promise((r) => setTimeout(r, 120)); // two refresh periods
    expect(container.textContent).toContain("Recebimento de respostas");
    expect(container.textContent).not.toContain("Receiving answers");
    expect(load.mock.calls.filter(([locale]) => locale === "en")).toHaveLength(1);
  });
});
