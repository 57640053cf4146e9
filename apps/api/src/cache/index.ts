import type { Config } from "../config";
import type { Cache } from "./cache";
import { createMemoryCache } from "./memory";
import { createRedisCache, createRedisClient } from "./redis";

export type { Cache } from "./cache";

export function openCache(config: Config): Cache {
  if (!config.redis) return createMemoryCache();
  return createRedisCache(createRedisClient(config.redis, config.env.REDIS_KEY_PREFIX));
}
