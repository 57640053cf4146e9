import { BURN_RATE_WINDOWS, SLOS } from "./slo";
import type { Localized, TeamId } from "./teams";
import { RATE_LIMITED_RATIO_DEGRADED, STATUS_MIN_REQUESTS } from "./thresholds";

// The Prometheus alerts: their names, who is called, how urgently, and what the monitoring team
// reads. The PromQL lives in deploy/monitoring (it is Prometheus-specific); everything a person
// reads or acts on lives here, next to the thresholds. Each alert's runbook is
// docs/runbooks/alert-<kebab-case name>.md.

/** page = call the owning team now, day or night; ticket = tell them today, in working hours. */
export type Severity = (typeof BURN_RATE_WINDOWS)[number]["severity"];
export const SEVERITIES: readonly Severity[] = ["page", "ticket"];

export const SEVERITY_URGENCY: Record<Severity, Localized> = {
  page: { en: "Now, day or night", "pt-BR": "Agora, de dia ou de noite" },
  ticket: { en: "Today, during working hours", "pt-BR": "Hoje, em horário comercial" },
};

export type SloKey = keyof typeof SLOS;

export interface AlertInfo {
  /** The Prometheus alert name (PascalCase). */
  name: string;
  team: TeamId;
  severity: Severity;
  /** One or two plain sentences: what people experience and whom to call. */
  summary: Localized;
  /** Runbook id: docs/runbooks/<runbook>.md. */
  runbook: string;
  /** Set for the SLO burn-rate alerts. */
  slo?: SloKey;
}

/** "SubmissionAvailabilityBurnPage" → "alert-submission-availability-burn-page". */
export function alertRunbookId(name: string): string {
  return `alert-${name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}`;
}

// --- Thresholds of the alerts that watch causes rather than SLOs -----------------------------------

/** A scrape target (one API process) that does not answer for this long pages. */
export const API_DOWN_FOR_MINUTES = 2;
/** Event-loop lag (p99) above this for EVENT_LOOP_LAG_FOR_MINUTES: the process is overloaded. */
export const EVENT_LOOP_LAG_P99_ALERT_SECONDS = 0.25;
export const EVENT_LOOP_LAG_FOR_MINUTES = 10;
/** Requests waiting for a database connection, continuously for this long. */
export const DB_POOL_WAITING_FOR_MINUTES = 5;
/**
 * Submissions refused for one reason other than validation (rate limits, unknown or closed forms, id
 * conflicts): share of all submission attempts over the window, and the least number of refusals
 * that counts as a spike (a handful of refusals on a quiet night is not one).
 */
export const SUBMISSION_REJECTED_SPIKE = {
  ratio: RATE_LIMITED_RATIO_DEGRADED,
  minRejected: STATUS_MIN_REQUESTS,
  windowMinutes: 10,
  forMinutes: 5,
} as const;

// --- The texts --------------------------------------------------------------------------------------

const SLO_ALERT_TEXT: Record<SloKey, { name: string; summary: Record<Severity, Localized> }> = {
  submissionAvailability: {
    name: "SubmissionAvailability",
    summary: {
      page: {
        en: "Many answers from respondents are failing to save right now. Call the Backend team now.",
        "pt-BR":
          "Muitas respostas dos respondentes não estão sendo salvas agora. Ligue agora para o time de backend.",
      },
      ticket: {
        en: "Some answers from respondents have been failing to save over the last hours. Tell the Backend team today.",
        "pt-BR":
          "Algumas respostas dos respondentes falharam ao salvar nas últimas horas. Avise o time de backend hoje.",
      },
    },
  },
  submissionLatency: {
    name: "SubmissionLatency",
    summary: {
      page: {
        en: "Sending answers is slow for many respondents right now. Call the Backend team now.",
        "pt-BR":
          "Enviar respostas está lento para muitos respondentes agora. Ligue agora para o time de backend.",
      },
      ticket: {
        en: "Sending answers has been slow for some respondents over the last hours. Tell the Backend team today.",
        "pt-BR":
          "Enviar respostas ficou lento para alguns respondentes nas últimas horas. Avise o time de backend hoje.",
      },
    },
  },
  workspaceAvailability: {
    name: "WorkspaceAvailability",
    summary: {
      page: {
        en: "Many people cannot sign in or open their forms and answers right now. Call the Backend team now.",
        "pt-BR":
          "Muitas pessoas não conseguem entrar nem abrir seus formulários e respostas agora. Ligue agora para o time de backend.",
      },
      ticket: {
        en: "Sign-in and data pages have been failing for some people over the last hours. Tell the Backend team today.",
        "pt-BR":
          "Login e páginas de dados falharam para algumas pessoas nas últimas horas. Avise o time de backend hoje.",
      },
    },
  },
  databaseReadiness: {
    name: "DatabaseReadiness",
    summary: {
      page: {
        en: "The database is not answering; answers and sign-ins may fail. Call the Platform team now.",
        "pt-BR":
          "O banco de dados não está respondendo; respostas e logins podem falhar. Ligue agora para o time de plataforma.",
      },
      ticket: {
        en: "The database has failed some of its checks over the last hours. Tell the Platform team today.",
        "pt-BR":
          "O banco de dados falhou em algumas verificações nas últimas horas. Avise o time de plataforma hoje.",
      },
    },
  },
};

function sloAlerts(): AlertInfo[] {
  const severities = SEVERITIES.filter((s) => BURN_RATE_WINDOWS.some((w) => w.severity === s));
  return (Object.keys(SLOS) as SloKey[]).flatMap((slo) =>
    severities.map((severity) => {
      const name = `${SLO_ALERT_TEXT[slo].name}Burn${severity === "page" ? "Page" : "Ticket"}`;
      return {
        name,
        team: SLOS[slo].team,
        severity,
        summary: SLO_ALERT_TEXT[slo].summary[severity],
        runbook: alertRunbookId(name),
        slo,
      };
    }),
  );
}

function causeAlert(info: Omit<AlertInfo, "runbook">): AlertInfo {
  return { ...info, runbook: alertRunbookId(info.name) };
}

const CAUSE_ALERTS: AlertInfo[] = [
  causeAlert({
    name: "ApiTargetDown",
    team: "platform",
    severity: "page",
    summary: {
      en: "A Coleta server has stopped answering. If every server is down, nobody can use Coleta. Call the Platform team now.",
      "pt-BR":
        "Um servidor do Coleta parou de responder. Se todos pararem, ninguém consegue usar o Coleta. Ligue agora para o time de plataforma.",
    },
  }),
  causeAlert({
    name: "EventLoopLagHigh",
    team: "backend",
    severity: "ticket",
    summary: {
      en: "A Coleta server is overloaded; pages and answers may be slow. Tell the Backend team today.",
      "pt-BR":
        "Um servidor do Coleta está sobrecarregado; páginas e respostas podem ficar lentas. Avise o time de backend hoje.",
    },
  }),
  causeAlert({
    name: "DatabasePoolWaiting",
    team: "platform",
    severity: "ticket",
    summary: {
      en: "Requests have been queuing for the database for several minutes; Coleta may be slow. Tell the Platform team today.",
      "pt-BR":
        "Pedidos estão na fila do banco de dados há vários minutos; o Coleta pode ficar lento. Avise o time de plataforma hoje.",
    },
  }),
  causeAlert({
    name: "SubmissionsRejectedSpike",
    team: "backend",
    severity: "ticket",
    summary: {
      en: "Many answers are being refused (reason: {{ $labels.reason }}). Tell the Backend team today.",
      "pt-BR":
        "Muitas respostas estão sendo recusadas (motivo: {{ $labels.reason }}). Avise o time de backend hoje.",
    },
  }),
];

/** Every Prometheus alert, SLO burn-rate alerts first. */
export const PROMETHEUS_ALERTS: readonly AlertInfo[] = [...sloAlerts(), ...CAUSE_ALERTS];

export function prometheusAlert(name: string): AlertInfo {
  const found = PROMETHEUS_ALERTS.find((a) => a.name === name);
  if (!found) throw new Error(`unknown alert ${name}`);
  return found;
}

/** Runbook ids of the Prometheus alerts (docs/runbooks/<id>.md). */
export const ALERT_RUNBOOKS: readonly string[] = PROMETHEUS_ALERTS.map((a) => a.runbook);
