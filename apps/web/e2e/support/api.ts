// Thin API helpers for e2e setup: sign up an owner, create, publish and close forms, read submissions.
import type { FormDefinition } from "@coleta/forms";

export interface ApiSession {
  url: string;
  /** `name=value; name2=value2` — send as the Cookie header. */
  cookie: string;
  user: { id: string; name: string; email: string };
  orgId: string;
  email: string;
  password: string;
  /** fetch against `${url}/backend${path}` with this session's cookie and a JSON body. */
  request(method: string, path: string, body?: unknown): Promise<Response>;
  /** Like request, but throws on a non-2xx status and returns the parsed JSON body. */
  json<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

export interface CreatedForm {
  id: string;
  slug: string;
  /** Absolute URL of the respondent page: `${url}/frontend/f/${slug}`. */
  fillUrl: string;
}

function mergeCookies(jar: Map<string, string>, res: Response): void {
  for (const header of res.headers.getSetCookie()) {
    const [pair] = header.split(";");
    const i = pair?.indexOf("=") ?? -1;
    if (pair && i > 0) jar.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

async function ensureOk(res: Response, what: string): Promise<Response> {
  if (!res.ok) throw new Error(`${what} → ${res.status}: ${await res.text()}`);
  return res;
}

function sessionFrom(url: string, jar: Map<string, string>, email: string, password: string) {
  const request = (method: string, path: string, body?: unknown) =>
    fetch(`${url}/backend${path}`, {
      method,
      headers: {
        cookie: cookieHeader(jar),
        origin: url,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await ensureOk(await request(method, path, body), `${method} ${path}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };
  return { request, json, email, password, url };
}

async function finish(url: string, jar: Map<string, string>, email: string, password: string) {
  const base = sessionFrom(url, jar, email, password);
  const me = await base.json<{
    user: ApiSession["user"];
    organizations: { id: string; role: string }[];
  }>("GET", "/me");
  let orgId = me.organizations.find((o) => o.role === "owner")?.id ?? me.organizations[0]?.id;
  if (!orgId) orgId = (await base.json<{ id: string }>("POST", "/orgs", { name: "E2E org" })).id;
  return { ...base, cookie: cookieHeader(jar), user: me.user, orgId } satisfies ApiSession;
}

/**
 * Signs up (the first account on a fresh stack becomes owner of a first organization) and returns a
 * cookie session. Creates an organization when the account has none.
 */
export async function signUpOwner(
  url: string,
  who: { name?: string; email?: string; password?: string } = {},
): Promise<ApiSession> {
  const email = who.email ?? `owner-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = who.password ?? "correct horse battery staple";
  const jar = new Map<string, string>();
  const res = await fetch(`${url}/backend/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ name: who.name ?? "E2E Owner", email, password }),
  });
  await ensureOk(res, "sign-up");
  mergeCookies(jar, res);
  if (jar.size === 0) return signIn(url, email, password);
  return finish(url, jar, email, password);
}

export async function signIn(url: string, email: string, password: string): Promise<ApiSession> {
  const jar = new Map<string, string>();
  const res = await fetch(`${url}/backend/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email, password }),
  });
  await ensureOk(res, "sign-in");
  mergeCookies(jar, res);
  return finish(url, jar, email, password);
}

/** Creates a form with this draft definition (not published). */
export async function createForm(
  session: ApiSession,
  definition: FormDefinition,
  options: { slug?: string; title?: string } = {},
): Promise<CreatedForm> {
  const created = await session.json<{ id: string; slug: string }>("POST", `/orgs/${session.orgId}/forms`, {
    title: options.title ?? definition.title,
    ...(options.slug ? { slug: options.slug } : {}),
  });
  const updated = await session.json<{ id: string; slug: string }>(
    "PUT",
    `/orgs/${session.orgId}/forms/${created.id}`,
    { draft: definition },
  );
  return { id: updated.id, slug: updated.slug, fillUrl: `${session.url}/frontend/f/${updated.slug}` };
}

export async function publishForm(session: ApiSession, formId: string): Promise<{ version: number }> {
  return session.json("POST", `/orgs/${session.orgId}/forms/${formId}/publish`);
}

/** createForm + publishForm. */
export async function createPublishedForm(
  session: ApiSession,
  definition: FormDefinition,
  options: { slug?: string; title?: string } = {},
): Promise<CreatedForm> {
  const form = await createForm(session, definition, options);
  await publishForm(session, form.id);
  return form;
}

export async function closeForm(session: ApiSession, formId: string): Promise<void> {
  await session.json("POST", `/orgs/${session.orgId}/forms/${formId}/close`);
}

export interface SubmissionRow {
  id: string;
  formVersion: number;
  answers: Record<string, unknown>;
  receivedAt: string;
}

/** Every submission of a form (follows the cursor), newest first. */
export async function listSubmissions(session: ApiSession, formId: string): Promise<SubmissionRow[]> {
  const out: SubmissionRow[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page: { items: SubmissionRow[]; nextCursor: string | null } = await session.json(
      "GET",
      `/orgs/${session.orgId}/forms/${formId}/submissions${query}`,
    );
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** POSTs a submission as a respondent would (no cookie). Returns the raw response. */
export function postPublicSubmission(
  url: string,
  slug: string,
  submission: { id: string; answers: Record<string, unknown> },
): Promise<Response> {
  return fetch(`${url}/backend/public/forms/${encodeURIComponent(slug)}/submissions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(submission),
  });
}
