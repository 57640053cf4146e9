/** @jsxImportSource preact */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { detectLocale, formatDateTime, LOCALE_EVENT, LOCALES, type Locale, setLocale } from "../i18n/core";
import { FormRenderer } from "../renderer/FormRenderer";
import type { Answers, Issue } from "../renderer/logic";
import { makeT } from "../renderer/messages";
import { loadPublicForm, type PublicForm } from "./api";
import {
  cacheForm,
  clearDraft,
  type Draft,
  forgetForm,
  freshDraft,
  loadCachedForm,
  loadDraft,
  saveDraft,
} from "./draft";
import type { Outbox, OutboxEvent, OutboxItem } from "./outbox";

export type View =
  | { kind: "loading" }
  | { kind: "not_found" }
  | { kind: "closed" }
  | { kind: "network" }
  | { kind: "form" }
  | { kind: "submitting" }
  | { kind: "submitted"; receivedAt?: string }
  | { kind: "queued"; id: string; sending: boolean; savedAt: number }
  | { kind: "failed"; message: string };

export interface AppProps {
  slug: string | null;
  embed?: boolean;
  outbox: Outbox;
  fetch?: typeof fetch;
  initialLocale?: Locale;
}

const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", "pt-BR": "Português (Brasil)" };

export function App(props: AppProps) {
  const { slug, outbox } = props;
  const [locale, setLocaleState] = useState<Locale>(props.initialLocale ?? detectLocale());
  const t = useMemo(() => makeT(locale), [locale]);
  const [view, setView] = useState<View>({ kind: "loading" });
  const [form, setForm] = useState<PublicForm | null>(null);
  const [fromCache, setFromCache] = useState(false);
  const [draft, setDraft] = useState<Draft>(() => (slug ? loadDraft(slug) : null) ?? freshDraft());
  const [serverErrors, setServerErrors] = useState<Issue[] | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState<OutboxItem[]>([]);
  const [online, setOnline] = useState(globalThis.navigator?.onLine ?? true);
  const [rendererKey, setRendererKey] = useState(0);
  const statusRef = useRef<HTMLHeadingElement>(null);
  const viewRef = useRef(view);
  viewRef.current = view;

  useEffect(() => {
    const onLocale = (e: Event) => setLocaleState((e as CustomEvent<Locale>).detail);
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    addEventListener(LOCALE_EVENT, onLocale);
    addEventListener("online", up);
    addEventListener("offline", down);
    return () => {
      removeEventListener(LOCALE_EVENT, onLocale);
      removeEventListener("online", up);
      removeEventListener("offline", down);
    };
  }, []);

  useEffect(() => {
    if (form) document.title = `${form.definition.title} · Coleta`;
  }, [form]);

  // Move focus to the heading of every full-page state, so screen readers announce it.
  useEffect(() => {
    if (view.kind !== "form" && view.kind !== "submitting" && view.kind !== "loading")
      statusRef.current?.focus();
  }, [view.kind]);

  const refreshPending = async () => {
    if (!slug) return;
    setPending((await outbox.list(slug)).filter((i) => i.status === "pending"));
  };

  const backToFormWithErrors = (item: OutboxItem) => {
    const errors = (item.failure?.errors ?? []) as Issue[];
    const restored: Draft = { id: item.id, answers: item.answers, pageId: null, savedAt: Date.now() };
    setDraft(restored);
    if (slug) saveDraft(slug, restored);
    setServerErrors(errors.length ? errors : null);
    setFormError(errors.length ? null : (item.failure?.message ?? t("error.generic", { status: 422 })));
    setRendererKey((k) => k + 1);
    setView({ kind: "form" });
  };

  const onFailure = (item: OutboxItem) => {
    const status = item.failure?.status;
    if (status === 410) setView({ kind: "closed" });
    else if (status === 404) setView({ kind: "not_found" });
    else if (status === 422) backToFormWithErrors(item);
    else
      setView({
        kind: "failed",
        message: item.failure?.message ?? t("error.generic", { status: status ?? 0 }),
      });
  };

  // Outbox events drive the queued → sending → sent states, even for a send started by `online`.
  // biome-ignore lint/correctness/useExhaustiveDependencies: handlers read the latest view through viewRef
  useEffect(() => {
    const off = outbox.subscribe((event: OutboxEvent) => {
      if (event.item.slug !== slug) return;
      void refreshPending();
      const current = viewRef.current;
      const mine = current.kind === "queued" && current.id === event.item.id;
      if (!mine) return;
      if (event.type === "sending") setView({ ...current, sending: true });
      else if (event.type === "retry") setView({ ...current, sending: false });
      else if (event.type === "sent") setView({ kind: "submitted", receivedAt: event.receivedAt });
      else if (event.type === "failed") onFailure(event.item);
    });
    return off;
  }, [slug, outbox]);

  const load = async () => {
    if (!slug) {
      setView({ kind: "not_found" });
      return;
    }
    setView({ kind: "loading" });
    const items = await outbox.list(slug);
    setPending(items.filter((i) => i.status === "pending"));
    const queued = items.filter((i) => i.status === "pending").at(-1);
    const failed = items.find((i) => i.status === "failed" && i.failure?.status === 422);
    const result = await loadPublicForm(slug, props.fetch);
    if (result.kind === "not_found") {
      forgetForm(slug);
      setView({ kind: "not_found" });
      return;
    }
    if (result.kind === "closed") {
      setView({ kind: "closed" });
      return;
    }
    let loaded: PublicForm | null = null;
    if (result.kind === "ok") {
      loaded = result.form;
      cacheForm(loaded);
      setFromCache(false);
    } else {
      loaded = loadCachedForm(slug);
      setFromCache(Boolean(loaded));
    }
    setForm(loaded);
    // A response saved on this device and not yet sent: say so (it is being retried in the background).
    if (queued) {
      setView({ kind: "queued", id: queued.id, sending: false, savedAt: queued.createdAt });
      void outbox.send(queued.id);
      return;
    }
    if (!loaded) {
      setView({ kind: "network" });
      return;
    }
    if (failed && failed.id === loadDraft(slug)?.id) {
      backToFormWithErrors(failed);
      return;
    }
    setView({ kind: "form" });
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once on mount (start the outbox, load the form)
  useEffect(() => {
    void outbox.start();
    void load();
  }, []);

  const updateDraft = (next: Partial<Draft>) => {
    setDraft((prev) => {
      const merged = { ...prev, ...next, savedAt: Date.now() };
      if (slug) saveDraft(slug, merged);
      return merged;
    });
  };

  const onSubmit = async (answers: Answers) => {
    if (!slug) return;
    setView({ kind: "submitting" });
    setFormError(null);
    const outcome = await outbox.submit(slug, draft.id, answers);
    void refreshPending();
    if (outcome.status === "sent") {
      clearDraft(slug);
      setView({ kind: "submitted", receivedAt: outcome.receivedAt });
    } else if (outcome.status === "queued") {
      clearDraft(slug); // the outbox holds the answers now
      setView({ kind: "queued", id: draft.id, sending: false, savedAt: Date.now() });
    } else if (outcome.status === "failed") {
      const item = await outbox.get(draft.id);
      if (item) onFailure(item);
    }
  };

  const startAnother = () => {
    const next = freshDraft();
    setDraft(next);
    if (slug) saveDraft(slug, next);
    setServerErrors(null);
    setFormError(null);
    setRendererKey((k) => k + 1);
    if (form) setView({ kind: "form" });
    else void load();
  };

  const status = (title: string, body: preact.ComponentChildren, actions?: preact.ComponentChildren) => (
    <section class="fill-status" aria-labelledby="fill-status-title">
      <h1 id="fill-status-title" tabIndex={-1} ref={statusRef}>
        {title}
      </h1>
      {body}
      {actions ? <div class="fill-actions">{actions}</div> : null}
    </section>
  );

  const pendingOthers = pending.filter((i) => view.kind !== "queued" || i.id !== view.id);

  let content: preact.ComponentChildren;
  switch (view.kind) {
    case "loading":
      content = (
        <p class="fill-loading" role="status">
          {t("state.loading")}
        </p>
      );
      break;
    case "not_found":
      content = status(t("state.notFound.title"), <p>{t("state.notFound.body")}</p>);
      break;
    case "closed":
      content = status(t("state.closed.title"), <p>{t("state.closed.body")}</p>);
      break;
    case "network":
      content = status(
        t("state.network.title"),
        <p>{t("state.network.body")}</p>,
        <button type="button" class="cf-button cf-primary" onClick={() => void load()}>
          {t("state.retry")}
        </button>,
      );
      break;
    case "submitted":
      content = status(
        t("state.submitted.title"),
        <>
          <p class="fill-badge fill-ok" role="status">
            <span aria-hidden="true">✓ </span>
            {t("state.sent")}
          </p>
          <p>{t("state.submitted.body")}</p>
          {view.receivedAt ? (
            <p class="fill-muted">
              {t("state.receivedAt", { time: formatDateTime(locale, view.receivedAt) })}
            </p>
          ) : null}
        </>,
        <button type="button" class="cf-button cf-secondary" onClick={startAnother}>
          {t("state.another")}
        </button>,
      );
      break;
    case "queued":
      content = status(
        t("state.queued.title"),
        <>
          <p class="fill-badge fill-wait" role="status">
            {view.sending ? t("state.sending") : t("state.queued.body")}
          </p>
          <p class="fill-muted">{t("state.savedAt", { time: formatDateTime(locale, view.savedAt) })}</p>
        </>,
        <>
          <button
            type="button"
            class="cf-button cf-primary"
            disabled={view.sending}
            onClick={() => void outbox.send(view.id)}
          >
            {t("state.sendNow")}
          </button>
          {form ? (
            <button type="button" class="cf-button cf-secondary" onClick={startAnother}>
              {t("state.another")}
            </button>
          ) : null}
        </>,
      );
      break;
    case "failed":
      content = status(
        t("state.failed.title"),
        <>
          <p class="cf-error" role="alert">
            {view.message}
          </p>
          <p>{t("state.failed.body")}</p>
        </>,
        form ? (
          <button type="button" class="cf-button cf-secondary" onClick={() => setView({ kind: "form" })}>
            {t("state.backToForm")}
          </button>
        ) : null,
      );
      break;
    default:
      content = form ? (
        <FormRenderer
          key={rendererKey}
          definition={form.definition}
          locale={locale}
          answers={draft.answers}
          onAnswersChange={(answers) => updateDraft({ answers })}
          initialPageId={draft.pageId}
          onPageChange={(pageId) => updateDraft({ pageId })}
          serverErrors={serverErrors}
          formError={formError}
          submitting={view.kind === "submitting"}
          onSubmit={(answers) => void onSubmit(answers)}
          idPrefix="q"
        />
      ) : null;
  }

  return (
    <div class={props.embed ? "fill fill-embed" : "fill"}>
      {props.embed ? null : (
        <header class="fill-header">
          <span class="fill-brand">{t("app.name")}</span>
          <label class="fill-lang">
            <span>{t("lang.label")}</span>
            <select
              value={locale}
              onChange={(e) => setLocale((e.currentTarget as HTMLSelectElement).value as Locale)}
            >
              {LOCALES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          </label>
        </header>
      )}
      <div class="fill-body">
        {!online && (view.kind === "form" || view.kind === "submitting") ? (
          <p class="fill-banner" role="status">
            {t("state.offlineBanner")}
          </p>
        ) : null}
        {fromCache && online && view.kind === "form" ? (
          <p class="fill-banner">{t("state.offlineCopy")}</p>
        ) : null}
        {pendingOthers.length && (view.kind === "form" || view.kind === "submitted") ? (
          <p class="fill-banner">
            {t("state.pendingCount", { count: pendingOthers.length })}{" "}
            <button type="button" class="fill-link" onClick={() => void outbox.flush(true)}>
              {t("state.sendNow")}
            </button>
          </p>
        ) : null}
        {content}
      </div>
    </div>
  );
}
