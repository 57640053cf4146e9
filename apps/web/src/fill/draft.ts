// In-progress answers and the last copy of each form, in localStorage (synchronous, so a reload
// restores the answers on the first render). The submission id is created once per fill and kept
// here until the response is safely in the outbox.
import type { Answers } from "@coleta/forms";
import { newUuid } from "../renderer/device-files";
import type { PublicForm } from "./api";

export interface Draft {
  id: string;
  answers: Answers;
  pageId: string | null;
  savedAt: number;
}

const draftKey = (slug: string) => `coleta.draft.${slug}`;
const formKey = (slug: string) => `coleta.form.${slug}`;

function read<T>(key: string): T | null {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) globalThis.localStorage?.removeItem(key);
    else globalThis.localStorage?.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or blocked: the answers stay in memory for this visit.
  }
}

/** The submission id, created once per fill (a v4 UUID, also on plain http). */
export const newSubmissionId = newUuid;

export function loadDraft(slug: string): Draft | null {
  const d = read<Draft>(draftKey(slug));
  return d && typeof d.id === "string" && d.answers && typeof d.answers === "object" ? d : null;
}

export function saveDraft(slug: string, draft: Draft): void {
  write(draftKey(slug), draft);
}

export function clearDraft(slug: string): void {
  write(draftKey(slug), null);
}

export function loadCachedForm(slug: string): PublicForm | null {
  return read<PublicForm>(formKey(slug));
}

export function cacheForm(form: PublicForm): void {
  write(formKey(form.slug), form);
}

export function forgetForm(slug: string): void {
  write(formKey(slug), null);
}
