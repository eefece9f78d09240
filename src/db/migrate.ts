// Applies prisma/migrations/<dialect>/*/migration.sql in name order through the driver itself, with a
// ledger table. Prisma's own `migrate deploy` cannot run offline against PostgreSQL through the JS
// engine (prisma/orm#27403), and one runner for both databases keeps start-up identical.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";

const MIGRATIONS_ROOT = path.resolve(import.meta.dirname, "../../prisma/migrations");
const LEDGER = "_hub_migrations";
/** Any constant works; it only has to be the same in every instance (pg_advisory_xact_lock). */
const PG_MIGRATION_LOCK = 74_201_122;

export interface Migration {
  name: string;
  sql: string;
}

export function listMigrations(dialect: "sqlite" | "postgres"): Migration[] {
  const dir = path.join(MIGRATIONS_ROOT, dialect);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(path.join(dir, name, "migration.sql"), "utf8") }));
}

/** Returns the names applied by this call (empty when the database was already current). */
export function migrateSqlite(db: BetterSqlite3.Database): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS "${LEDGER}" (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`);
  const done = new Set(db.prepare(`SELECT name FROM "${LEDGER}"`).pluck().all() as string[]);
  const applied: string[] = [];
  for (const m of listMigrations("sqlite")) {
    if (done.has(m.name)) continue;
    // BEGIN IMMEDIATE takes the write lock first, so two processes starting together apply it once.
    db.exec("BEGIN IMMEDIATE");
    try {
      const again = db.prepare(`SELECT 1 FROM "${LEDGER}" WHERE name = ?`).get(m.name);
      if (!again) {
        db.exec(m.sql);
        db.prepare(`INSERT INTO "${LEDGER}" (name, applied_at) VALUES (?, ?)`).run(m.name, new Date().toISOString());
        applied.push(m.name);
      }
      db.exec("COMMIT");
    } catch (err) {
      db.exec("ROLLBACK");
      throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`);
    }
  }
  return applied;
}

export async function migratePostgres(client: pg.ClientBase): Promise<string[]> {
  const applied: string[] = [];
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [PG_MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS "${LEDGER}" (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`);
    const { rows } = await client.query<{ name: string }>(`SELECT name FROM "${LEDGER}"`);
    const done = new Set(rows.map((r) => r.name));
    for (const m of listMigrations("postgres")) {
      if (done.has(m.name)) continue;
      await client.query(m.sql);
      await client.query(`INSERT INTO "${LEDGER}" (name, applied_at) VALUES ($1, now())`, [m.name]);
      applied.push(m.name);
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK");
    throw new Error(`PostgreSQL migration failed: ${(err as Error).message}`);
  }
  return applied;
}
