// @ts-check
/**
 * Step logic of the health-check canary (health-check.mjs is the CloudWatch Synthetics handler).
 *
 * Kept free of the Synthetics runtime so that infra/aws/test/canary.test.ts runs it against a local
 * HTTP server: `openForm` with a real Chromium page (playwright-core), `submitAnswer` with a
 * Playwright APIRequestContext, and the pure functions directly.
 *
 * No secrets: the canary does only what any respondent does. It opens the published health-check
 * form at https://<domain>/frontend/f/<slug> and sends one answer to the public submission endpoint.
 * Every failure message starts with the team that owns the failing part and says, in plain words,
 * what people would experience; the message is what the canary run shows in CloudWatch.
 */
import { randomUUID } from "node:crypto";

/**
 * The two steps. Their names are the StepName dimension of the canary's SuccessPercent metric,
 * which the alarms watch (lib/constructs/health-check-canary.ts): renaming one renames the metric.
 */
export const STEPS = Object.freeze({
  /** Opening the form page in a browser: the frontend team's part. */
  openForm: "open-form",
  /** Sending one answer to the API: the backend team's part. */
  submitAnswer: "submit-answer",
});

export const API_BASE_PATH = "/backend";
export const DEFAULT_STEP_TIMEOUT_MS = 20_000;
/** What the canary writes in the form's short text question (followed by the time). */
export const ANSWER_PREFIX = "Coleta health check";

/**
 * @typedef {object} Settings
 * @property {string} baseUrl https://<domain>, no trailing slash
 * @property {string} slug link name of the health-check form
 * @property {number} timeoutMs time each wait of a step may take
 */

/** @typedef {{ id: string, type: string, required?: boolean, visibleWhen?: unknown, maxLength?: number, minLength?: number, pattern?: string }} Field */
/** @typedef {{ visibleWhen?: unknown, fields: Field[] }} FormPage */
/** @typedef {{ title: string, pages: FormPage[] }} Definition */
/** @typedef {{ slug: string, title: string, version: number, definition: Definition }} PublicForm */
/** @typedef {{ id: string, answers: Record<string, string> }} Submission */
/** @typedef {{ id: string, receivedAt: string }} Receipt */

/** A check that failed for a known reason; `message` is written for people, not for debuggers. */
export class CheckFailure extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "CheckFailure";
  }
}

/**
 * Settings from the canary's environment variables (set by the CDK stack, never secrets).
 * @param {Record<string, string | undefined>} env
 * @returns {Settings}
 */
export function settingsFromEnv(env) {
  const baseUrl = (env.COLETA_BASE_URL ?? "").replace(/\/+$/, "");
  const slug = (env.COLETA_FORM_SLUG ?? "").trim();
  const timeoutMs = Number(env.COLETA_STEP_TIMEOUT_MS ?? DEFAULT_STEP_TIMEOUT_MS);
  if (!/^https?:\/\/[^/\s]+$/.test(baseUrl)) {
    throw new CheckFailure(
      `PLATFORM: the canary is misconfigured: COLETA_BASE_URL must look like https://<domain>, got "${baseUrl}".`,
    );
  }
  if (!slug) throw new CheckFailure("PLATFORM: the canary is misconfigured: COLETA_FORM_SLUG is empty.");
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new CheckFailure(`PLATFORM: the canary is misconfigured: COLETA_STEP_TIMEOUT_MS="${timeoutMs}".`);
  }
  return { baseUrl, slug, timeoutMs };
}

/** @param {Settings} s */
export const formPageUrl = (s) => `${s.baseUrl}/frontend/f/${encodeURIComponent(s.slug)}`;
/** @param {Settings} s */
export const formApiUrl = (s) => `${s.baseUrl}${API_BASE_PATH}/public/forms/${encodeURIComponent(s.slug)}`;
/** @param {Settings} s */
export const submissionUrl = (s) => `${formApiUrl(s)}/submissions`;

/** First line of an error, for messages. @param {unknown} error */
const firstLine = (error) => String(error instanceof Error ? error.message : error).split("\n")[0];

/**
 * The form page (HTML from CloudFront/S3) must answer 200 with HTML.
 * @param {number} status
 * @param {string} contentType
 * @param {string} url
 */
export function checkPageResponse(status, contentType, url) {
  if (status === 200 && /text\/html/i.test(contentType)) return;
  if (status === 403) {
    throw new CheckFailure(
      `FRONTEND: the form page ${url} answered 403 (forbidden). People cannot open forms. Either the firewall blocked the check (platform) or the web app files are missing (frontend).`,
    );
  }
  if (status === 200) {
    throw new CheckFailure(
      `FRONTEND: the form page ${url} answered with "${contentType}" instead of a web page. People cannot open forms.`,
    );
  }
  throw new CheckFailure(
    `FRONTEND: the form page ${url} answered HTTP ${status} instead of the page. People cannot open forms.`,
  );
}

/**
 * 404 / 410 for the health-check form: someone unpublished, deleted or closed it.
 * @param {number} status
 * @param {Settings} s
 * @param {string} who
 */
function throwIfFormUnavailable(status, s, who) {
  if (status === 404) {
    throw new CheckFailure(
      `FORM MISSING: the health-check form "${s.slug}" does not exist or is not published (HTTP 404 when ${who}). Someone must publish it again with the link name "${s.slug}" (one optional short text question); until then this check fails.`,
    );
  }
  if (status === 410) {
    throw new CheckFailure(
      `FORM CLOSED: the health-check form "${s.slug}" is closed (HTTP 410 when ${who}). Someone must reopen it; until then this check fails.`,
    );
  }
}

/**
 * The published form, as GET /backend/public/forms/<slug> returns it.
 * @param {number} status
 * @param {string} body
 * @param {Settings} s
 * @param {string} who when it happened ("the form page asked for it", …), for the message
 * @returns {PublicForm}
 */
export function parsePublicForm(status, body, s, who) {
  throwIfFormUnavailable(status, s, who);
  if (status === 429) {
    throw new CheckFailure(`BACKEND: the API answered HTTP 429 (too many requests) when ${who}.`);
  }
  if (status >= 500) {
    throw new CheckFailure(
      `BACKEND: the API failed with HTTP ${status} when ${who}. People cannot open forms.`,
    );
  }
  if (status !== 200) {
    throw new CheckFailure(`BACKEND: the API answered HTTP ${status} for the form when ${who}.`);
  }
  /** @type {PublicForm} */
  let form;
  try {
    form = JSON.parse(body);
  } catch {
    throw new CheckFailure(`BACKEND: the API answered 200 but not with JSON for the form when ${who}.`);
  }
  if (!form || typeof form.title !== "string" || !form.definition || !Array.isArray(form.definition.pages)) {
    throw new CheckFailure(`BACKEND: the API answered 200 without a form definition when ${who}.`);
  }
  return form;
}

/**
 * The answer the canary sends: a new id (like a phone does once per fill) and, when the form has
 * an always-visible short text question without a pattern, a short text with the time. Required
 * questions of any other kind cannot be answered: the form must be the documented one.
 * @param {Definition} definition
 * @param {{ id: string, now: Date }} options
 * @returns {Submission}
 */
export function buildSubmission(definition, { id, now }) {
  /** @type {Record<string, string>} */
  const answers = {};
  const unanswerable = [];
  for (const page of definition.pages) {
    for (const field of page.fields ?? []) {
      const visible = !page.visibleWhen && !field.visibleWhen;
      const answerable = visible && field.type === "short_text" && !field.pattern;
      if (answerable && Object.keys(answers).length === 0) {
        const text = `${ANSWER_PREFIX} ${now.toISOString()}`;
        const max = field.maxLength ?? 500;
        const min = field.minLength ?? 0;
        answers[field.id] = text.padEnd(min, ".").slice(0, max);
      } else if (field.required && visible) {
        unanswerable.push(field.id);
      }
    }
  }
  if (unanswerable.length > 0) {
    throw new CheckFailure(
      `FORM CHANGED: the health-check form has required questions the check cannot answer (${unanswerable.join(", ")}). It must have exactly one optional short text question (docs/deploy.md).`,
    );
  }
  return { id, answers };
}

/**
 * What POST /backend/public/forms/<slug>/submissions answered: 201 (stored) or 200 (a retry of a
 * stored id) pass; every other status fails with what it means.
 * @param {number} status
 * @param {string} body
 * @param {Settings} s
 * @returns {Receipt}
 */
export function checkSubmissionResponse(status, body, s) {
  if (status === 201 || status === 200) {
    try {
      const receipt = JSON.parse(body);
      if (typeof receipt.id === "string" && typeof receipt.receivedAt === "string") return receipt;
    } catch {
      // fall through
    }
    throw new CheckFailure(
      `BACKEND: the API answered ${status} to the answer but without a receipt ({ id, receivedAt }).`,
    );
  }
  /** @type {string} */
  let detail = "";
  try {
    const problem = JSON.parse(body);
    detail = [problem.title, problem.detail].filter(Boolean).join(": ");
  } catch {
    // not problem+json
  }
  const suffix = detail ? ` (${detail})` : "";
  if (status === 422 || status === 400) {
    throw new CheckFailure(
      `BACKEND: the answer was refused as invalid (HTTP ${status})${suffix}. Either the health-check form "${s.slug}" was changed (it must have one optional short text question) or checking answers is broken: respondents' answers may be refused too.`,
    );
  }
  if (status === 429) {
    throw new CheckFailure(
      `BACKEND: the answer was refused as "too many answers" (HTTP 429)${suffix}. If respondents get this too, their phones keep the answers and retry.`,
    );
  }
  throwIfFormUnavailable(status, s, "the check sent its answer");
  if (status === 403) {
    throw new CheckFailure(
      `PLATFORM: the answer was blocked before it reached the API (HTTP 403, probably the firewall)${suffix}.`,
    );
  }
  if (status >= 500) {
    throw new CheckFailure(
      `BACKEND: the server failed to store the answer (HTTP ${status})${suffix}. Respondents' answers are not being received (phones keep them and retry).`,
    );
  }
  throw new CheckFailure(`BACKEND: the API answered HTTP ${status} to the answer${suffix}.`);
}

/**
 * Step "open-form" (frontend team): open the form page like a respondent and wait until it shows
 * the form's title and its question. The page fetches the form from the API itself; when that
 * fetch fails, the message says so (the backend's part, seen through the page).
 * @param {import("playwright-core").Page} page
 * @param {Settings} s
 * @returns {Promise<{ title: string }>}
 */
export async function openForm(page, s) {
  const url = formPageUrl(s);
  const apiPath = new URL(formApiUrl(s)).pathname;
  const definitionResponse = page
    .waitForResponse((r) => r.request().method() === "GET" && new URL(r.url()).pathname === apiPath, {
      timeout: s.timeoutMs,
    })
    .catch(() => null);
  /** @type {import("playwright-core").Response | null} */
  let response;
  try {
    response = await page.goto(url, { waitUntil: "domcontentloaded", timeout: s.timeoutMs });
  } catch (error) {
    throw new CheckFailure(
      `FRONTEND: the form page ${url} did not load within ${s.timeoutMs / 1000} s (${firstLine(error)}). People cannot open forms.`,
    );
  }
  checkPageResponse(response?.status() ?? 0, response?.headers()["content-type"] ?? "", url);
  const api = await definitionResponse;
  if (!api) {
    throw new CheckFailure(
      `FRONTEND: the form page ${url} loaded but never asked the API for the form within ${s.timeoutMs / 1000} s: the page's program did not run. People see an empty page.`,
    );
  }
  let body = "";
  try {
    body = await api.text();
  } catch {
    // status alone decides below
  }
  const form = parsePublicForm(api.status(), body, s, "the form page asked for it");
  try {
    await page
      .getByRole("heading", { name: form.title })
      .first()
      .waitFor({ state: "visible", timeout: s.timeoutMs });
    await page.locator("input, textarea").first().waitFor({ state: "visible", timeout: s.timeoutMs });
  } catch {
    throw new CheckFailure(
      `FRONTEND: the form page got the form "${form.title}" from the API but did not show its title and question within ${s.timeoutMs / 1000} s. People see a broken page.`,
    );
  }
  return { title: form.title };
}

/**
 * Step "submit-answer" (backend team): read the published form from the API and send one answer,
 * exactly as the respondent page does (POST with a fresh id). Independent of the page, so a broken
 * page does not hide a working API, and the other way round.
 * @param {import("playwright-core").APIRequestContext} request
 * @param {Settings} s
 * @param {{ id?: string, now?: Date }} [options]
 * @returns {Promise<Receipt>}
 */
export async function submitAnswer(request, s, options = {}) {
  const id = options.id ?? randomUUID();
  const now = options.now ?? new Date();
  /** @param {() => Promise<import("playwright-core").APIResponse>} call @param {string} url */
  const send = async (call, url) => {
    try {
      return await call();
    } catch (error) {
      throw new CheckFailure(
        `BACKEND: could not reach ${url} (${firstLine(error)}). If the "open-form" step fails too, the whole site is unreachable: call the platform team as well.`,
      );
    }
  };
  const formUrl = formApiUrl(s);
  const formResponse = await send(
    () => request.get(formUrl, { headers: { accept: "application/json" }, timeout: s.timeoutMs }),
    formUrl,
  );
  const form = parsePublicForm(formResponse.status(), await formResponse.text(), s, "the check asked for it");
  const submission = buildSubmission(form.definition, { id, now });
  const postUrl = submissionUrl(s);
  const response = await send(
    () =>
      request.post(postUrl, {
        data: submission,
        headers: { "content-type": "application/json", accept: "application/json" },
        timeout: s.timeoutMs,
      }),
    postUrl,
  );
  return checkSubmissionResponse(response.status(), await response.text(), s);
}
