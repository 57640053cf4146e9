import { Redis } from "ioredis";
import type { RedisConfig } from "../config";
import type { Cache } from "./cache";

// INCR and EXPIRE in one round trip, atomically: a window always gets its expiry.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
return {count, ttl}
`;

export function createRedisClient(config: RedisConfig, keyPrefix: string): Redis {
  const options = {
    keyPrefix,
    password: config.password,
    tls: config.tls ? {} : undefined,
    // Fail fast instead of queueing while disconnected: the resilient wrapper has a fallback, and a
    // request must never wait for Redis to come back.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 2_000,
    // Reconnect quickly (at most every 500 ms) so recovery after an outage is near-instant.
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 500),
    lazyConnect: false,
  };
  return config.url
    ? new Redis(config.url, options)
    : new Redis({ host: config.host, port: config.port, ...options });
}

export function createRedisCache(client: Redis): Cache {
  // Connection errors surface through the failing command and /health/ready; this listener only
  // keeps ioredis from printing them to stderr.
  client.on("error", () => {});
  return {
    kind: "redis",
    redis: client,
    get: (key) => client.get(key),
    async set(key, value, ttlSeconds) {
      if (ttlSeconds) await client.set(key, value, "EX", Math.max(1, Math.ceil(ttlSeconds)));
      else await client.set(key, value);
    },
    async del(key) {
      await client.del(key);
    },
    getAndDelete: (key) => client.getdel(key),
    async hit(key, windowSeconds) {
      const [count, ttl] = (await client.eval(HIT_SCRIPT, 1, key, windowSeconds)) as [number, number];
      return { count, resetSeconds: ttl > 0 ? ttl : windowSeconds };
    },
    async ping() {
      await client.ping();
    },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
