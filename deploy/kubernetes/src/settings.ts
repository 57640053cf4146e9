// The API's settings as Kubernetes env entries. Names are the keys of the API's own schema
// (apps/api/src/config/env.ts), so a renamed or removed setting fails the typecheck here, and the
// tests parse every container's literal settings with the API's parseEnv.
import type { envSchema } from "../../../apps/api/src/config/env.ts";
import { parseEnv } from "../../../apps/api/src/config/env.ts";

export type SettingName = keyof typeof envSchema.shape;

/** A literal value, or a key of a Secret (created by hand locally, by External Secrets on EKS). */
export type SettingValue = string | { secret: string; key: string };

export type Settings = Partial<Record<SettingName, SettingValue>>;

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

export function envVars(settings: Settings): EnvVar[] {
  return Object.entries(settings).map(([name, value]) =>
    typeof value === "string"
      ? { name, value }
      : { name, valueFrom: { secretKeyRef: { name: (value as { secret: string }).secret, key: value.key } } },
  );
}

/** The API's defaults: what it uses when a variable is unset (e.g. SHUTDOWN_TIMEOUT_MS). */
export const API_DEFAULTS = parseEnv({});
