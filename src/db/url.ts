import path from "node:path";

export type DatabaseTarget = { dialect: "sqlite"; file: string } | { dialect: "postgres"; url: string };

/** DATABASE_URL -> where the data lives. Unset: data/partner-hub.db under the project root. */
export function resolveDatabase(url: string | undefined, root = process.cwd()): DatabaseTarget {
  if (!url) return { dialect: "sqlite", file: path.join(root, "data", "partner-hub.db") };
  if (url.startsWith("file:")) {
    const file = url.slice("file:".length);
    if (file === ":memory:") return { dialect: "sqlite", file };
    return { dialect: "sqlite", file: path.resolve(root, file) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: "postgres", url };
  throw new Error(`DATABASE_URL must be file:PATH or postgresql://..., got "${url.split(":")[0]}:..."`);
}
