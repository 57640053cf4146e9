import type { FormDefinition } from "@coleta/forms";
import { API_BASE } from "../config";

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
  | { kind: "error"; status?: number };

export async function loadPublicForm(
  slug: string,
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
  base = API_BASE,
): Promise<LoadResult> {
  let res: Response;
  try {
    res = await fetchImpl(`${base}/public/forms/${encodeURIComponent(slug)}`, {
      headers: { accept: "application/json" },
      cache: "no-store",
    });
  } catch {
    return { kind: "error" };
  }
  if (res.status === 404) return { kind: "not_found" };
  if (res.status === 410) return { kind: "closed" };
  if (!res.ok) return { kind: "error", status: res.status };
  try {
    return { kind: "ok", form: (await res.json()) as PublicForm };
  } catch {
    return { kind: "error", status: res.status };
  }
}

/** The slug of `/frontend/f/<slug>` (any prefix before `/f/`). */
export function slugFromPath(pathname: string): string | null {
  const match = /\/f\/([^/?#]+)\/?$/.exec(pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}
