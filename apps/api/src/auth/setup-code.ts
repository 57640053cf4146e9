import { createHmac, timingSafeEqual } from "node:crypto";
import { type Config, isLoopbackHost } from "../config";

// A fresh install makes its first sign-up the owner. On a laptop that listens on loopback only the
// person at the keyboard can get there first; once HOST exposes the server, anyone on the network
// could. Then the first sign-up must also carry this code, which only the console shows.

// Crockford's base32 without I, L, O, U: nothing to misread when copying from a terminal.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const GROUPS = 3;
const GROUP_LENGTH = 4;

export interface SetupGate {
  /** True when the first sign-up needs the code (the server is reachable from the network). */
  readonly required: boolean;
  /** The code to print, e.g. "K7QX-M2PD-9HTR"; null when not required. */
  readonly code: string | null;
  /** Whether a sign-up that would create the owner may go ahead with `given`. */
  accepts(given: unknown): boolean;
}

const normalize = (value: string) => value.toUpperCase().replace(/[\s-]/g, "");

/**
 * Derived from the auth secret (HMAC), so every worker process and every restart agree on it
 * without storing it, and it reveals nothing about the secret. It stops mattering once an owner exists.
 */
function deriveCode(secret: string): string {
  const digest = createHmac("sha256", secret).update("coleta:first-owner-setup-code").digest();
  let code = "";
  for (let i = 0; i < GROUPS * GROUP_LENGTH; i++) {
    if (i > 0 && i % GROUP_LENGTH === 0) code += "-";
    code += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  }
  return code;
}

export function createSetupGate(config: Pick<Config, "env" | "authSecret">): SetupGate {
  if (isLoopbackHost(config.env.HOST)) return { required: false, code: null, accepts: () => true };
  const code = deriveCode(config.authSecret);
  const expected = Buffer.from(normalize(code));
  return {
    required: true,
    code,
    accepts(given) {
      if (typeof given !== "string" || given.length > 64) return false;
      const candidate = Buffer.from(normalize(given));
      return candidate.length === expected.length && timingSafeEqual(candidate, expected);
    },
  };
}
