import { describe, expect, it } from "vitest";
import { createMemoryCache } from "../cache/memory";
import type { Services } from "../context";
import { forgetRole, roleOf } from "./permissions";

// A fake database whose membership read can be held open, to interleave a change with a lookup.
function servicesWith(read: () => Promise<{ role: string }[]>): Services {
  const chain = { from: () => chain, where: () => chain, limit: () => read() };
  return {
    cache: createMemoryCache(),
    database: { db: { select: () => chain } },
  } as unknown as Services;
}

describe("permission cache", () => {
  it("does not put back a stale answer when a change lands during the lookup", async () => {
    let release: (rows: { role: string }[]) => void = () => {};
    let rows: { role: string }[] = [];
    const services = servicesWith(() =>
      release === undefined ? Promise.resolve(rows) : new Promise((resolve) => (release = resolve)),
    );
    const lookup = roleOf(services, "org", "user"); // reads "not a member"…
    await new Promise((r) => setTimeout(r, 0));
    await forgetRole(services, "org", "user"); // …while an invitation is accepted and invalidated
    release([]);
    expect(await lookup).toBeNull();
    rows = [{ role: "viewer" }];
    release = undefined as never;
    expect(await roleOf(services, "org", "user")).toBe("viewer");
  });

  it("serves repeat lookups from the cache until the next change", async () => {
    let reads = 0;
    const services = servicesWith(async () => {
      reads++;
      return [{ role: "editor" }];
    });
    expect(await roleOf(services, "o", "u")).toBe("editor");
    expect(await roleOf(services, "o", "u")).toBe("editor");
    expect(reads).toBe(1);
    await forgetRole(services, "o", "u");
    await roleOf(services, "o", "u");
    expect(reads).toBe(2);
  });
});
