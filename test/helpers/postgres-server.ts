// A throwaway PostgreSQL 15 server (initdb + pg_ctl), for the test run and the bench. As root the server
// runs as the 'postgres' user (PostgreSQL refuses root). Returns why it could not start instead of throwing.
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export type PostgresServer = { url: string; stop(): void } | { skipped: string };

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

export async function startPostgresServer(opts: { fsync?: boolean } = {}): Promise<PostgresServer> {
  if (!existsSync(path.join(BIN, "initdb"))) return { skipped: `no PostgreSQL server binaries at ${BIN} (set PG_BIN or TEST_POSTGRES_URL)` };
  const asRoot = process.getuid?.() === 0;
  const pgUser = asRoot ? postgresUid() : null;
  if (asRoot && !pgUser) return { skipped: "running as root and there is no 'postgres' user to run the server as" };
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
  // Tests skip fsync for speed; the bench keeps it, so its figures are those of a durable server.
  const fsync = opts.fsync ? "" : " -c fsync=off";
  run("pg_ctl", ["-D", data, "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${fsync}`, "-l", path.join(dir, "log"), "-w", "start"]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A new database on the server at `base`: empty, or a copy of `template` (which nobody may be connected to). */
export async function createDatabase(base: string, name: string, template?: string): Promise<string> {
  await onServer(base, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
  return databaseUrl(base, name);
}

export async function dropDatabase(base: string, name: string): Promise<void> {
  await onServer(base, `DROP DATABASE IF EXISTS ${name}`);
}

/** The URL of database `name` on the server at `base`. */
export const databaseUrl = (base: string, name: string) => base.replace(/\/[^/]*$/, `/${name}`);

async function onServer(base: string, sql: string): Promise<void> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
