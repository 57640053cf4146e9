import type { Config } from "../config";
import type { Cache } from "./cache";
import { createMemoryCache } from "./memory";
import { createRedisCache, createRedisClient } from "./redis";
import { makeResilient, type ResilientCache } from "./resilient";

export type { Cache } from "./cache";
export type { CacheHealth, ResilientCache } from "./resilient";

export function openCache(config: Config): Cache & Partial<Pick<ResilientCache, "health">> {
  if (!config.redis) return createMemoryCache();
  return makeResilient(createRedisCache(createRedisClient(config.redis, config.env.REDIS_KEY_PREFIX)));
}
