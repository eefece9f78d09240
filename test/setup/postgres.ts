// Starts one throwaway PostgreSQL 15 server for the whole test run, where the binaries exist.
// Without them the PostgreSQL tests report themselves skipped and say why.
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

const BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string | null;
    postgresSkipReason: string | null;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

function postgresUid(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_POSTGRES_URL) {
    project.provide("postgresUrl", process.env.TEST_POSTGRES_URL);
    project.provide("postgresSkipReason", null);
    return;
  }
  const skip = (reason: string) => {
    project.provide("postgresUrl", null);
    project.provide("postgresSkipReason", reason);
    console.warn(`\n[postgres] PostgreSQL tests SKIPPED: ${reason}\n`);
  };
  if (!existsSync(path.join(BIN, "initdb"))) return skip(`no PostgreSQL server binaries at ${BIN} (set PG_BIN or TEST_POSTGRES_URL)`);
  const asRoot = process.getuid?.() === 0;
  const pgUser = asRoot ? postgresUid() : null;
  if (asRoot && !pgUser) return skip("running as root and there is no 'postgres' user to run the server as");
  const dir = mkdtempSync(path.join(os.tmpdir(), "partner-hub-pg-"));
  if (pgUser) {
    chownSync(dir, pgUser.uid, pgUser.gid);
    chmodSync(dir, 0o700);
  }
  const run = (bin: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", path.join(BIN, bin), ...args], { stdio: "pipe" })
      : execFileSync(path.join(BIN, bin), args, { stdio: "pipe" });
  const port = await freePort();
  const data = path.join(dir, "data");
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale"]);
  run("pg_ctl", ["-D", data, "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "-l", path.join(dir, "log"), "-w", "start"]);
  project.provide("postgresUrl", `postgresql://postgres@127.0.0.1:${port}/postgres`);
  project.provide("postgresSkipReason", null);
  return () => {
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
