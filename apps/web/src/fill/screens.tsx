/** @jsxImportSource preact */
// The fill page's full-page states other than the form: not found, closed, network error, sent,
// saved on this device, failed.
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import { formatDateTime, type Locale } from "../i18n/core";
import type { T } from "../renderer/messages";

interface ScreenProps {
  /** Which screen this is: a new one scrolls to the top and takes focus. */
  screen: string;
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}

/**
 * One full-page state. When the screen changes, the page scrolls to the top (the respondent may have
 * been at the bottom of a long form) and focus moves to its heading, so a screen reader announces it.
 */
function Screen(props: ScreenProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per screen shown, not on every re-render of it
  useLayoutEffect(() => {
    globalThis.scrollTo?.(0, 0);
    heading.current?.focus({ preventScroll: true });
  }, [props.screen]);
  return (
    <section class="fill-status" aria-labelledby="fill-status-title">
      <h1 id="fill-status-title" tabIndex={-1} ref={heading}>
        {props.title}
      </h1>
      {props.children}
      {props.actions ? <div class="fill-actions">{props.actions}</div> : null}
    </section>
  );
}

function Action(props: { primary?: boolean; disabled?: boolean; onClick: () => void; children: string }) {
  return (
    <button
      type="button"
      class={`cf-button ${props.primary ? "cf-primary" : "cf-secondary"}`}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  );
}

/** A screen that only says something: the form does not exist, is closed, or could not be loaded. */
export function MessageScreen(props: { t: T; kind: "notFound" | "closed" | "network"; onRetry: () => void }) {
  const { t, kind } = props;
  return (
    <Screen
      screen={kind}
      title={t(`state.${kind}.title`)}
      actions={
        kind === "network" ? (
          <Action primary onClick={props.onRetry}>
            {t("state.retry")}
          </Action>
        ) : null
      }
    >
      <p>{t(`state.${kind}.body`)}</p>
    </Screen>
  );
}

export function SentScreen(props: { t: T; locale: Locale; receivedAt?: string; onAnother: () => void }) {
  const { t, locale } = props;
  return (
    <Screen
      screen="submitted"
      title={t("state.submitted.title")}
      actions={<Action onClick={props.onAnother}>{t("state.another")}</Action>}
    >
      <p class="fill-badge fill-ok" role="status">
        <span aria-hidden="true">✓ </span>
        {t("state.sent")}
      </p>
      <p>{t("state.submitted.body")}</p>
      {props.receivedAt ? (
        <p class="fill-muted">{t("state.receivedAt", { time: formatDateTime(locale, props.receivedAt) })}</p>
      ) : null}
    </Screen>
  );
}

interface QueuedProps {
  t: T;
  locale: Locale;
  sending: boolean;
  savedAt: number;
  onSendNow: () => void;
  /** Absent when the form itself is not on this device (nothing to fill in again). */
  onAnother?: (() => void) | undefined;
}

export function QueuedScreen(props: QueuedProps) {
  const { t, locale } = props;
  return (
    <Screen
      screen="queued"
      title={t("state.queued.title")}
      actions={
        <>
          <Action primary disabled={props.sending} onClick={props.onSendNow}>
            {t("state.sendNow")}
          </Action>
          {props.onAnother ? <Action onClick={props.onAnother}>{t("state.another")}</Action> : null}
        </>
      }
    >
      <p class="fill-badge fill-wait" role="status">
        {props.sending ? t("state.sending") : t("state.queued.body")}
      </p>
      <p class="fill-muted">{t("state.savedAt", { time: formatDateTime(locale, props.savedAt) })}</p>
    </Screen>
  );
}

export function FailedScreen(props: { t: T; message: string; onBack?: (() => void) | undefined }) {
  const { t } = props;
  return (
    <Screen
      screen="failed"
      title={t("state.failed.title")}
      actions={props.onBack ? <Action onClick={props.onBack}>{t("state.backToForm")}</Action> : null}
    >
      <p class="cf-error" role="alert">
        {props.message}
      </p>
      <p>{t("state.failed.body")}</p>
    </Screen>
  );
}
