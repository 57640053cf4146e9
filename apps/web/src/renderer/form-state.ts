// What a form being filled in is: answers, page, shown errors, where focus goes next. The caller owns
// this state (the fill page keeps it in its draft, the builder preview in a useState); the renderer
// only shows it and hands back the next state. Every transition is a pure function of
// (definition, state), so one rule decides a page change wherever it is asked for.
import {
  type Answers,
  checkAll,
  checkFields,
  type Field,
  type FormDefinition,
  fieldIdOf,
  type Issue,
  isEmptyAnswer,
  type Page,
  shownFieldIds,
  shownPages,
} from "./logic";

/** Where focus moves after a change: the page (or form) heading, or one field's input. */
export type FocusTarget = { kind: "heading" } | { kind: "field"; id: string };

export interface FormState {
  answers: Answers;
  /** The page shown; null, or a page no longer shown, means the first shown page. */
  pageId: string | null;
  /** Issues shown next to their fields (issues of fields not on the page are shown above the buttons). */
  errors: Issue[];
  /** Preview mode: the last "Check answers" found every answer valid. */
  checked: boolean;
  /**
   * A request to move focus, made by the transition that needs it. A new object per request, so the
   * renderer acts once per request (typing keeps the same object and never steals focus).
   */
  focus: FocusTarget | null;
}

export function formState(answers: Answers = {}, pageId: string | null = null): FormState {
  return { answers, pageId, errors: [], checked: false, focus: null };
}

/** The same state, asking for focus on the heading (a fresh form after another screen). */
export const focusHeading = (state: FormState): FormState => ({ ...state, focus: { kind: "heading" } });

export interface PageView {
  pages: Page[];
  index: number;
  page: Page | undefined;
  /** The page's fields that are shown with these answers. */
  fields: Field[];
  shown: Set<string>;
  isLast: boolean;
}

export function pageView(definition: FormDefinition, state: FormState): PageView {
  const pages = shownPages(definition, state.answers);
  const index = Math.max(
    0,
    pages.findIndex((p) => p.id === state.pageId),
  );
  const page = pages[index];
  const shown = shownFieldIds(definition, state.answers);
  const fields = page ? page.fields.filter((f) => shown.has(f.id)) : [];
  return { pages, index, page, fields, shown, isLast: index >= pages.length - 1 };
}

/** Replaces the shown issues of `fieldIds` with what the validator says now. */
function recheck(definition: FormDefinition, state: FormState, fieldIds: string[]): Issue[] {
  const fresh = checkFields(definition, state.answers, fieldIds);
  return [...state.errors.filter((e) => !fieldIds.includes(e.path)), ...fresh];
}

/** Shows `issues` and focuses the first one's field; a page holding it is opened when there is one. */
function showIssues(definition: FormDefinition, state: FormState, issues: Issue[]): FormState {
  const errors = issues.map((e) => ({ ...e, path: fieldIdOf(e.path) }));
  const { pages } = pageView(definition, state);
  const first = errors.find((e) => pages.some((p) => p.fields.some((f) => f.id === e.path)));
  if (!first) return { ...state, errors, checked: false };
  const page = pages.find((p) => p.fields.some((f) => f.id === first.path));
  return {
    ...state,
    pageId: page?.id ?? state.pageId,
    errors: [first, ...errors.filter((e) => e !== first)],
    checked: false,
    focus: { kind: "field", id: first.path },
  };
}

export function setAnswer(
  definition: FormDefinition,
  state: FormState,
  fieldId: string,
  value: unknown,
): FormState {
  const answers: Record<string, unknown> = { ...state.answers };
  if (isEmptyAnswer(value)) delete answers[fieldId];
  else answers[fieldId] = value;
  const next = { ...state, answers: answers as Answers, checked: false };
  // A shown error follows the answer live, so it disappears as soon as it is fixed.
  return state.errors.some((e) => e.path === fieldId)
    ? { ...next, errors: recheck(definition, next, [fieldId]) }
    : next;
}

/** Leaving a field checks it, unless it is empty: no "required" shouted at a passer-by. */
export function leaveField(definition: FormDefinition, state: FormState, fieldId: string): FormState {
  if (isEmptyAnswer(state.answers[fieldId as keyof Answers])) return state;
  return { ...state, errors: recheck(definition, state, [fieldId]) };
}

/** The issues of the page shown; later pages don't block. */
function pageIssues(definition: FormDefinition, state: FormState): Issue[] {
  const { fields } = pageView(definition, state);
  return checkFields(
    definition,
    state.answers,
    fields.map((f) => f.id),
  );
}

export function goNext(definition: FormDefinition, state: FormState): FormState {
  const issues = pageIssues(definition, state);
  if (issues.length) return showIssues(definition, state, issues);
  const { pages, index } = pageView(definition, state);
  const next = pages[index + 1];
  if (!next) return { ...state, errors: [] };
  return { ...state, pageId: next.id, errors: [], focus: { kind: "heading" } };
}

export function goBack(definition: FormDefinition, state: FormState): FormState {
  const { pages, index } = pageView(definition, state);
  const prev = pages[index - 1];
  if (!prev) return state;
  return { ...state, pageId: prev.id, errors: [], focus: { kind: "heading" } };
}

export interface Submitted {
  state: FormState;
  /** The validated, normalized answers (hidden fields removed), or null when something is invalid. */
  answers: Answers | null;
}

/** Checks the page, then the whole form (an earlier page can turn invalid when a condition changes). */
export function submit(definition: FormDefinition, state: FormState): Submitted {
  const issues = pageIssues(definition, state);
  if (issues.length) return { state: showIssues(definition, state, issues), answers: null };
  const result = checkAll(definition, state.answers);
  if (!result.ok) return { state: showIssues(definition, state, result.errors), answers: null };
  return { state: { ...state, errors: [], checked: true }, answers: result.answers };
}

/** A 422 from the server: open the page of the first issue, show every message, focus its field. */
export function withServerErrors(definition: FormDefinition, state: FormState, issues: Issue[]): FormState {
  return issues.length ? showIssues(definition, state, issues) : state;
}
