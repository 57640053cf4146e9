import type { ColetaConfig, EnvName } from "./types.js";

/**
 * What every environment shares; dev.ts and prod.ts state only what differs (environmentConfig).
 * Values marked "SET ME" must be changed before a real deploy (an environment may also override them).
 */
export const baseConfig = {
  /** Everything in us-east-1 (ColetaConfig.region says why). */
  region: "us-east-1",
  hostedZone: { mode: "create" },
  cloudFrontOriginFacingPrefixListId: "pl-3b927c52",
  api: { cpuTargetPercent: 60, requestsPerTargetPerMinute: 1000 },
  database: { credentialRotationDays: 30 },
  cache: { port: 6380 },
  storage: { exportsIntelligentTieringDays: 30 },
  alerts: {
    frontend: ["frontend-team@example.com"], // SET ME
    backend: ["backend-team@example.com"], // SET ME
    platform: ["platform-owner@example.com"], // SET ME
    monitoring: ["monitoring-team@example.com"], // SET ME: receives every alarm of every team
    // SET ME: whom the monitoring team calls (shown on the dashboard coleta-<env>-status and in alarms).
    contacts: {
      frontend: { name: "Frontend on call", phone: "+00 00 0000-0001", chat: "#coleta-frontend" },
      backend: { name: "Backend on call", phone: "+00 00 0000-0002", chat: "#coleta-backend" },
      platform: { name: "Platform on call", phone: "+00 00 0000-0003", chat: "#coleta-platform" },
    },
  },
  monitoring: {
    // SET ME: link name of the published health-check form (one optional short text question).
    healthCheckFormSlug: "health-check",
  },
  budget: { actualThresholdsPercent: [80, 100], forecastThresholdPercent: 100 },
  github: {
    repository: "coleta-org/coleta", // SET ME
    // "import" if the account already has GitHub's OIDC provider (e.g. it shares one with dev)
    oidcProvider: "create",
  },
} as const satisfies {
  [K in keyof ColetaConfig]?: ColetaConfig[K] extends object ? Partial<ColetaConfig[K]> : ColetaConfig[K];
};

type Base = typeof baseConfig;
/** The sections the base sets part of: an environment states the rest, and may override the base's keys. */
type SharedSection = "api" | "database" | "cache" | "storage" | "alerts" | "monitoring" | "budget" | "github";
type SectionSettings<K extends SharedSection> = Omit<ColetaConfig[K], keyof Base[K]> &
  Partial<ColetaConfig[K]>;
/** Sections the base sets completely: an environment states them only to override something. */
type CompleteSection = { [K in SharedSection]: object extends SectionSettings<K> ? K : never }[SharedSection];

/** What an environment's file states: every setting the base leaves out, and whatever of the base it overrides. */
export type EnvironmentSettings = Omit<ColetaConfig, "envName" | keyof Base> &
  Partial<Pick<ColetaConfig, Exclude<keyof Base, SharedSection>>> & {
    readonly [K in Exclude<SharedSection, CompleteSection>]: SectionSettings<K>;
  } & { readonly [K in CompleteSection]?: SectionSettings<K> };

/** One environment's config: the base, with the environment's settings over it (section by section). */
export function environmentConfig(envName: EnvName, settings: EnvironmentSettings): ColetaConfig {
  const base = baseConfig;
  return {
    ...base,
    envName,
    ...settings,
    api: { ...base.api, ...settings.api },
    database: { ...base.database, ...settings.database },
    cache: { ...base.cache, ...settings.cache },
    storage: { ...base.storage, ...settings.storage },
    alerts: { ...base.alerts, ...settings.alerts },
    monitoring: { ...base.monitoring, ...settings.monitoring },
    budget: { ...base.budget, ...settings.budget },
    github: { ...base.github, ...settings.github },
  };
}
