// One GET of a JSON document from the API, for the Preact pages (fill page, status board): never
// cached by the browser, and never throws, so each page maps the outcome to its own states.

export type JsonResult<T> =
  | { ok: true; status: number; body: T }
  /** A status that is not 2xx, or a 2xx whose body is not JSON; no status when the request failed. */
  | { ok: false; status?: number };

export async function getJson<T>(
  url: string,
  headers: Record<string, string> = {},
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<JsonResult<T>> {
  let res: Response;
  try {
    res = await fetchImpl(url, { headers: { accept: "application/json", ...headers }, cache: "no-store" });
  } catch {
    return { ok: false };
  }
  if (!res.ok) return { ok: false, status: res.status };
  try {
    return { ok: true, status: res.status, body: (await res.json()) as T };
  } catch {
    return { ok: false, status: res.status };
  }
}
