// Thin fetch wrapper for the same-origin REST API (docs/api.md). Every failure becomes an ApiError
// carrying the parsed problem+json body so screens can show a translated message, never raw JSON.
import type { FormDefinition } from "@coleta/forms";

export type Role = "viewer" | "editor" | "admin" | "owner";
export type FormStatus = "draft" | "published" | "closed";

export interface ProblemError {
  path: string;
  code: string;
  message: string;
  params?: Record<string, string | number>;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  requestId?: string;
  message?: string;
  errors?: ProblemError[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? problem.message ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }
}

export interface Organization {
  id: string;
  name: string;
  slug: string;
  role: Role;
}
export interface Me {
  user: { id: string; name: string; email: string };
  organizations: Organization[];
}
export interface FormSummary {
  id: string;
  slug: string;
  title: string;
  status: FormStatus;
  submissionCount: number;
  publishedVersion: number | null;
  hasUnpublishedChanges: boolean;
  createdAt: string;
  updatedAt: string;
}
export interface Form extends FormSummary {
  draft: FormDefinition;
  published: FormDefinition | null;
}
export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: string;
}
export interface Invitation {
  id: string;
  email: string;
  role: Role;
  status: string;
  expiresAt: string;
  createdAt: string;
}
export interface CreatedInvitation {
  id: string;
  email: string;
  role: Role;
  token: string;
  acceptUrl?: string;
  expiresAt: string;
}
export interface Submission {
  id: string;
  formVersion: number;
  answers: Record<string, unknown>;
  receivedAt: string;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface FieldSummary {
  fieldId: string;
  type: string;
  answered: number;
  counts?: Record<string, number>;
  stats?: { min: number; max: number; mean: number };
  histogram?: Record<string, number>;
  points?: { lat: number; lon: number }[];
}
export interface FormSummaryStats {
  total: number;
  fields: FieldSummary[];
}

export const API_BASE = "/backend";

async function parseProblem(res: Response): Promise<Problem> {
  const text = await res.text().catch(() => "");
  if (!text) return { status: res.status };
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === "object") return { status: res.status, ...(body as Problem) };
  } catch {
    // Not JSON (a proxy's HTML error page, for instance): keep only the status.
  }
  return { status: res.status };
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
}

/** Calls the API; resolves with the parsed JSON (undefined for 204) or throws ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const init: RequestInit = {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    credentials: "same-origin",
    headers: { accept: "application/json, application/problem+json" },
  };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    (init.headers as Record<string, string>)["content-type"] = "application/json";
  }
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, init);
  } catch (error) {
    if ((error as Error)?.name === "AbortError") throw error;
    throw new ApiError(0, { code: "network_error" });
  }
  if (!res.ok) throw new ApiError(res.status, await parseProblem(res));
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const enc = encodeURIComponent;
export const orgPath = (orgId: string) => `/orgs/${enc(orgId)}`;
export const formPath = (orgId: string, formId: string) => `${orgPath(orgId)}/forms/${enc(formId)}`;

export interface SubmissionFilters {
  from?: string;
  to?: string;
  field?: { id: string; value: string } | null;
}

/** Query string shared by the submissions list and the export. */
export function filterQuery(filters: SubmissionFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (filters.field?.id && filters.field.value !== "") {
    params.set(`field.${filters.field.id}`, filters.field.value);
  }
  const qs = params.toString();
  return qs ? `?${qs}` : "";
}
