// One model, three files: prisma/schema.prisma is the source; the PostgreSQL schema is generated from it and
// the migration snapshot is what the last migration was made from. Edited by hand, either one drifts.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { postgresSchemaFrom } from "../../prisma/make-migration.ts";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

describe("the Prisma schemas agree", () => {
  it("prisma/postgres/schema.prisma is what `npm run db:migration` makes of prisma/schema.prisma", () => {
    expect(read("prisma/postgres/schema.prisma"), "run `npm run db:migration <name>` after changing prisma/schema.prisma").toBe(postgresSchemaFrom(read("prisma/schema.prisma")));
  });

  it("the last migration was made from the current schema (the snapshot matches it)", () => {
    expect(read("prisma/migrations/schema.snapshot.prisma"), "prisma/schema.prisma changed without a migration: run `npm run db:migration <name>`").toBe(read("prisma/schema.prisma"));
  });
});
