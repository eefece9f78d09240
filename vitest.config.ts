import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // In order: the Prisma clients, the PostgreSQL server, then the migrated databases tests copy.
    globalSetup: ["test/setup/prisma.ts", "test/setup/postgres.ts", "test/setup/templates.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: files run two at a time; each makes its own databases.
    maxWorkers: 2,
  },
});
