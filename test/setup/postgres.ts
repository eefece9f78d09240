// Starts one throwaway PostgreSQL 15 server for the whole test run, where the binaries exist.
// Without them the PostgreSQL tests report themselves skipped and say why.
import type { TestProject } from "vitest/node";
import { startPostgresServer } from "../helpers/postgres-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string | null;
    postgresSkipReason: string | null;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_POSTGRES_URL) {
    project.provide("postgresUrl", process.env.TEST_POSTGRES_URL);
    project.provide("postgresSkipReason", null);
    return;
  }
  const server = await startPostgresServer();
  if ("skipped" in server) {
    project.provide("postgresUrl", null);
    project.provide("postgresSkipReason", server.skipped);
    console.warn(`\n[postgres] PostgreSQL tests SKIPPED: ${server.skipped}\n`);
    return;
  }
  project.provide("postgresUrl", server.url);
  project.provide("postgresSkipReason", null);
  return () => server.stop();
}
