// Test databases are copies of one database migrated for the whole run (test/setup/templates.ts): opening
// one applies no migration, and its schema is the one a new database gets from migrating.
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { listMigrations } from "../../src/db/migrate.ts";
import { emptyPostgresUrl, emptySqliteUrl, postgresAvailable, postgresUrl, sqliteUrl } from "../helpers/databases.ts";

/** Tables, indexes and triggers as SQLite stores their definitions. */
function sqliteSchema(url: string): string[] {
  const raw = new Database(url.slice("file:".length), { readonly: true });
  try {
    return raw.prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') AS d FROM sqlite_master ORDER BY type, name").pluck().all() as string[];
  } finally {
    raw.close();
  }
}

async function postgresSchema(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query<{ d: string }>(
      `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS d FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1`,
    );
    const indexes = await client.query<{ d: string }>(`SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`);
    return [...columns.rows, ...indexes.rows].map((r) => r.d);
  } finally {
    await client.end();
  }
}

describe("SQLite test databases", () => {
  it("are migrated already: opening one applies nothing, and it holds the tables", async () => {
    const url = sqliteUrl();
    const database = await openDatabase(url);
    try {
      expect(database.applied).toEqual([]);
      expect(await database.db.partner.count()).toBe(0);
    } finally {
      await database.close();
    }
  });

  it("have the schema a new database gets from every migration", async () => {
    const empty = emptySqliteUrl();
    const fresh = await openDatabase(empty);
    await fresh.close();
    expect(fresh.applied).toEqual(listMigrations("sqlite").map((m) => m.name));
    const copy = sqliteUrl();
    expect(sqliteSchema(copy)).toEqual(sqliteSchema(empty));
    expect(sqliteSchema(copy).length).toBeGreaterThan(20);
  });
});

describe.skipIf(!postgresAvailable())("PostgreSQL test databases", () => {
  it("are created from the migrated template: opening one applies nothing", async () => {
    const database = await openDatabase(await postgresUrl());
    try {
      expect(database.applied).toEqual([]);
      expect(await database.db.partner.count()).toBe(0);
    } finally {
      await database.close();
    }
  });

  it("have the schema a new database gets from every migration", async () => {
    const empty = await emptyPostgresUrl();
    const fresh = await openDatabase(empty);
    await fresh.close();
    expect(fresh.applied).toEqual(listMigrations("postgres").map((m) => m.name));
    const copy = await postgresUrl();
    const schema = await postgresSchema(copy);
    expect(schema).toEqual(await postgresSchema(empty));
    expect(schema.length).toBeGreaterThan(20);
  });
});
