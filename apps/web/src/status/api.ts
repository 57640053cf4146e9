import type { Status } from "@coleta/api/contracts";
import type { Locale } from "@coleta/monitoring";

import { API_BASE } from "../config";
import { getJson } from "../get-json";

export const STATUS_URL = `${API_BASE}/status`;
/** How often the board asks again (the API recomputes at most every few seconds anyway). */
export const REFRESH_MS = 15_000;

/** GET /backend/status: the API's "Status" schema, through its contracts (types only). */
export type StatusDocument = Status;
export type Team = Status["components"][number]["team"];

export type LoadResult =
  | { kind: "ok"; doc: StatusDocument }
  | { kind: "unauthorized" }
  | { kind: "off" }
  | { kind: "error"; status?: number };

/** One fetch of the board; the token (from `?token=`) travels as a Bearer header, never in the URL. */
export async function loadStatus(
  locale: Locale,
  token: string | null,
  fetchImpl?: typeof fetch,
): Promise<LoadResult> {
  const url = `${STATUS_URL}?lang=${encodeURIComponent(locale)}`;
  const res = await getJson<StatusDocument>(
    url,
    token ? { authorization: `Bearer ${token}` } : {},
    fetchImpl,
  );
  if (res.ok) return { kind: "ok", doc: res.body };
  if (res.status === 401) return { kind: "unauthorized" };
  if (res.status === 404) return { kind: "off" };
  return { kind: "error", status: res.status };
}
