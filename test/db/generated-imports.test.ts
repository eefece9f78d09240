// Only src/db/ knows there are two generated Prisma clients: everything else runs on either database, so it
// takes the client's type from src/db/client.ts (Db) and raw SQL helpers from src/db/sql.ts. An import of
// generated/sqlite in code that runs on PostgreSQL types it against the wrong client.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const GENERATED = path.join(ROOT, "src/db/generated");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || full === GENERATED ? [] : sources(full);
    return /\.(ts|js|mjs)$/.test(e.name) ? [full] : [];
  });
}

/** What a file's text, in that folder, imports or re-exports from a generated client (static or dynamic). */
function generatedImports(text: string, dir: string): string[] {
  return [...text.matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)]
    .map((m) => m[1])
    .filter((s) => s.startsWith(".") && path.resolve(dir, s).startsWith(GENERATED + path.sep));
}

describe("generated Prisma clients", () => {
  it("are imported only inside src/db/", () => {
    const files = ["src", "adapters", "test", "prisma"].flatMap((d) => sources(path.join(ROOT, d)));
    const outside = files.filter((f) => !f.startsWith(path.join(ROOT, "src/db") + path.sep));
    expect(outside.length).toBeGreaterThan(50);
    const offenders = outside.flatMap((f) => generatedImports(readFileSync(f, "utf8"), path.dirname(f)).map((s) => `${path.relative(ROOT, f)}: ${s}`));
    expect(offenders).toEqual([]);
  });

  it("would be caught in any of the ways a file can import them", () => {
    // The check above on text that does it wrong, so that it cannot pass by finding nothing.
    const probe = (text: string) => generatedImports(text, path.join(ROOT, "src/history"));
    expect(probe(`import { Prisma } from "../db/generated/sqlite/client.ts";`)).toHaveLength(1);
    expect(probe(`import type { Partner } from '../db/generated/postgres/models.ts';`)).toHaveLength(1);
    expect(probe(`export * from "../db/generated/sqlite/enums.ts";`)).toHaveLength(1);
    expect(probe(`const m = await import("../db/generated/postgres/client.ts");`)).toHaveLength(1);
    expect(probe(`import { Prisma } from "../db/sql.ts";`)).toHaveLength(0);
  });
});
