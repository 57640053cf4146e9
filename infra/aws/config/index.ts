import { devConfig } from "./dev.js";
import { prodConfig } from "./prod.js";
import type { ColetaConfig, EnvName } from "./types.js";

export type { ColetaConfig, EnvName } from "./types.js";

export const configs: Record<EnvName, ColetaConfig> = { dev: devConfig, prod: prodConfig };

export function isEnvName(value: string): value is EnvName {
  return value === "dev" || value === "prod";
}
