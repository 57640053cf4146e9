import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, listening, waitUntil } from "../../src/status/testing/net";

// A PostgreSQL server of the test's own (initdb in a temp folder, a free port on 127.0.0.1), so
// fault tests can kill and restart it without touching the server other tests share.

const BIN = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"].find(
  (dir) => existsSync(join(dir, "initdb")),
);

export const privatePostgresAvailable = () => BIN !== undefined;

// initdb and postgres refuse to run as root: drop to the postgres user when we are root.
const asRoot = process.getuid?.() === 0;
const command = (bin: string, args: string[]): [string, string[]] =>
  asRoot
    ? ["runuser", ["-u", "postgres", "--", join(BIN as string, bin), ...args]]
    : [join(BIN as string, bin), args];

export interface PrivatePostgres {
  url: string;
  port: number;
  /** Kills the server abruptly (SIGKILL), like a crash. */
  kill(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  if (!BIN) throw new Error("PostgreSQL server binaries not found (apt-get install postgresql)");
  const dir = mkdtempSync(join(tmpdir(), "coleta-pg-"));
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  const [initdb, initArgs] = command("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
  execFileSync(initdb, initArgs, { stdio: "ignore" });
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    const [postgres, args] = command("postgres", [
      "-D",
      data,
      "-p",
      String(port),
      "-k",
      dir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
      "-c",
      "full_page_writes=off",
    ]);
    child = spawn(postgres, args, { stdio: "ignore" });
    await waitUntil(() => listening(port), "private postgres to start", 20_000);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    kill() {
      // runuser forwards signals to its child; the postmaster's pid is in the data folder too.
      try {
        const pid = Number(execFileSync("head", ["-1", join(data, "postmaster.pid")]).toString());
        if (pid) process.kill(pid, "SIGKILL");
      } catch {
        child?.kill("SIGKILL");
      }
    },
    start,
    async stop() {
      try {
        const pid = Number(execFileSync("head", ["-1", join(data, "postmaster.pid")]).toString());
        if (pid) process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
      child?.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
