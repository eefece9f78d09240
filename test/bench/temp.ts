import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export function sqliteUrl(): string {
  return `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "partner-hub-bench-")), "hub.db")}`;
}
