// Writes a new migration for both databases from the change to prisma/schema.prisma, offline.
// `prisma migrate dev` needs a shadow database that the JS engine cannot replay, so we diff the
// datamodel against the snapshot taken at the previous migration instead (see README, "Database").
//
//   npm run db:migration <name>
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const schema = path.join(root, "prisma/schema.prisma");
const pgSchema = path.join(root, "prisma/postgres/schema.prisma");
const snapshot = path.join(root, "prisma/migrations/schema.snapshot.prisma");

export function postgresSchemaFrom(sqliteSchema: string): string {
  const out = sqliteSchema
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace(/url\s*=\s*"file:[^"]*"/, 'url      = "postgresql://localhost/cli-only"')
    .replace('output       = "../src/db/generated/sqlite"', 'output       = "../../src/db/generated/postgres"');
  if (out.includes('"sqlite"') || !out.includes("generated/postgres")) {
    throw new Error("prisma/schema.prisma no longer has the generator/datasource lines this script rewrites");
  }
  return "// GENERATED from ../schema.prisma by `npm run db:migration`; edit that file, not this one.\n" + out;
}

function diff(from: string | null, to: string): string {
  const args = ["prisma", "migrate", "diff", "--script", "--to-schema-datamodel", to];
  args.push(...(from ? ["--from-schema-datamodel", from] : ["--from-empty"]));
  return execFileSync("npx", args, { cwd: root, encoding: "utf8" });
}

function main(name: string | undefined) {
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("usage: npm run db:migration <snake_case_name>");
  const current = readFileSync(schema, "utf8");
  writeFileSync(pgSchema, postgresSchemaFrom(current));
  const previous = existsSync(snapshot) ? readFileSync(snapshot, "utf8") : null;
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  for (const [dialect, to, prev] of [
    ["sqlite", schema, previous],
    ["postgres", pgSchema, previous && postgresSchemaFrom(previous)],
  ] as const) {
    let fromFile: string | null = null;
    if (prev) {
      fromFile = path.join(root, `data/.snapshot.${dialect}.prisma`);
      mkdirSync(path.dirname(fromFile), { recursive: true });
      writeFileSync(fromFile, prev);
    }
    const sql = diff(fromFile, to);
    if (!sql.trim() || /empty migration/i.test(sql)) {
      console.log(`${dialect}: no change`);
      continue;
    }
    const dir = path.join(root, `prisma/migrations/${dialect}/${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), sql);
    console.log(`${dialect}: wrote ${path.relative(root, dir)}/migration.sql`);
  }
  writeFileSync(snapshot, current);
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) main(process.argv[2]);
