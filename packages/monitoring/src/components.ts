import type { Localized, TeamId } from "./teams";
import {
  type ComponentThresholds,
  DEFAULT_THRESHOLDS,
  EXPORT_THRESHOLDS,
  SUBMISSION_THRESHOLDS,
} from "./thresholds";

// The lights on the status board. Each one says, in plain words, what people experience when it is
// amber or red, and which team to call. The runbook id names docs/runbooks/<id>.md.

export const COMPONENT_IDS = [
  "public_forms",
  "submissions",
  "workspace",
  "exports",
  "database",
  "cache",
] as const;
export type ComponentId = (typeof COMPONENT_IDS)[number];
export type Level = "ok" | "degraded" | "down";

export interface ComponentInfo {
  id: ComponentId;
  name: Localized;
  team: TeamId;
  runbook: string;
  /** What people experience, one sentence per level ("since HH:MM" and the call are added). */
  impact: Record<Level, Localized>;
  /** Thresholds for the HTTP-based components; dependencies are judged by their checks. */
  thresholds?: ComponentThresholds;
}

export const COMPONENTS: Record<ComponentId, ComponentInfo> = {
  public_forms: {
    id: "public_forms",
    name: { en: "Public forms", "pt-BR": "Formulários públicos" },
    team: "backend",
    runbook: "status-public-forms",
    thresholds: DEFAULT_THRESHOLDS,
    impact: {
      ok: { en: "People can open forms.", "pt-BR": "As pessoas conseguem abrir os formulários." },
      degraded: {
        en: "Forms open slowly or some fail to open",
        "pt-BR": "Formulários abrem devagar ou alguns não abrem",
      },
      down: { en: "People cannot open forms", "pt-BR": "As pessoas não conseguem abrir os formulários" },
    },
  },
  submissions: {
    id: "submissions",
    name: { en: "Receiving answers", "pt-BR": "Recebimento de respostas" },
    team: "backend",
    runbook: "status-submissions",
    thresholds: SUBMISSION_THRESHOLDS,
    impact: {
      ok: { en: "Answers are being received.", "pt-BR": "As respostas estão sendo recebidas." },
      degraded: {
        en: "Some answers are slow or refused (phones keep them and retry)",
        "pt-BR": "Algumas respostas estão lentas ou recusadas (os celulares guardam e tentam de novo)",
      },
      down: {
        en: "Respondents cannot send answers",
        "pt-BR": "Os respondentes não conseguem enviar respostas",
      },
    },
  },
  workspace: {
    id: "workspace",
    name: { en: "Workspace (sign-in and data)", "pt-BR": "Área de trabalho (login e dados)" },
    team: "backend",
    runbook: "status-workspace",
    thresholds: DEFAULT_THRESHOLDS,
    impact: {
      ok: {
        en: "Owners can sign in and read their data.",
        "pt-BR": "Os responsáveis conseguem entrar e ver seus dados.",
      },
      degraded: {
        en: "Sign-in and data pages are slow or failing for some people",
        "pt-BR": "Login e páginas de dados estão lentos ou falhando para algumas pessoas",
      },
      down: {
        en: "Owners cannot sign in or read their data",
        "pt-BR": "Os responsáveis não conseguem entrar nem ver seus dados",
      },
    },
  },
  exports: {
    id: "exports",
    name: { en: "Exports (downloads)", "pt-BR": "Exportações (downloads)" },
    team: "backend",
    runbook: "status-exports",
    thresholds: EXPORT_THRESHOLDS,
    impact: {
      ok: { en: "Downloads of answers work.", "pt-BR": "Os downloads de respostas funcionam." },
      degraded: {
        en: "Downloads of answers are slow or some fail",
        "pt-BR": "Downloads de respostas estão lentos ou alguns falham",
      },
      down: {
        en: "Downloads of answers fail",
        "pt-BR": "Os downloads de respostas falham",
      },
    },
  },
  database: {
    id: "database",
    name: { en: "Database", "pt-BR": "Banco de dados" },
    team: "platform",
    runbook: "status-database",
    impact: {
      ok: { en: "The database answers.", "pt-BR": "O banco de dados responde." },
      degraded: {
        en: "The database is slow; everything may feel slow",
        "pt-BR": "O banco de dados está lento; tudo pode ficar lento",
      },
      down: {
        en: "The database does not answer; answers cannot be saved",
        "pt-BR": "O banco de dados não responde; as respostas não podem ser salvas",
      },
    },
  },
  cache: {
    id: "cache",
    name: { en: "Cache", "pt-BR": "Cache" },
    team: "platform",
    runbook: "status-cache",
    impact: {
      ok: { en: "The cache answers.", "pt-BR": "O cache responde." },
      degraded: {
        en: "The cache is slow; the site still works but is slower",
        "pt-BR": "O cache está lento; o site funciona, porém mais devagar",
      },
      down: {
        en: "The cache is unreachable; the site still works, slower and with local limits",
        "pt-BR": "O cache está fora do ar; o site funciona, mais devagar e com limites locais",
      },
    },
  },
};
