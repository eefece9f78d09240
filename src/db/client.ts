// One Prisma client for either database. SQLite (a file, WAL on) is the default; PostgreSQL is the
// multi-instance mode. The rest of the code sees one type, Db; portable.ts proves a PostgreSQL client is one.
// Only src/db/ imports the generated clients (test/db/generated-imports.test.ts); raw SQL is built with sql.ts.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import { startCheckpointer } from "./checkpointer.ts";
import { migratePostgres, migrateSqlite } from "./migrate.ts";
import { postgresAsDb } from "./portable.ts";
import { resolveDatabase, type DatabaseTarget } from "./url.ts";
import { ConfigError } from "../lib/errors.ts";
import { describeDatabaseUrl } from "../lib/logger.ts";

/** The API both databases offer: SQLite's, the smaller one (portable.ts). */
export type Db = SqliteClient;

export interface Database_ {
  db: Db;
  target: DatabaseTarget;
  /** Migrations this start applied, by name. */
  applied: string[];
  close(): Promise<void>;
}

/**
 * Busy timeout: a CLI import and a running hub share one SQLite file, and an import holds the write
 * lock for its whole transaction (about 30 s for 50,000 new partners). The hub's writes wait that out.
 */
const SQLITE_BUSY_TIMEOUT_MS = 120_000;

export interface OpenOptions {
  /**
   * A long-running hub: SQLite's checkpoints run on a worker thread (src/db/checkpointer.ts) instead of in
   * the commit that fills the log; this hears of one that failed.
   */
  checkpointErrors?: (message: string) => void;
}

export async function openDatabase(databaseUrl: string | undefined, root = process.cwd(), opts: OpenOptions = {}): Promise<Database_> {
  const target = resolveDatabase(databaseUrl, root);
  if (target.dialect === "sqlite") {
    let raw: Database.Database;
    try {
      if (target.file !== ":memory:") mkdirSync(path.dirname(target.file), { recursive: true });
      raw = new Database(target.file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    } catch (err) {
      throw new ConfigError([`DATABASE_URL: cannot open the SQLite file ${target.file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
    }
    raw.pragma("journal_mode = WAL");
    let applied: string[];
    try {
      applied = migrateSqlite(raw);
    } finally {
      raw.close();
    }
    const db = new SqliteClient({
      adapter: new PrismaBetterSQLite3({ url: `file:${target.file}`, timeout: SQLITE_BUSY_TIMEOUT_MS }),
    });
    // WAL makes synchronous=NORMAL durable against application crashes (it may lose the last
    // transactions on power loss only); foreign keys are off by default in SQLite.
    await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
    await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
    if (!opts.checkpointErrors || target.file === ":memory:") return { db, target, applied, close: () => db.$disconnect() };
    await db.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 0");
    const checkpointer = startCheckpointer(target.file, opts.checkpointErrors);
    return {
      db, target, applied,
      close: async () => {
        await checkpointer.stop();
        await db.$disconnect();
      },
    };
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect().catch((err: unknown) => {
    throw connectionProblem(err, target.url);
  });
  let applied: string[];
  try {
    applied = await migratePostgres(client);
  } finally {
    await client.end();
  }
  const db = postgresAsDb(new PostgresClient({ adapter: new PrismaPg({ connectionString: target.url }) }));
  return { db, target, applied, close: () => db.$disconnect() };
}

/**
 * Why PostgreSQL could not be reached, as a configuration problem naming DATABASE_URL: unreachable
 * (ECONNREFUSED, ENOTFOUND, ETIMEDOUT; "localhost" tries ::1 and 127.0.0.1, so an AggregateError),
 * the login refused (28P01), or no such database (3D000). https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
function connectionProblem(err: unknown, url: string): Error {
  const e = err as NodeJS.ErrnoException & { errors?: NodeJS.ErrnoException[] };
  const code = e.code ?? e.errors?.[0]?.code;
  const where = describeDatabaseUrl(url);
  if (code === "28P01" || code === "28000") return new ConfigError([`DATABASE_URL: PostgreSQL refused the login at ${where} (${code})`]);
  if (code === "3D000") return new ConfigError([`DATABASE_URL: no such database at ${where} (${code}); create it first`]);
  if (code && /^E[A-Z]+$/.test(code)) return new ConfigError([`DATABASE_URL: cannot reach PostgreSQL at ${where} (${code})`]);
  return err as Error;
}
