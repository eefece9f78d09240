// Prisma CLI configuration. engine "js" + the driver adapter keep every CLI command offline:
// no query-engine or schema-engine binary is downloaded (see README, "Database"). The CLI never
// touches the real database: the hub applies migrations itself at start (src/db/migrate.ts).
import os from "node:os";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  async adapter() {
    return new PrismaBetterSQLite3({ url: `file:${path.join(os.tmpdir(), "partner-hub-prisma-cli.db")}` });
  },
});
