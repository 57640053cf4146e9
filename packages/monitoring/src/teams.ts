// Who the monitoring team calls. The ids are fixed; names are the defaults shown on the status
// board and in alarm texts, and each deployment supplies the contacts (env vars in the API, the
// `alerts` e-mails in infra/aws config).

export const TEAM_IDS = ["frontend", "backend", "platform"] as const;
export type TeamId = (typeof TEAM_IDS)[number];

export type Locale = "en" | "pt-BR";
export type Localized = Record<Locale, string>;

export interface TeamInfo {
  id: TeamId;
  name: Localized;
  /** What the team owns, in words the monitoring team uses. */
  owns: Localized;
}

export const TEAMS: Record<TeamId, TeamInfo> = {
  frontend: {
    id: "frontend",
    name: { en: "Frontend team", "pt-BR": "Time de frontend" },
    owns: {
      en: "the website people open (pages, forms on phones)",
      "pt-BR": "o site que as pessoas abrem (páginas, formulários no celular)",
    },
  },
  backend: {
    id: "backend",
    name: { en: "Backend team", "pt-BR": "Time de backend" },
    owns: {
      en: "the API: answers being received, sign-in, owners' data and exports",
      "pt-BR": "a API: recebimento de respostas, login, dados dos responsáveis e exportações",
    },
  },
  platform: {
    id: "platform",
    name: { en: "Platform team", "pt-BR": "Time de plataforma" },
    owns: {
      en: "the servers, database, cache, network and AWS account",
      "pt-BR": "os servidores, o banco de dados, o cache, a rede e a conta AWS",
    },
  },
};
