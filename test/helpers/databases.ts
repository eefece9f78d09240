// Fresh databases for a test: a SQLite file in a temp folder, or a new database on the run's
// throwaway PostgreSQL server.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { createDatabase } from "./postgres-server.ts";

export function sqliteUrl(): string {
  return `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "partner-hub-test-")), "hub.db")}`;
}

export const postgresAvailable = () => inject("postgresUrl") !== null;
export const postgresSkipReason = () => inject("postgresSkipReason");

let counter = 0;
export async function postgresUrl(): Promise<string> {
  const base = inject("postgresUrl");
  if (!base) throw new Error("PostgreSQL is not available in this run");
  return createDatabase(base, `hub_${process.pid}_${Date.now()}_${counter++}`);
}
