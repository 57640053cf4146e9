import type { TeamId } from "@coleta/monitoring";

// Who is called, per deployment. Every value here is a placeholder: SET ME before going live, then
// run `npm run monitoring:build` (the contacts end up in alertmanager.yml and on the status board).
// Keep personal phone numbers out of the repository: point at a rota or a team channel instead.

export interface Contact {
  /** Where Alertmanager e-mails this team's alerts. */
  email: string;
  /** How a person reaches the team now (rota phone, chat channel), shown on the status board. */
  howToReach: string;
}

export const SET_ME = "SET ME";

export const CONTACTS: Record<TeamId | "monitoring", Contact> = {
  monitoring: {
    email: "set-me-monitoring-team@example.invalid",
    howToReach: `${SET_ME}: monitoring team rota`,
  },
  frontend: {
    email: "set-me-frontend-team@example.invalid",
    howToReach: `${SET_ME}: frontend on-call phone or chat channel`,
  },
  backend: {
    email: "set-me-backend-team@example.invalid",
    howToReach: `${SET_ME}: backend on-call phone or chat channel`,
  },
  platform: {
    email: "set-me-platform-team@example.invalid",
    howToReach: `${SET_ME}: platform on-call phone or chat channel`,
  },
};

/** The mail relay Alertmanager sends through (add smtp_auth_* in alertmanager.ts if it needs a login). */
export const SMTP = {
  smarthost: "set-me.smtp.example.invalid:587",
  from: "set-me-coleta-alerts@example.invalid",
} as const;
