import type { ColetaConfig } from "../../config/types.js";

/**
 * Sizes of the Lambda variant (`-c compute=lambda`), per environment. Kept here rather than in
 * config/{dev,prod}.ts because only this variant reads them; the cost model prices these numbers.
 */
export interface LambdaSettings {
  /** Memory of the API function; Lambda gives CPU in proportion (1,769 MB = one vCPU). */
  readonly memoryMiB: number;
  /** Seconds; API Gateway HTTP APIs wait at most 30 s for an integration. */
  readonly timeoutSeconds: number;
  /**
   * The most execution environments at once (reserved concurrency). Each holds at most
   * `databasePoolSize` connections to the RDS Proxy, so this bounds the proxy's client connections.
   */
  readonly maxConcurrency: number;
  /** One request at a time per environment: two connections cover a request's parallel queries. */
  readonly databasePoolSize: number;
  /** RDS Proxy may use at most this share of the database's max_connections. */
  readonly proxyMaxConnectionsPercent: number;
  /** HTTP API stage throttle (requests per second, burst). */
  readonly throttleRatePerSecond: number;
  readonly throttleBurst: number;
  /** Alarm when the p95 duration (ms) stays above this. */
  readonly durationP95AlarmMs: number;
}

export function lambdaSettings(config: ColetaConfig): LambdaSettings {
  const prod = config.envName === "prod";
  return {
    memoryMiB: prod ? 1769 : 1024,
    timeoutSeconds: 29,
    maxConcurrency: prod ? 100 : 10,
    databasePoolSize: 2,
    proxyMaxConnectionsPercent: 80,
    throttleRatePerSecond: prod ? 500 : 50,
    throttleBurst: prod ? 1000 : 100,
    durationP95AlarmMs: 2000,
  };
}

/** Client connections to the proxy at full concurrency; the alarm fires at 80 % of it. */
export function proxyClientConnectionCeiling(settings: LambdaSettings): number {
  return settings.maxConcurrency * settings.databasePoolSize;
}
