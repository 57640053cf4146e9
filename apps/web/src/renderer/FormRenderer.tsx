/** @jsxImportSource preact */
import { useLayoutEffect, useMemo, useRef } from "preact/hooks";
import type { Locale } from "../i18n/core";
import { FieldView, inputId } from "./fields";
import { type FormState, goBack, goNext, leaveField, pageView, setAnswer, submit } from "./form-state";
import { type Answers, type FormDefinition, loose } from "./logic";
import { issueMessage, makeT } from "./messages";

export interface FormRendererProps {
  definition: FormDefinition;
  locale: Locale;
  /**
   * Answers, page, shown errors and focus requests, owned by the caller (transitions in
   * form-state.ts). Changes come back as updates of the latest state (a photo scaled down in the
   * background must not undo what was typed meanwhile), so a useState setter fits. Nothing is copied
   * into local state: the caller replacing the state (a restored draft, another response) is a reset.
   */
  state: FormState;
  onStateChange: (update: (state: FormState) => FormState) => void;
  /** "preview" validates but never submits (the builder's live preview). Default "fill". */
  mode?: "fill" | "preview";
  /** A message that is not about one field (shown above the navigation). */
  formError?: string | null;
  submitting?: boolean;
  /** Called with the validated, normalized answers (hidden fields removed). Fill mode only. */
  onSubmit?: (answers: Answers) => void;
  /** Prefix for element ids, so two renderers can live in one document. */
  idPrefix?: string;
}

export function FormRenderer(props: FormRendererProps) {
  const { definition, locale, state, mode = "fill", idPrefix = "cf" } = props;
  const t = useMemo(() => makeT(locale), [locale]);
  const { pages, index, page, fields: pageFields, shown, isLast } = pageView(definition, state);
  const { answers, errors } = state;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const change = props.onStateChange;

  // Act on each focus request once (a transition asks with a new object).
  useLayoutEffect(() => {
    const target = state.focus;
    if (!target) return;
    if (target.kind === "heading") {
      // A new page or a fresh form reads from its top, as after a page load. The builder's preview
      // lives inside another page, so there only the heading is brought into view.
      if (mode === "fill") globalThis.scrollTo?.(0, 0);
      (headingRef.current ?? titleRef.current)?.focus({ preventScroll: mode === "fill" });
      return;
    }
    const el = globalThis.document?.getElementById(inputId(idPrefix, target.id));
    el?.focus();
    el?.scrollIntoView?.({ block: "center" });
  }, [state.focus, mode, idPrefix]);

  const onSubmit = () => {
    if (!isLast) {
      change((s) => goNext(definition, s));
      return;
    }
    const result = submit(definition, state);
    change(() => result.state);
    if (result.answers && mode === "fill") props.onSubmit?.(result.answers);
  };

  const errorFor = (fieldId: string) => {
    const issue = errors.find((e) => e.path === fieldId);
    if (!issue) return null;
    const field = pageFields.find((f) => f.id === fieldId);
    return issueMessage(locale, issue, field ? loose(field) : undefined);
  };

  const shownErrorCount = pageFields.filter((f) => errors.some((e) => e.path === f.id)).length;
  const progressId = `${idPrefix}-progress`;
  const headingId = `${idPrefix}-page-heading`;
  const progressText = t("progress.page", { current: index + 1, total: pages.length });
  // An untitled page of a multi-page form is headed by its progress ("Page 1 of 2"), said once.
  const pageHeading = page?.title || (pages.length > 1 ? progressText : null);
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
        if (!props.submitting) onSubmit();
      }}
    >
      <header class="cf-form-header">
        <h1 class="cf-title" tabIndex={-1} ref={titleRef}>
          {definition.title}
        </h1>
        {definition.description && index === 0 ? (
          <p class="cf-description">{definition.description}</p>
        ) : null}
      </header>
      {pages.length > 1 ? (
        <div class="cf-progress">
          {page?.title ? (
            <p id={progressId} class="cf-progress-text">
              {progressText}
            </p>
          ) : null}
          <div
            class="cf-progressbar"
            role="progressbar"
            aria-labelledby={page?.title ? progressId : headingId}
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
        <section class="cf-page" aria-labelledby={pageHeading ? headingId : undefined}>
          {pageHeading ? (
            <h2 id={headingId} class="cf-page-title" tabIndex={-1} ref={headingRef}>
              {pageHeading}
            </h2>
          ) : null}
          {page.description ? <p class="cf-description">{page.description}</p> : null}
          {shownErrorCount > 1 ? (
            <p class="cf-error-summary">{t.count("errors.summary", shownErrorCount)}</p>
          ) : null}
          {pageFields.map((f) => (
            <FieldView
              key={f.id}
              field={loose(f)}
              value={answers[f.id as keyof Answers]}
              onChange={(v) => change((s) => setAnswer(definition, s, f.id, v))}
              onBlur={() => change((s) => leaveField(definition, s, f.id))}
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
      {mode === "preview" && state.checked ? (
        <p class="cf-preview-ok" role="status">
          {t("preview.valid")}
        </p>
      ) : null}
      {page ? (
        <div class="cf-nav">
          {index > 0 ? (
            <button
              type="button"
              class="cf-button cf-secondary"
              onClick={() => change((s) => goBack(definition, s))}
              disabled={props.submitting}
            >
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
