// The health-check canary's step logic (canary/steps.mjs) and its handler wiring
// (canary/health-check.mjs), run against a tiny local HTTP server that plays CloudFront + the API:
// a fake respondent page at /frontend/f/<slug>, the public form endpoint and the submission endpoint.
// openForm runs in Debian's Chromium through playwright-core (skipped with a notice when Chromium is
// missing, except in CI); submitAnswer uses a Playwright APIRequestContext, which needs no browser.
// Not covered here: the real @aws/synthetics-playwright library (a stand-in records the steps), the
// runtime's Playwright 1.58 (1.65 here), and anything that only happens in AWS (metrics, artifacts).
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type APIRequestContext, type Browser, chromium, request } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ANSWER_PREFIX,
  buildSubmission,
  CheckFailure,
  checkPageResponse,
  checkSubmissionResponse,
  formApiUrl,
  formPageUrl,
  openForm,
  parsePublicForm,
  type Settings,
  STEPS,
  settingsFromEnv,
  submissionUrl,
  submitAnswer,
} from "../canary/steps.mjs";
import { HEALTH_CHECK_STEPS } from "../lib/constructs/health-check-canary.js";

const SLUG = "health-check";
const TITLE = "Coleta health check";
type Field = { id: string; type: string } & Record<string, unknown>;
const definition = (fields: Field[], pageExtra: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  title: TITLE,
  pages: [{ id: "p1", fields, ...pageExtra }],
});
const HEALTH_FORM = definition([{ id: "note", type: "short_text", label: "Anything to say?" }]);
const settings = (baseUrl: string): Settings => ({ baseUrl, slug: SLUG, timeoutMs: 5_000 });
const failure = async (promise: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(CheckFailure);
    return (error as Error).message;
  }
  throw new Error("expected a CheckFailure");
};

describe("pure step logic", () => {
  const s = settings("https://coleta.example.com");

  it("reads its settings from the environment and refuses a misconfiguration in plain words", () => {
    expect(
      settingsFromEnv({ COLETA_BASE_URL: "https://coleta.example.com/", COLETA_FORM_SLUG: "health-check" }),
    ).toEqual({ baseUrl: "https://coleta.example.com", slug: "health-check", timeoutMs: 20_000 });
    expect(() => settingsFromEnv({ COLETA_BASE_URL: "coleta.example.com", COLETA_FORM_SLUG: "x" })).toThrow(
      /^PLATFORM: the canary is misconfigured: COLETA_BASE_URL/,
    );
    expect(() => settingsFromEnv({ COLETA_BASE_URL: "https://coleta.example.com" })).toThrow(
      /COLETA_FORM_SLUG is empty/,
    );
  });

  it("builds the respondent URLs the web app and the API use", () => {
    expect(formPageUrl(s)).toBe("https://coleta.example.com/frontend/f/health-check");
    expect(formApiUrl(s)).toBe("https://coleta.example.com/backend/public/forms/health-check");
    expect(submissionUrl(s)).toBe("https://coleta.example.com/backend/public/forms/health-check/submissions");
  });

  it("answers the one optional short text question with the time, within its length limits", () => {
    const now = new Date("2026-05-04T03:02:01.000Z");
    expect(buildSubmission(HEALTH_FORM, { id: "i", now })).toEqual({
      id: "i",
      answers: { note: `${ANSWER_PREFIX} 2026-05-04T03:02:01.000Z` },
    });
    const short = buildSubmission(definition([{ id: "n", type: "short_text", maxLength: 10 }]), {
      id: "i",
      now,
    });
    expect(short.answers.n).toBe(ANSWER_PREFIX.slice(0, 10));
    const long = buildSubmission(definition([{ id: "n", type: "short_text", minLength: 60 }]), {
      id: "i",
      now,
    });
    expect(long.answers.n?.length).toBe(60);
  });

  it("sends no answer for questions it cannot fill safely, and refuses a form with required ones", async () => {
    const now = new Date();
    expect(buildSubmission(definition([]), { id: "i", now }).answers).toEqual({});
    const patterned = definition([{ id: "code", type: "short_text", pattern: "[0-9]+" }]);
    expect(buildSubmission(patterned, { id: "i", now }).answers).toEqual({});
    const hidden = definition([{ id: "x", type: "short_text", required: true, visibleWhen: { field: "y" } }]);
    expect(buildSubmission(hidden, { id: "i", now }).answers).toEqual({});
    const required = definition([
      { id: "note", type: "short_text" },
      { id: "age", type: "number", required: true },
    ]);
    expect(await failure(() => buildSubmission(required, { id: "i", now }))).toMatch(
      /^FORM CHANGED: .*required questions the check cannot answer \(age\)/,
    );
  });

  it("accepts 201 (stored) and 200 (a retry) with a receipt, and names every refusal", async () => {
    const receipt = JSON.stringify({ id: "abc", receivedAt: "2026-01-01T00:00:00Z" });
    expect(checkSubmissionResponse(201, receipt, s)).toMatchObject({ id: "abc" });
    expect(checkSubmissionResponse(200, receipt, s)).toMatchObject({ id: "abc" });
    expect(await failure(() => checkSubmissionResponse(201, "{}", s))).toMatch(/without a receipt/);
    const problem = JSON.stringify({
      title: "Unprocessable Content",
      detail: "Some answers need attention.",
    });
    expect(await failure(() => checkSubmissionResponse(422, problem, s))).toMatch(
      /^BACKEND: the answer was refused as invalid \(HTTP 422\) \(Unprocessable Content: Some answers need attention\.\)/,
    );
    expect(await failure(() => checkSubmissionResponse(429, "", s))).toMatch(/^BACKEND: .*too many answers/);
    expect(await failure(() => checkSubmissionResponse(404, "", s))).toMatch(
      /^FORM MISSING: .*"health-check"/,
    );
    expect(await failure(() => checkSubmissionResponse(410, "", s))).toMatch(/^FORM CLOSED/);
    expect(await failure(() => checkSubmissionResponse(403, "", s))).toMatch(/^PLATFORM: .*firewall/);
    expect(await failure(() => checkSubmissionResponse(503, "", s))).toMatch(
      /^BACKEND: the server failed to store the answer \(HTTP 503\)/,
    );
  });

  it("judges the page and the published form", async () => {
    expect(() => checkPageResponse(200, "text/html; charset=utf-8", "u")).not.toThrow();
    expect(await failure(() => checkPageResponse(502, "text/html", "u"))).toMatch(/^FRONTEND: .*HTTP 502/);
    expect(await failure(() => checkPageResponse(200, "application/xml", "u"))).toMatch(
      /instead of a web page/,
    );
    const form = JSON.stringify({ slug: SLUG, title: TITLE, version: 1, definition: HEALTH_FORM });
    expect(parsePublicForm(200, form, s, "x").title).toBe(TITLE);
    expect(await failure(() => parsePublicForm(500, "", s, "the check asked for it"))).toMatch(
      /^BACKEND: the API failed with HTTP 500 when the check asked for it/,
    );
    expect(await failure(() => parsePublicForm(200, "<html>", s, "x"))).toMatch(/not with JSON/);
  });

  it("uses the step names the alarms watch", () => {
    expect(STEPS).toEqual({ openForm: "open-form", submitAnswer: "submit-answer" });
    expect(HEALTH_CHECK_STEPS).toBe(STEPS);
  });
});

// --- A fake Coleta on localhost ---------------------------------------------------------------------

interface FakeState {
  pageStatus: number;
  /** "render": fetch the form and show it; "no-fetch": the page's program never runs; "no-render". */
  pageMode: "render" | "no-fetch" | "no-render";
  formStatus: number;
  form: unknown;
  submitStatus: number;
  submitBody: (body: { id: string }) => unknown;
  received: Array<{ contentType: string | undefined; body: unknown }>;
}

const fresh = (): FakeState => ({
  pageStatus: 200,
  pageMode: "render",
  formStatus: 200,
  form: { slug: SLUG, title: TITLE, version: 3, definition: HEALTH_FORM },
  submitStatus: 201,
  submitBody: (body) => ({ id: body.id, receivedAt: new Date().toISOString(), duplicate: false }),
  received: [],
});
let state = fresh();

const FILL_PAGE = (mode: FakeState["pageMode"]) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Coleta</title></head>
<body><main id="root">Loading…</main>
<script>
  const mode = ${JSON.stringify(mode)};
  if (mode !== "no-fetch") {
    const slug = location.pathname.split("/f/")[1];
    fetch("/backend/public/forms/" + encodeURIComponent(slug), { headers: { accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((form) => {
        if (mode === "no-render") return;
        document.title = form.title + " · Coleta";
        const root = document.getElementById("root");
        root.innerHTML = "";
        const h1 = document.createElement("h1");
        h1.textContent = form.title;
        const input = document.createElement("input");
        input.setAttribute("aria-label", "Anything to say?");
        root.append(h1, input);
      })
      .catch((e) => { document.getElementById("root").textContent = "Could not load the form " + e.message; });
  }
</script></body></html>`;

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { "content-type": type });
  res.end(body);
}

function handle(req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (req.method === "GET" && path === `/frontend/f/${SLUG}`) {
    if (state.pageStatus !== 200) return send(res, state.pageStatus, "text/html", "<h1>Bad gateway</h1>");
    return send(res, 200, "text/html; charset=utf-8", FILL_PAGE(state.pageMode));
  }
  if (req.method === "GET" && path === `/backend/public/forms/${SLUG}`) {
    if (state.formStatus !== 200) {
      return send(res, state.formStatus, "application/problem+json", JSON.stringify({ title: "Error" }));
    }
    return send(res, 200, "application/json", JSON.stringify(state.form));
  }
  if (req.method === "POST" && path === `/backend/public/forms/${SLUG}/submissions`) {
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      const body = JSON.parse(raw) as { id: string };
      state.received.push({ contentType: req.headers["content-type"], body });
      const ok = state.submitStatus === 200 || state.submitStatus === 201;
      send(
        res,
        state.submitStatus,
        ok ? "application/json" : "application/problem+json",
        JSON.stringify(ok ? state.submitBody(body) : { title: "Unprocessable Content", detail: "nope" }),
      );
    });
    return;
  }
  send(res, 404, "text/plain", "not found");
}

let server: Server;
let baseUrl = "";
beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  state = fresh();
});

describe("submit-answer step against a local API (Playwright APIRequestContext)", () => {
  let api: APIRequestContext;
  beforeAll(async () => {
    api = await request.newContext();
  });
  afterAll(async () => {
    await api.dispose();
  });

  it("reads the published form and posts one JSON answer with a fresh UUID", async () => {
    const receipt = await submitAnswer(api, settings(baseUrl));
    expect(state.received).toHaveLength(1);
    const [sent] = state.received;
    expect(sent?.contentType).toMatch(/^application\/json/);
    const body = sent?.body as { id: string; answers: Record<string, string> };
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body.answers.note).toMatch(new RegExp(`^${ANSWER_PREFIX} \\d{4}-\\d\\d-\\d\\dT`));
    expect(receipt.id).toBe(body.id);
    await submitAnswer(api, settings(baseUrl));
    expect(state.received[1]?.body).not.toMatchObject({ id: body.id });
  });

  it("passes on 200 (a retry of a stored id)", async () => {
    state.submitStatus = 200;
    await expect(submitAnswer(api, settings(baseUrl), { id: "fixed-id" })).resolves.toMatchObject({
      id: "fixed-id",
    });
  });

  it("fails with the backend's words on 422, 5xx, a missing form and an unreachable API", async () => {
    state.submitStatus = 422;
    expect(await failure(submitAnswer(api, settings(baseUrl)))).toMatch(/^BACKEND: .*invalid \(HTTP 422\)/);
    state.submitStatus = 500;
    expect(await failure(submitAnswer(api, settings(baseUrl)))).toMatch(/^BACKEND: the server failed/);
    state.formStatus = 404;
    expect(await failure(submitAnswer(api, settings(baseUrl)))).toMatch(/^FORM MISSING/);
    const closed = `http://127.0.0.1:1`;
    expect(await failure(submitAnswer(api, settings(closed)))).toMatch(
      /^BACKEND: could not reach http:\/\/127/,
    );
  });
});

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI !== "true") {
  console.warn(
    `infra canary test: ${CHROMIUM} not found, browser steps skipped (apt-get install -y chromium).`,
  );
}
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"];

describe.runIf(hasChromium || process.env.CI === "true")("open-form step in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });
  const withPage = async <T>(fn: (page: import("playwright-core").Page) => Promise<T>) => {
    const context = await browser.newContext();
    try {
      return await fn(await context.newPage());
    } finally {
      await context.close();
    }
  };

  it("passes when the page shows the form's title and question", async () => {
    await expect(withPage((page) => openForm(page, settings(baseUrl)))).resolves.toEqual({ title: TITLE });
  });

  it("fails as the frontend's problem when the page itself errors", async () => {
    state.pageStatus = 502;
    expect(await failure(withPage((page) => openForm(page, settings(baseUrl))))).toMatch(
      /^FRONTEND: the form page .* answered HTTP 502/,
    );
  });

  it("says when the page's program never asks for the form, or never shows it", async () => {
    state.pageMode = "no-fetch";
    const quick = { ...settings(baseUrl), timeoutMs: 1_500 };
    expect(await failure(withPage((page) => openForm(page, quick)))).toMatch(
      /never asked the API for the form/,
    );
    state.pageMode = "no-render";
    expect(await failure(withPage((page) => openForm(page, quick)))).toMatch(
      /^FRONTEND: the form page got the form "Coleta health check" from the API but did not show/,
    );
  });

  it("names the API when the page cannot get the form from it", async () => {
    state.formStatus = 503;
    expect(await failure(withPage((page) => openForm(page, settings(baseUrl))))).toMatch(
      /^BACKEND: the API failed with HTTP 503 when the form page asked for it/,
    );
  });
});

// --- The handler, with a stand-in for the Synthetics library ----------------------------------------

const synthetics = vi.hoisted(() => ({
  steps: [] as Array<{ name: string; ok: boolean; error?: string }>,
  closed: 0,
  browser: null as Browser | null,
}));

vi.mock("@aws/synthetics-playwright", () => ({
  synthetics: {
    launch: async () => {
      if (!synthetics.browser) throw new Error("no browser");
      return synthetics.browser;
    },
    newPage: async (b: Browser) => (await b.newContext()).newPage(),
    executeStep: async (name: string, fn: () => Promise<unknown>) => {
      try {
        const result = await fn();
        synthetics.steps.push({ name, ok: true });
        return result;
      } catch (error) {
        synthetics.steps.push({ name, ok: false, error: (error as Error).message });
        throw error;
      }
    },
    close: async () => {
      synthetics.closed++;
    },
  },
}));

describe.runIf(hasChromium || process.env.CI === "true")("handler (health-check.mjs)", () => {
  beforeAll(async () => {
    synthetics.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await synthetics.browser?.close();
  });
  beforeEach(() => {
    synthetics.steps = [];
    synthetics.closed = 0;
    vi.stubEnv("COLETA_BASE_URL", baseUrl);
    vi.stubEnv("COLETA_FORM_SLUG", SLUG);
    vi.stubEnv("COLETA_STEP_TIMEOUT_MS", "5000");
  });

  it("runs open-form then submit-answer and closes the browser", async () => {
    const { handler } = await import("../canary/health-check.mjs");
    await handler();
    expect(synthetics.steps).toEqual([
      { name: "open-form", ok: true },
      { name: "submit-answer", ok: true },
    ]);
    expect(synthetics.closed).toBe(1);
    expect(state.received).toHaveLength(1);
  });

  it("still submits when the page is broken, then fails the run with the page's message", async () => {
    state.pageStatus = 503;
    const { handler } = await import("../canary/health-check.mjs");
    await expect(handler()).rejects.toThrow(/^FRONTEND: .*HTTP 503/);
    expect(synthetics.steps.map((s) => [s.name, s.ok])).toEqual([
      ["open-form", false],
      ["submit-answer", true],
    ]);
    expect(synthetics.closed).toBe(1);
  });

  it("fails both steps (so both alarms see it) when the canary is misconfigured", async () => {
    vi.stubEnv("COLETA_FORM_SLUG", "");
    const { handler } = await import("../canary/health-check.mjs");
    await expect(handler()).rejects.toThrow(/misconfigured/);
    expect(synthetics.steps.map((s) => [s.name, s.ok])).toEqual([
      ["open-form", false],
      ["submit-answer", false],
    ]);
  });
});
