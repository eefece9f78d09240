// The generated Prisma clients live in src/db/generated (not committed). A fresh checkout whose install
// skipped `prisma generate` would fail every test on a missing import: generate them first.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export default function setup() {
  for (const [schema, client] of [
    ["prisma/schema.prisma", "src/db/generated/sqlite/client.ts"],
    ["prisma/postgres/schema.prisma", "src/db/generated/postgres/client.ts"],
  ]) {
    if (existsSync(path.join(root, client))) continue;
    console.warn(`[prisma] ${client} is missing: generating it from ${schema}`);
    execFileSync(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), "generate", "--schema", schema], { cwd: root, stdio: "inherit" });
  }
}
