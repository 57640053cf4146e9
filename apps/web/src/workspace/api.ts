// Thin fetch wrapper for the same-origin REST API (docs/api.md). Every failure becomes an ApiError
// carrying the parsed problem+json body so screens can show a translated message, never raw JSON.
// Request and response types come from the API's zod schemas ("@coleta/api/contracts", types only:
// nothing of the server reaches the bundle), so a route that changes shape breaks this build.
import type * as Contract from "@coleta/api/contracts";
import type { FormDefinition } from "@coleta/forms";
import { API_BASE } from "../config";

export type {
  CreatedInvitation,
  CreateFormBody,
  FieldSummary,
  FormStatus,
  FormSummary,
  Invitation,
  InvitationBody,
  InvitationPreview,
  Me,
  Member,
  OrganizationBody,
  Role,
  Setup,
  Submission,
  SubmissionMap,
  SubmissionPage,
  Summary,
  UpdateFormBody,
} from "@coleta/api/contracts";

/** An organization as /me lists it (with the caller's role). */
export type Organization = Contract.Me["organizations"][number];
/** The API sends definitions as opaque JSON; their shape is @coleta/forms' to define. */
export type Form = Omit<Contract.Form, "draft" | "published"> & {
  draft: FormDefinition;
  published: FormDefinition | null;
};

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
