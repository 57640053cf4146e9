import {
  DEFAULT_RUNBOOK_BASE_URL,
  type Localized,
  type TEAM_IDS,
  TEAMS,
  type TeamId,
} from "@coleta/monitoring";
import { ConfigError } from "../config";
import type { Env } from "../config/env";

export type BoardMode = "public" | "token" | "off";

export interface TeamContact {
  id: TeamId;
  name: Localized;
  /** True when TEAM_<ID>_NAME replaced the default name (then it is used as written, in both languages). */
  named: boolean;
  contact: string | null;
}

export interface StatusConfig {
  mode: BoardMode;
  token: string | null;
  timeZone: string;
  runbookBaseUrl: string;
  probeIntervalMs: number;
  teams: Record<TeamId, TeamContact>;
}

/** Checks what one variable alone cannot (called at start, before anything opens). */
export function checkStatusConfig(env: Env): void {
  if (env.STATUS_BOARD === "token" && !env.STATUS_TOKEN) {
    throw new ConfigError("Invalid configuration: STATUS_TOKEN: required when STATUS_BOARD is token");
  }
}

export function statusConfig(env: Env): StatusConfig {
  checkStatusConfig(env);
  const team = (id: TeamId, name: string | undefined, contact: string | undefined): TeamContact => ({
    id,
    name: name ? { en: name, "pt-BR": name } : TEAMS[id].name,
    named: Boolean(name),
    contact: contact?.trim() || null,
  });
  const teams = {
    frontend: team("frontend", env.TEAM_FRONTEND_NAME, env.TEAM_FRONTEND_CONTACT),
    backend: team("backend", env.TEAM_BACKEND_NAME, env.TEAM_BACKEND_CONTACT),
    platform: team("platform", env.TEAM_PLATFORM_NAME, env.TEAM_PLATFORM_CONTACT),
  } satisfies Record<(typeof TEAM_IDS)[number], TeamContact>;
  return {
    mode: env.STATUS_BOARD,
    token: env.STATUS_TOKEN ?? null,
    timeZone: env.STATUS_TIMEZONE,
    runbookBaseUrl: env.RUNBOOK_BASE_URL ?? DEFAULT_RUNBOOK_BASE_URL,
    probeIntervalMs: env.STATUS_PROBE_INTERVAL_MS,
    teams,
  };
}
