import { COMPONENTS, type ComponentId, type Level, type Locale } from "@coleta/monitoring";
import type { TeamContact } from "./config";
import type { Judgement } from "./evaluate";

export const LOCALES: readonly Locale[] = ["en", "pt-BR"];

function fromTag(tag: string | undefined | null): Locale | null {
  const lower = tag?.trim().toLowerCase();
  if (!lower) return null;
  if (lower === "pt" || lower.startsWith("pt-")) return "pt-BR";
  if (lower === "en" || lower.startsWith("en-")) return "en";
  return null;
}

/** `?lang=` wins; then the first language of Accept-Language (by q) we speak; then English. */
export function pickLocale(query: string | undefined, acceptLanguage: string | undefined): Locale {
  const asked = fromTag(query);
  if (asked) return asked;
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag, weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranked) {
    const found = fromTag(tag);
    if (found) return found;
  }
  return "en";
}

const dayKey = (at: number, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    at,
  );

/** "14:05" in the board's time zone; "Mar 2, 14:05" / "2 de mar., 14:05" when it was not today. */
export function formatSince(at: number, now: number, locale: Locale, timeZone: string): string {
  const time = new Intl.DateTimeFormat(locale, {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
  if (dayKey(at, timeZone) === dayKey(now, timeZone)) return time;
  const day = new Intl.DateTimeFormat(locale, { timeZone, day: "numeric", month: "short" }).format(at);
  return `${day}, ${time}`;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** "the backend team" / "o time de backend"; a configured name is used as written. */
export function teamPhrase(team: TeamContact, locale: Locale): string {
  if (team.named) return team.name[locale];
  return locale === "en" ? `the ${lowerFirst(team.name.en)}` : `o ${lowerFirst(team.name["pt-BR"])}`;
}

const TEXT = {
  en: {
    since: "since",
    call: "call",
    rateLimited: "Many answers are being refused by the sending limits (phones keep them and retry)",
    because: { database: "the database does not answer", cache: "the cache does not answer" },
  },
  "pt-BR": {
    since: "desde",
    call: "acione",
    rateLimited:
      "Muitas respostas estão sendo recusadas pelos limites de envio (os celulares guardam e tentam de novo)",
    because: { database: "o banco de dados não responde", cache: "o cache não responde" },
  },
} as const;

export interface MessageInput {
  id: ComponentId;
  judgement: Judgement;
  /** When the current level began (epoch ms). */
  since: number;
  now: number;
  locale: Locale;
  timeZone: string;
  teams: Record<string, TeamContact>;
}

/** The team to call about a component now: the owner of the cause when a dependency is the cause. */
export function teamToCall(id: ComponentId, judgement: Judgement): ComponentId {
  return judgement.cause ?? id;
}

/**
 * One plain sentence: what people experience, since when, whom to call and how.
 * "Respondents cannot send answers since 14:05 — call the backend team: +55 11 5555-0100"
 */
export function componentMessage(input: MessageInput): string {
  const { id, judgement, locale } = input;
  const level: Level = judgement.level;
  const info = COMPONENTS[id];
  if (level === "ok") return info.impact.ok[locale];
  const text = TEXT[locale];
  let what = judgement.reason === "rate_limited" ? text.rateLimited : info.impact[level][locale];
  if (judgement.cause) what += ` (${text.because[judgement.cause]})`;
  const team = input.teams[COMPONENTS[teamToCall(id, judgement)].team] as TeamContact;
  const when = formatSince(input.since, input.now, locale, input.timeZone);
  const call = `${text.call} ${teamPhrase(team, locale)}${team.contact ? `: ${team.contact}` : ""}`;
  return `${what} ${text.since} ${when} — ${call}`;
}
