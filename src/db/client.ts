// One Prisma client for either database. SQLite (a file, WAL on) is the default; PostgreSQL is the
// multi-instance mode. Both generated clients have the same API, so the rest of the code sees one type.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import { migratePostgres, migrateSqlite } from "./migrate.ts";
import { resolveDatabase, type DatabaseTarget } from "./url.ts";

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

export async function openDatabase(databaseUrl: string | undefined, root = process.cwd()): Promise<Database_> {
  const target = resolveDatabase(databaseUrl, root);
  if (target.dialect === "sqlite") {
    if (target.file !== ":memory:") mkdirSync(path.dirname(target.file), { recursive: true });
    const raw = new Database(target.file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
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
    return { db, target, applied, close: () => db.$disconnect() };
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  let applied: string[];
  try {
    applied = await migratePostgres(client);
  } finally {
    await client.end();
  }
  const db = new PostgresClient({ adapter: new PrismaPg({ connectionString: target.url }) }) as unknown as Db;
  return { db, target, applied, close: () => db.$disconnect() };
}
