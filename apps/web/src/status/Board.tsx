/** @jsxImportSource preact */
import type { Level, Locale } from "@coleta/monitoring";
import { useEffect, useState } from "preact/hooks";
import { LOCALES, setLocale } from "../i18n/core";
import { type LoadResult, loadStatus, REFRESH_MS, type StatusDocument, type Team } from "./api";
import { STRINGS } from "./strings";

const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", "pt-BR": "Português" };

/** Shape + glyph + colour: the level reads without colour (✓ circle, ! triangle, ✕ octagon). */
export function LevelIcon({ level, size = 40 }: { level: Level; size?: number }) {
  return (
    <svg
      class={`icon icon-${level}`}
      width={size}
      height={size}
      viewBox="0 0 40 40"
      aria-hidden="true"
      focusable="false"
    >
      {level === "ok" && (
        <>
          <circle cx="20" cy="20" r="18" class="icon-shape" />
          <path d="M11 20.5l6 6 12-13" class="icon-glyph" />
        </>
      )}
      {level === "degraded" && (
        <>
          <path d="M20 3 L38 36 H2 Z" class="icon-shape" stroke-linejoin="round" />
          <path d="M20 14v10" class="icon-glyph" />
          <circle cx="20" cy="30" r="2.2" class="icon-dot" />
        </>
      )}
      {level === "down" && (
        <>
          <path d="M13 2h14l11 11v14L27 38H13L2 27V13Z" class="icon-shape" />
          <path d="M13 13l14 14M27 13L13 27" class="icon-glyph" />
        </>
      )}
    </svg>
  );
}

function formatTime(at: string | number, locale: Locale, timeZone: string, seconds = false): string {
  const options: Intl.DateTimeFormatOptions = {
    hour: "2-digit",
    minute: "2-digit",
    ...(seconds ? { second: "2-digit" } : {}),
    hourCycle: "h23",
  };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(new Date(at));
  } catch {
    return new Intl.DateTimeFormat(locale, options).format(new Date(at));
  }
}

function uniqueTeams(doc: StatusDocument): Team[] {
  const seen = new Map<string, Team>();
  for (const c of doc.components) if (c.call && !seen.has(c.call.id)) seen.set(c.call.id, c.call);
  return [...seen.values()];
}

export interface BoardProps {
  initialLocale: Locale;
  token: string | null;
  load?: (locale: Locale, token: string | null) => Promise<LoadResult>;
  refreshMs?: number;
}

export function Board({ initialLocale, token, load = loadStatus, refreshMs = REFRESH_MS }: BoardProps) {
  const [locale, setCurrent] = useState<Locale>(initialLocale);
  const [doc, setDoc] = useState<StatusDocument | null>(null);
  const [problem, setProblem] = useState<LoadResult["kind"] | null>(null);
  const [lastOk, setLastOk] = useState<number | null>(null);
  const s = STRINGS[locale];

  useEffect(() => {
    document.title = s.title;
  }, [s]);

  // One polling loop per language; a switch cancels the old loop, including a fetch still in flight.
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const result = await load(locale, token);
      if (cancelled) return;
      if (result.kind === "ok") {
        setDoc(result.doc);
        setLastOk(Date.now());
        setProblem(null);
      } else {
        setProblem(result.kind);
      }
      timer = setTimeout(tick, refreshMs);
    };
    void tick();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [locale, token, load, refreshMs]);

  const choose = (next: Locale) => {
    if (next === locale) return;
    setLocale(next);
    setCurrent(next);
  };

  const header = (
    <header class="top">
      <h1>{s.title}</h1>
      <fieldset class="lang">
        <legend class="visually-hidden">{s.language}</legend>
        {LOCALES.map((l) => (
          <button type="button" key={l} lang={l} aria-pressed={l === locale} onClick={() => choose(l)}>
            {LANGUAGE_NAMES[l]}
          </button>
        ))}
      </fieldset>
    </header>
  );

  if (!doc) {
    const text =
      problem === "unauthorized"
        ? s.unauthorized
        : problem === "off"
          ? s.off
          : problem === "error"
            ? s.failed
            : s.loading;
    return (
      <div class="board">
        {header}
        <main>
          <p class="notice" role={problem ? "alert" : "status"} data-state={problem ?? "loading"}>
            {text}
          </p>
        </main>
      </div>
    );
  }

  const tz = doc.timeZone;
  const affected = doc.components.filter((c) => c.status !== "ok");
  const teams = uniqueTeams(doc);
  const cacheDown = doc.components.some((c) => c.id === "cache" && c.status !== "ok");
  const stale = problem !== null;

  return (
    <div class={`board board-${doc.status}`} data-status={doc.status} data-stale={stale ? "true" : "false"}>
      {header}
      <main>
        {stale && (
          <div class="stale" role="alert" data-testid="stale">
            <LevelIcon level="degraded" size={32} />
            <p>
              <strong>{s.stale}</strong> {s.staleHint}{" "}
              {lastOk !== null && (
                <span>
                  ({s.updated} {formatTime(lastOk, locale, tz, true)})
                </span>
              )}
            </p>
          </div>
        )}

        <section class={`summary level-${doc.status}`} aria-labelledby="summary-title">
          <LevelIcon level={doc.status} size={72} />
          <div>
            <div role="status">
              <h2 id="summary-title">{s.overall[doc.status]}</h2>
              {affected.length > 0 && (
                <p class="affected">
                  {s.affected}: {affected.map((c) => c.name).join(", ")}.
                </p>
              )}
            </div>
            <div class="call">
              <h3>{s.whoToCall}</h3>
              {teams.length === 0 ? (
                <p>{s.noOneToCall}</p>
              ) : (
                <ul>
                  {teams.map((t) => (
                    <li key={t.id}>
                      <strong>{t.name}</strong>
                      {t.contact ? `: ${t.contact}` : ""}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </section>

        <p class="updated">
          <span data-testid="updated">
            {s.updated} {formatTime(doc.updatedAt, locale, tz, true)}
          </span>{" "}
          · {s.refreshNote}
          {doc.scope === "this-replica" && cacheDown && <> · {s.localView}</>}
        </p>

        <section aria-labelledby="components-title">
          <h2 id="components-title" class="visually-hidden">
            {s.components}
          </h2>
          <ul class="rows">
            {doc.components.map((c) => (
              <li key={c.id} class={`row level-${c.status}`} data-component={c.id} data-status={c.status}>
                <span class="badge">
                  <LevelIcon level={c.status} />
                  <span class="word">{s.level[c.status]}</span>
                </span>
                <h3 class="name">{c.name}</h3>
                <p class="message">{c.message}</p>
                <a class="runbook" href={c.runbook} target="_blank" rel="noopener noreferrer">
                  {s.runbook}
                  <span class="visually-hidden"> — {c.name}</span>
                </a>
              </li>
            ))}
          </ul>
        </section>

        <section class="timeline" aria-labelledby="timeline-title">
          <h2 id="timeline-title">{s.timeline}</h2>
          {doc.timeline.length === 0 ? (
            <p>{s.timelineEmpty}</p>
          ) : (
            <ol>
              {doc.timeline.map((t) => (
                <li key={`${t.component}-${t.at}-${t.to}`} class={`change level-${t.to}`}>
                  <time dateTime={t.at}>{formatTime(t.at, locale, tz)}</time>
                  <LevelIcon level={t.to} size={24} />
                  <span>
                    <strong>{t.name}</strong>: {s.level[t.from]} → {s.level[t.to]}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </main>
    </div>
  );
}
