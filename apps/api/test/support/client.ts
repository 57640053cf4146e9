import { randomUUID } from "node:crypto";

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A user agent with its own cookie jar, talking to one API base URL. */
export class TestClient {
  private cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    // Like a browser, send our own origin on unsafe requests (CSRF checks look at it).
    const own: Record<string, string> =
      method === "GET" || method === "HEAD" ? {} : { origin: new URL(this.baseUrl).origin };
    const init: RequestInit = { method, headers: { ...own, ...headers } };
    if (this.cookies.size) (init.headers as Record<string, string>).cookie = this.cookieHeader;
    if (body !== undefined) {
      (init.headers as Record<string, string>)["content-type"] ??= "application/json";
      init.body = typeof body === "string" ? body : JSON.stringify(body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, init);
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (CSV, HTML): keep the text.
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  /** A GET whose body is left unread (streamed or binary downloads), sent with this client's cookies. */
  raw(path: string): Promise<Response> {
    return fetch(`${this.baseUrl}/backend${path}`, {
      headers: this.cookies.size ? { cookie: this.cookieHeader } : {},
    });
  }

  get = <T = any>(path: string) => this.request<T>("GET", `/backend${path}`);
  post = <T = any>(path: string, body?: unknown) => this.request<T>("POST", `/backend${path}`, body ?? {});
  put = <T = any>(path: string, body: unknown) => this.request<T>("PUT", `/backend${path}`, body);
  patch = <T = any>(path: string, body: unknown) => this.request<T>("PATCH", `/backend${path}`, body);
  delete = <T = any>(path: string) => this.request<T>("DELETE", `/backend${path}`);

  /** A respondent's submission to a published form, under a fresh id unless given one. */
  submit(slug: string, answers: Record<string, unknown>, id: string = randomUUID()) {
    return this.post(`/public/forms/${slug}/submissions`, { id, answers });
  }

  async signUp(
    email = `user-${randomUUID().slice(0, 8)}@example.com`,
    name = "Test User",
    password = "correct-horse-battery",
  ) {
    const reply = await this.post("/auth/sign-up/email", { email, name, password });
    if (reply.status !== 200) throw new Error(`sign-up failed: ${reply.status} ${reply.text}`);
    return { email, password, userId: (reply.body as { user: { id: string } }).user.id };
  }

  async signIn(email: string, password = "correct-horse-battery") {
    const reply = await this.post("/auth/sign-in/email", { email, password });
    if (reply.status !== 200) throw new Error(`sign-in failed: ${reply.status} ${reply.text}`);
    return reply;
  }
}
