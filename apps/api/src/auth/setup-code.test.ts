import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "../config";
import { parseEnv } from "../config/env";
import { createSetupGate } from "./setup-code";

const secret = "a-development-secret-of-at-least-32-characters";
const gate = (HOST?: string, authSecret = secret) => createSetupGate({ env: parseEnv({ HOST }), authSecret });

describe("first-owner setup code", () => {
  it("tells loopback from exposed hosts", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "192.168.1.20", "10.0.0.5", "coleta.example.org", "::ffff:10.0.0.1"])
      expect(isLoopbackHost(host), host).toBe(false);
  });

  it("is not needed on the default (loopback) host", () => {
    const open = gate();
    expect(open).toMatchObject({ required: false, code: null });
    expect(open.accepts(undefined)).toBe(true);
  });

  it("is needed when exposed, accepts only the printed code (any case, with or without dashes)", () => {
    const exposed = gate("0.0.0.0");
    expect(exposed.required).toBe(true);
    expect(exposed.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const code = exposed.code ?? "";
    expect(exposed.accepts(code)).toBe(true);
    expect(exposed.accepts(code.toLowerCase().replaceAll("-", " "))).toBe(true);
    expect(exposed.accepts(undefined)).toBe(false);
    expect(exposed.accepts("")).toBe(false);
    expect(exposed.accepts(`${code}0`)).toBe(false);
    expect(exposed.accepts(code.replace(/.$/, (c) => (c === "0" ? "1" : "0")))).toBe(false);
    expect(exposed.accepts(123)).toBe(false);
  });

  it("is the same in every process with the same secret, and differs between installs", () => {
    expect(gate("0.0.0.0").code).toBe(gate("192.168.1.20").code);
    expect(gate("0.0.0.0").code).not.toBe(gate("0.0.0.0", `${secret}-other`).code);
  });
});
