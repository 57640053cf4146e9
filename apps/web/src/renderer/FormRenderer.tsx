/** @jsxImportSource preact */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Locale } from "../i18n/core";
import { FieldView, inputId } from "./fields";
import {
  type Answers,
  checkAll,
  checkFields,
  type FormDefinition,
  fieldIdOf,
  type Issue,
  isEmptyAnswer,
  loose,
  shownFieldIds,
  shownPages,
} from "./logic";
import { issueMessage, makeT } from "./messages";

export interface FormRendererProps {
  definition: FormDefinition;
  locale: Locale;
  answers: Answers;
  onAnswersChange: (answers: Answers) => void;
  /** "preview" validates but never submits (the builder's live preview). Default "fill". */
  mode?: "fill" | "preview";
  /** Page to open first (e.g. from a restored draft). */
  initialPageId?: string | null;
  onPageChange?: (pageId: string) => void;
  /** Errors from the server (422); the renderer goes to the page of the first one and focuses it. */
  serverErrors?: Issue[] | null;
  /** A message that is not about one field (shown above the navigation). */
  formError?: string | null;
  submitting?: boolean;
  /** Called with the validated, normalized answers (hidden fields removed). Fill mode only. */
  onSubmit?: (answers: Answers) => void;
  /** Prefix for element ids, so two renderers can live in one document. */
  idPrefix?: string;
}

type Focus = { kind: "heading" } | { kind: "field"; id: string } | null;

export function FormRenderer(props: FormRendererProps) {
  const { definition, locale, answers, mode = "fill", idPrefix = "cf" } = props;
  const t = useMemo(() => makeT(locale), [locale]);
  const pages = shownPages(definition, answers);
  const [pageId, setPageId] = useState<string | null>(props.initialPageId ?? null);
  const [errors, setErrors] = useState<Issue[]>([]);
  const [previewOk, setPreviewOk] = useState(false);
  const focus = useRef<Focus>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  let index = pages.findIndex((p) => p.id === pageId);
  if (index < 0) index = 0;
  const page = pages[index];
  const shown = shownFieldIds(definition, answers);
  const pageFields = page ? page.fields.filter((f) => shown.has(f.id)) : [];
  const isLast = index >= pages.length - 1;

  const goTo = (id: string) => {
    setPageId(id);
    props.onPageChange?.(id);
  };

  const showErrors = (issues: Issue[]) => {
    setErrors(issues);
    const first = issues[0];
    if (first) focus.current = { kind: "field", id: fieldIdOf(first.path) };
  };

  // Server errors: go to the page with the first error, show every message, focus the first field.
  // biome-ignore lint/correctness/useExhaustiveDependencies: react to a new serverErrors array only
  useEffect(() => {
    const list = props.serverErrors;
    if (!list?.length) return;
    const issues = list.map((e) => ({ ...e, path: fieldIdOf(e.path) }));
    const firstWithPage = issues.find((e) => pages.some((p) => p.fields.some((f) => f.id === e.path)));
    if (firstWithPage) {
      const target = pages.find((p) => p.fields.some((f) => f.id === firstWithPage.path));
      if (target && target.id !== page?.id) goTo(target.id);
      const rest = issues.filter((e) => e !== firstWithPage);
      showErrors([firstWithPage, ...rest]);
    } else {
      setErrors(issues);
    }
  }, [props.serverErrors]);

  useLayoutEffect(() => {
    const target = focus.current;
    if (!target) return;
    focus.current = null;
    if (target.kind === "heading") {
      headingRef.current?.focus();
      return;
    }
    const el = globalThis.document?.getElementById(inputId(idPrefix, target.id));
    if (el) {
      el.focus();
      el.scrollIntoView?.({ block: "center" });
    }
  });

  const setAnswer = (fieldId: string, value: unknown) => {
    const next: Record<string, unknown> = { ...answers };
    if (isEmptyAnswer(value)) delete next[fieldId];
    else next[fieldId] = value;
    setPreviewOk(false);
    props.onAnswersChange(next as Answers);
    // A shown error follows the answer live, so it disappears as soon as it is fixed.
    if (errors.some((e) => e.path === fieldId)) {
      const fresh = checkFields(definition, next as Answers, [fieldId]);
      setErrors((prev) => [...prev.filter((e) => e.path !== fieldId), ...fresh]);
    }
  };

  const onBlur = (fieldId: string) => {
    if (isEmptyAnswer(answers[fieldId as keyof Answers])) return; // don't shout "required" at a passer-by
    const fresh = checkFields(definition, answers, [fieldId]);
    setErrors((prev) => [...prev.filter((e) => e.path !== fieldId), ...fresh]);
  };

  const onNext = () => {
    if (!page) return;
    const issues = checkFields(
      definition,
      answers,
      pageFields.map((f) => f.id),
    );
    if (issues.length) {
      showErrors(issues);
      return;
    }
    setErrors([]);
    const next = shownPages(definition, answers)[index + 1];
    if (next) {
      focus.current = { kind: "heading" };
      goTo(next.id);
    }
  };

  const onBack = () => {
    const prev = pages[index - 1];
    if (!prev) return;
    setErrors([]);
    focus.current = { kind: "heading" };
    goTo(prev.id);
  };

  const onSubmit = () => {
    const pageIssues = checkFields(
      definition,
      answers,
      pageFields.map((f) => f.id),
    );
    if (pageIssues.length) {
      showErrors(pageIssues);
      return;
    }
    const result = checkAll(definition, answers);
    if (!result.ok) {
      // An earlier page became invalid (e.g. a condition changed): go there.
      const first = result.errors[0] as Issue;
      const target = pages.find((p) => p.fields.some((f) => f.id === fieldIdOf(first.path)));
      if (target && target.id !== page?.id) goTo(target.id);
      showErrors(result.errors.map((e) => ({ ...e, path: fieldIdOf(e.path) })));
      return;
    }
    setErrors([]);
    if (mode === "preview") {
      setPreviewOk(true);
      return;
    }
    props.onSubmit?.(result.answers);
  };

  const errorFor = (fieldId: string) => {
    const issue = errors.find((e) => e.path === fieldId);
    if (!issue) return null;
    const field = pageFields.find((f) => f.id === fieldId);
    return issueMessage(locale, issue, field ? loose(field) : undefined);
  };

  const shownErrorCount = pageFields.filter((f) => errors.some((e) => e.path === f.id)).length;
  const progressId = `${idPrefix}-progress`;
  const progressText = t("progress.page", { current: index + 1, total: pages.length });
  const formLevel =
    props.formError ??
    (errors.length && !shownErrorCount && errors.every((e) => !shown.has(e.path))
      ? errors.map((e) => issueMessage(locale, e)).join(" ")
      : null);

  return (
    <form
      class={`cf-form${mode === "preview" ? " cf-preview" : ""}`}
      noValidate
      lang={locale}
      onSubmit={(e) => {
        e.preventDefault();
        if (props.submitting) return;
        if (isLast) onSubmit();
        else onNext();
      }}
    >
      <header class="cf-form-header">
        <h1 class="cf-title">{definition.title}</h1>
        {definition.description && index === 0 ? (
          <p class="cf-description">{definition.description}</p>
        ) : null}
      </header>
      {pages.length > 1 ? (
        <div class="cf-progress">
          <p id={progressId} class="cf-progress-text">
            {progressText}
          </p>
          <div
            class="cf-progressbar"
            role="progressbar"
            aria-labelledby={progressId}
            aria-valuemin={1}
            aria-valuemax={pages.length}
            aria-valuenow={index + 1}
            aria-valuetext={progressText}
          >
            <div class="cf-progressbar-fill" style={{ width: `${((index + 1) / pages.length) * 100}%` }} />
          </div>
        </div>
      ) : null}
      {page ? (
        <section
          class="cf-page"
          aria-labelledby={page.title || pages.length > 1 ? `${idPrefix}-page-heading` : undefined}
        >
          {page.title || pages.length > 1 ? (
            <h2 id={`${idPrefix}-page-heading`} class="cf-page-title" tabIndex={-1} ref={headingRef}>
              {page.title || progressText}
            </h2>
          ) : null}
          {page.description ? <p class="cf-description">{page.description}</p> : null}
          {shownErrorCount > 1 ? (
            <p class="cf-error-summary">{t("errors.summary", { count: shownErrorCount })}</p>
          ) : null}
          {pageFields.map((f) => (
            <FieldView
              key={f.id}
              field={loose(f)}
              value={answers[f.id as keyof Answers]}
              onChange={(v) => setAnswer(f.id, v)}
              onBlur={() => onBlur(f.id)}
              error={errorFor(f.id)}
              idPrefix={idPrefix}
              locale={locale}
              t={t}
              disabled={props.submitting}
            />
          ))}
        </section>
      ) : (
        <p class="cf-help">{t("preview.empty")}</p>
      )}
      {formLevel ? (
        <p class="cf-error cf-form-error" role="alert">
          {formLevel}
        </p>
      ) : null}
      {previewOk ? (
        <p class="cf-preview-ok" role="status">
          {t("preview.valid")}
        </p>
      ) : null}
      {page ? (
        <div class="cf-nav">
          {index > 0 ? (
            <button type="button" class="cf-button cf-secondary" onClick={onBack} disabled={props.submitting}>
              {t("nav.back")}
            </button>
          ) : null}
          <button type="submit" class="cf-button cf-primary" disabled={props.submitting}>
            {isLast
              ? props.submitting
                ? t("nav.submitting")
                : mode === "preview"
                  ? t("nav.submitPreview")
                  : t("nav.submit")
              : t("nav.next")}
          </button>
        </div>
      ) : null}
    </form>
  );
}
