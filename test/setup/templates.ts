// One migrated database per run, which every test database copies: a SQLite file (copied byte for byte)
// and, where the run has PostgreSQL, a database that test databases are created `WITH TEMPLATE`. A test's
// openDatabase then finds nothing to migrate. Runs after test/setup/postgres.ts (vitest.config.ts).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migratePostgres, migrateSqlite } from "../../src/db/migrate.ts";
import { createDatabase, dropDatabase } from "../helpers/postgres-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated SQLite file to copy. */
    sqliteTemplate: string;
    /** A migrated database on the run's PostgreSQL server to create others from; null without one. */
    postgresTemplate: string | null;
  }
}

function sqliteTemplate(dir: string): string {
  const file = path.join(dir, "template.db");
  const raw = new Database(file);
  try {
    raw.pragma("journal_mode = WAL"); // as openDatabase leaves a file: copies start in the same mode
    migrateSqlite(raw);
  } finally {
    raw.close(); // checkpoints the WAL into the file, so the file alone is the whole database
  }
  return file;
}

async function postgresTemplate(base: string): Promise<string> {
  // Unique per run: TEST_POSTGRES_URL may point at a server other runs share.
  const name = `hub_template_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: await createDatabase(base, name) });
  await client.connect();
  try {
    await migratePostgres(client);
  } finally {
    await client.end(); // CREATE DATABASE ... TEMPLATE refuses a template anyone is connected to
  }
  return name;
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "partner-hub-template-"));
  project.provide("sqliteTemplate", sqliteTemplate(dir));
  const base = project.getProvidedContext().postgresUrl;
  const pgTemplate = base ? await postgresTemplate(base) : null;
  project.provide("postgresTemplate", pgTemplate);
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    // A server of our own is thrown away whole; a shared one keeps nothing of this run's template.
    if (base && pgTemplate && process.env.TEST_POSTGRES_URL) await dropDatabase(base, pgTemplate);
  };
}
