// The response being filled in: its submission id and the form's state (form-state.ts), owned here
// and saved to the draft (draft.ts) on every change, so a reload restores answers and page.
import { useState } from "preact/hooks";
import { type FormState, focusHeading, formState } from "../renderer/form-state";
import { loadDraft, newSubmissionId, saveDraft } from "./draft";

export interface FillResponse {
  id: string;
  form: FormState;
}

/** A new response: a fresh submission id, no answers, focus on the form's heading. */
export const freshResponse = (): FillResponse => ({ id: newSubmissionId(), form: focusHeading(formState()) });

function restored(slug: string | null): FillResponse {
  const draft = slug ? loadDraft(slug) : null;
  // No focus request on the first load: the page opens as any page does (in an iframe, focus would
  // scroll the embedding page).
  return { id: draft?.id ?? newSubmissionId(), form: formState(draft?.answers, draft?.pageId) };
}

export function useDraft(slug: string | null) {
  const [response, setResponse] = useState(() => restored(slug));
  const save = (next: FillResponse) => {
    if (slug) {
      const { answers, pageId } = next.form;
      saveDraft(slug, { id: next.id, answers, pageId, savedAt: Date.now() });
    }
    return next;
  };
  return {
    response,
    /** The renderer's updates (onStateChange), applied to the latest state and saved. */
    update: (change: (form: FormState) => FormState) =>
      setResponse((prev) => save({ id: prev.id, form: change(prev.form) })),
    /** Another response, or one brought back from the outbox. */
    replace: (next: FillResponse) => setResponse(save(next)),
  };
}
