// Fresh databases for a test: a SQLite file in a temp folder, or a new database on the run's throwaway
// PostgreSQL server. Both are copies of the run's migrated template (test/setup/templates.ts), so opening
// one migrates nothing; the empty ones are for tests of migrating itself.
import { copyFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { createDatabase } from "./postgres-server.ts";

const tempFile = () => path.join(mkdtempSync(path.join(os.tmpdir(), "partner-hub-test-")), "hub.db");

/** A migrated SQLite database of its own. */
export function sqliteUrl(): string {
  const file = tempFile();
  copyFileSync(inject("sqliteTemplate"), file);
  return `file:${file}`;
}

/** A SQLite file that does not exist yet: the first openDatabase creates and migrates it. */
export function emptySqliteUrl(): string {
  return `file:${tempFile()}`;
}

export const postgresAvailable = () => inject("postgresUrl") !== null;
export const postgresSkipReason = () => inject("postgresSkipReason");

let counter = 0;
function newPostgres(template?: string): Promise<string> {
  const base = inject("postgresUrl");
  if (!base) throw new Error("PostgreSQL is not available in this run");
  return createDatabase(base, `hub_${process.pid}_${Date.now()}_${counter++}`, template);
}

/** A migrated PostgreSQL database of its own. */
export const postgresUrl = (): Promise<string> => newPostgres(inject("postgresTemplate") ?? undefined);

/** A PostgreSQL database with no tables: the first openDatabase migrates it. */
export const emptyPostgresUrl = (): Promise<string> => newPostgres();
