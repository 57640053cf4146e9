import type { FormDefinition } from "@coleta/forms";
import { API_BASE } from "../config";
import { getJson, type JsonResult } from "../get-json";

export { API_BASE };

export interface PublicForm {
  slug: string;
  title: string;
  version: number;
  definition: FormDefinition;
}

export type LoadResult =
  | { kind: "ok"; form: PublicForm }
  | { kind: "not_found" }
  | { kind: "closed" }
  | { kind: "error"; status?: number | undefined };

/** What GET /public/forms/{slug} answered, as the page's states. */
function toLoadResult(res: JsonResult<PublicForm>): LoadResult {
  if (res.ok) return { kind: "ok", form: res.body };
  if (res.status === 404) return { kind: "not_found" };
  if (res.status === 410) return { kind: "closed" };
  return { kind: "error", status: res.status };
}

export async function loadPublicForm(
  slug: string,
  fetchImpl?: typeof fetch,
  base = API_BASE,
): Promise<LoadResult> {
  return toLoadResult(
    await getJson<PublicForm>(`${base}/public/forms/${encodeURIComponent(slug)}`, {}, fetchImpl),
  );
}

/** Id of the `<script type="application/json">` the API serves the page with (apps/api/src/http/fill-page.ts). */
export const EMBEDDED_FORM_ID = "coleta-form";

/**
 * The form the API embedded in the page it served (what GET /public/forms/{slug} answers, sent only
 * for a form that takes responses), which saves a round trip before the first question shows. Null
 * when there is none (a static host, a closed or unknown form) or it is another form's (the offline
 * shell of a different form, kept by the service worker).
 */
export function readEmbeddedForm(slug: string, doc: Document = document): LoadResult | null {
  const text = doc.getElementById(EMBEDDED_FORM_ID)?.textContent;
  if (!text) return null;
  try {
    const form = JSON.parse(text) as Partial<PublicForm> | null;
    return form?.slug === slug && typeof form.definition === "object"
      ? { kind: "ok", form: form as PublicForm }
      : null;
  } catch {
    return null;
  }
}

/** The slug of `/frontend/f/<slug>` (any prefix before `/f/`). */
export function slugFromPath(pathname: string): string | null {
  const match = /\/f\/([^/?#]+)\/?$/.exec(pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}
