/** @jsxImportSource preact */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { detectLocale, LOCALE_EVENT, type Locale } from "../i18n/core";
import { FormRenderer } from "../renderer/FormRenderer";
import { focusHeading, formState, withServerErrors } from "../renderer/form-state";
import type { Answers, FormDefinition, Issue } from "../renderer/logic";
import { makeT } from "../renderer/messages";
import { type LoadResult, loadPublicForm, type PublicForm } from "./api";
import { cacheForm, clearDraft, forgetForm, loadCachedForm, loadDraft } from "./draft";
import { FillHeader } from "./FillHeader";
import type { Outbox, OutboxEvent, OutboxItem } from "./outbox";
import { FailedScreen, MessageScreen, QueuedScreen, SentScreen } from "./screens";
import { freshResponse, useDraft } from "./useDraft";

export type View =
  | { kind: "loading" }
  | { kind: "not_found" }
  | { kind: "closed" }
  | { kind: "network" }
  | { kind: "form" }
  | { kind: "submitting" }
  | { kind: "submitted"; receivedAt?: string | undefined }
  | { kind: "queued"; id: string; sending: boolean; savedAt: number }
  | { kind: "failed"; message: string };

export interface AppProps {
  slug: string | null;
  embed?: boolean;
  outbox: Outbox;
  fetch?: typeof fetch;
  initialLocale?: Locale;
  /** The form as the server embedded it in the page (fill/api.ts readEmbeddedForm): no fetch needed. */
  embedded?: LoadResult | null;
}

export function App(props: AppProps) {
  const { slug, outbox } = props;
  const [locale, setLocaleState] = useState<Locale>(props.initialLocale ?? detectLocale());
  const t = useMemo(() => makeT(locale), [locale]);
  const [view, setView] = useState<View>({ kind: "loading" });
  const [form, setForm] = useState<PublicForm | null>(null);
  const [fromCache, setFromCache] = useState(false);
  const draft = useDraft(slug);
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState<OutboxItem[]>([]);
  const [online, setOnline] = useState(globalThis.navigator?.onLine ?? true);
  // Outbox events arrive in a listener set up once: it reads the latest of these.
  const latest = useRef({ view, form, t });
  latest.current = { view, form, t };

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

  const refreshPending = async () => {
    if (!slug) return;
    setPending((await outbox.list(slug)).filter((i) => i.status === "pending"));
  };

  /** A 422: the response comes back into the form, each message next to its field. */
  const backToFormWithErrors = (item: OutboxItem, definition: FormDefinition) => {
    const errors = (item.failure?.errors ?? []) as Issue[];
    draft.replace({ id: item.id, form: withServerErrors(definition, formState(item.answers), errors) });
    setFormError(
      errors.length ? null : (item.failure?.message ?? latest.current.t("error.generic", { status: 422 })),
    );
    setView({ kind: "form" });
  };

  const onFailure = (item: OutboxItem) => {
    const status = item.failure?.status;
    const definition = latest.current.form?.definition;
    if (status === 410) setView({ kind: "closed" });
    else if (status === 404) setView({ kind: "not_found" });
    else if (status === 422 && definition) backToFormWithErrors(item, definition);
    else
      setView({
        kind: "failed",
        message: item.failure?.message ?? latest.current.t("error.generic", { status: status ?? 0 }),
      });
  };

  // Outbox events drive the queued → sending → sent states, even for a send started by `online`.
  // biome-ignore lint/correctness/useExhaustiveDependencies: handlers read the latest state through `latest`
  useEffect(() => {
    const off = outbox.subscribe((event: OutboxEvent) => {
      if (event.item.slug !== slug) return;
      void refreshPending();
      const current = latest.current.view;
      const mine = current.kind === "queued" && current.id === event.item.id;
      if (!mine) return;
      if (event.type === "sending") setView({ ...current, sending: true });
      else if (event.type === "retry") setView({ ...current, sending: false });
      else if (event.type === "sent") setView({ kind: "submitted", receivedAt: event.receivedAt });
      else if (event.type === "failed") onFailure(event.item);
    });
    return off;
  }, [slug, outbox]);

  /** Loads the form (the embedded copy first, when the page came with one) and what the outbox holds. */
  const load = async (embedded: LoadResult | null = null) => {
    if (!slug) {
      setView({ kind: "not_found" });
      return;
    }
    setView({ kind: "loading" });
    const [items, result] = await Promise.all([
      outbox.list(slug),
      embedded ?? loadPublicForm(slug, props.fetch),
    ]);
    const queued = items.filter((i) => i.status === "pending");
    setPending(queued);
    if (result.kind === "not_found") {
      forgetForm(slug);
      setView({ kind: "not_found" });
      return;
    }
    if (result.kind === "closed") {
      setView({ kind: "closed" });
      return;
    }
    const loaded = result.kind === "ok" ? result.form : loadCachedForm(slug);
    if (result.kind === "ok") cacheForm(result.form);
    setFromCache(result.kind !== "ok" && Boolean(loaded));
    setForm(loaded);
    // A response saved on this device and not yet sent: say so (it is being retried in the background).
    const last = queued.at(-1);
    if (last) {
      setView({ kind: "queued", id: last.id, sending: false, savedAt: last.createdAt });
      void outbox.send(last.id);
      return;
    }
    if (!loaded) {
      setView({ kind: "network" });
      return;
    }
    const failed = items.find((i) => i.status === "failed" && i.failure?.status === 422);
    if (failed && failed.id === loadDraft(slug)?.id) backToFormWithErrors(failed, loaded.definition);
    else setView({ kind: "form" });
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once on mount (start the outbox, load the form)
  useEffect(() => {
    void outbox.start();
    void load(props.embedded ?? null);
  }, []);

  const onSubmit = async (answers: Answers) => {
    if (!slug) return;
    const id = draft.response.id;
    setView({ kind: "submitting" });
    setFormError(null);
    const outcome = await outbox.submit(slug, id, answers);
    void refreshPending();
    if (outcome.status === "sent") {
      clearDraft(slug);
      setView({ kind: "submitted", receivedAt: outcome.receivedAt });
    } else if (outcome.status === "queued") {
      clearDraft(slug); // the outbox holds the answers now
      setView({ kind: "queued", id, sending: false, savedAt: Date.now() });
    } else if (outcome.status === "failed") {
      const item = await outbox.get(id);
      if (item) onFailure(item);
    }
  };

  const startAnother = () => {
    draft.replace(freshResponse());
    setFormError(null);
    if (form) setView({ kind: "form" });
    else void load();
  };

  const backToForm = () => {
    draft.update(focusHeading);
    setView({ kind: "form" });
  };

  const pendingOthers = pending.filter((i) => view.kind !== "queued" || i.id !== view.id);
  const filling = view.kind === "form" || view.kind === "submitting";

  let content: preact.ComponentChildren = null;
  switch (view.kind) {
    case "loading":
      content = (
        <p class="fill-loading" role="status">
          {t("state.loading")}
        </p>
      );
      break;
    case "not_found":
      content = <MessageScreen t={t} kind="notFound" onRetry={() => void load()} />;
      break;
    case "closed":
    case "network":
      content = <MessageScreen t={t} kind={view.kind} onRetry={() => void load()} />;
      break;
    case "submitted":
      content = <SentScreen t={t} locale={locale} receivedAt={view.receivedAt} onAnother={startAnother} />;
      break;
    case "queued":
      content = (
        <QueuedScreen
          t={t}
          locale={locale}
          sending={view.sending}
          savedAt={view.savedAt}
          onSendNow={() => void outbox.send(view.id)}
          onAnother={form ? startAnother : undefined}
        />
      );
      break;
    case "failed":
      content = <FailedScreen t={t} message={view.message} onBack={form ? backToForm : undefined} />;
      break;
    default:
      if (form)
        content = (
          <FormRenderer
            definition={form.definition}
            locale={locale}
            state={draft.response.form}
            onStateChange={draft.update}
            formError={formError}
            submitting={view.kind === "submitting"}
            onSubmit={(answers) => void onSubmit(answers)}
            idPrefix="q"
          />
        );
  }

  return (
    <div class={props.embed ? "fill fill-embed cf-theme" : "fill cf-theme"}>
      {props.embed ? null : <FillHeader t={t} locale={locale} />}
      <div class="fill-body">
        {!online && filling ? (
          <p class="fill-banner" role="status">
            {t("state.offlineBanner")}
          </p>
        ) : null}
        {fromCache && online && view.kind === "form" ? (
          <p class="fill-banner">{t("state.offlineCopy")}</p>
        ) : null}
        {pendingOthers.length && (view.kind === "form" || view.kind === "submitted") ? (
          <p class="fill-banner">
            {t.count("state.pendingCount", pendingOthers.length)}{" "}
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
