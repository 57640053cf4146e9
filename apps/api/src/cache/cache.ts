import type { Redis } from "ioredis";

/**
 * Shared short-lived state: session cache, permission cache, rate-limit counters. Redis when
 * configured (so every replica sees the same numbers), process memory otherwise.
 */
export interface Cache {
  kind: "redis" | "memory";
  /** The Redis client behind a Redis cache (null for memory), for structures beyond get/set. */
  redis: Redis | null;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Reads and removes a key in one atomic step (one-time tokens). */
  getAndDelete(key: string): Promise<string | null>;
  /** Counts one hit in a fixed window; returns the count so far and seconds until the window resets. */
  hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
