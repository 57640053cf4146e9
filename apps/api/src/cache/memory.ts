import type { Cache } from "./cache";

interface Entry {
  value: string;
  expiresAt: number;
}

export function createMemoryCache(now: () => number = Date.now): Cache {
  const entries = new Map<string, Entry>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  // Expired keys would otherwise pile up under a flood of distinct rate-limit keys.
  const sweeper = setInterval(() => {
    const t = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= t) entries.delete(key);
  }, 30_000);
  sweeper.unref();

  return {
    kind: "memory",
    redis: null,
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, {
        value,
        expiresAt: ttlSeconds ? now() + ttlSeconds * 1000 : Number.POSITIVE_INFINITY,
      });
    },
    async del(key) {
      entries.delete(key);
    },
    async getAndDelete(key) {
      const value = live(key)?.value ?? null;
      entries.delete(key);
      return value;
    },
    async hit(key, windowSeconds) {
      const entry = live(key);
      if (!entry) {
        entries.set(key, { value: "1", expiresAt: now() + windowSeconds * 1000 });
        return { count: 1, resetSeconds: windowSeconds };
      }
      entry.value = String(Number(entry.value) + 1);
      return {
        count: Number(entry.value),
        resetSeconds: Math.max(1, Math.ceil((entry.expiresAt - now()) / 1000)),
      };
    },
    async ping() {},
    async close() {
      clearInterval(sweeper);
      entries.clear();
    },
  };
}
