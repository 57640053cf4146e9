// The npm mirror some machines use serves only the platform binaries of the machine it is on, so
// `npm install` there leaves other platforms' optional binaries (e.g. @biomejs/cli-darwin-arm64)
// out of package-lock.json, and `npm ci` then refuses the lock. This adds the missing entries as a
// full registry would record them (optional, with os/cpu/libc), so `npm ci` skips them on other
// platforms and fetches them where they apply. Run it after `npm install` changes the lock.
import { readFileSync, writeFileSync } from "node:fs";

const PLATFORM =
  /-(darwin|linux|win32|android|freebsd|openbsd|sunos|aix)-(x64|arm64|arm|ia32|riscv64|ppc64|s390x|loong64)(-(musl|gnu|msvc|gnueabihf))?$/;
const lockPath = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
let added = 0;

for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const match = PLATFORM.exec(name);
    if (!match) continue;
    const parent = path.endsWith(name) ? path : path;
    const candidates = [`${parent}/node_modules/${name}`, `node_modules/${name}`];
    if (candidates.some((p) => lock.packages[p])) continue;
    const [, os, cpu, , abi] = match;
    lock.packages[`node_modules/${name}`] = {
      version,
      cpu: [cpu],
      ...(entry.dev ? { dev: true } : {}),
      ...(os === "linux" ? { libc: [abi === "musl" ? "musl" : "glibc"] } : {}),
      optional: true,
      os: [os],
    };
    added++;
  }
}

lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} platform entr${added === 1 ? "y" : "ies"}`);
