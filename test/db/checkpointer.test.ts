// The hub checkpoints SQLite's log from a worker thread (src/db/checkpointer.ts), not in the commit that fills
// it: its own connection never checkpoints, and what it wrote reaches the database file from the thread.
import { mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { CHECKPOINT_EVERY_MS } from "../../src/db/checkpointer.ts";
import { openDatabase } from "../../src/db/client.ts";

describe("SQLite checkpoints off the hub's thread", () => {
  it("leaves the log to the thread while the hub writes, and the thread copies it into the file", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "partner-hub-ckpt-")), "hub.db");
    const errors: string[] = [];
    const database = await openDatabase(`file:${file}`, process.cwd(), { checkpointErrors: (e) => errors.push(e) });
    const [setting] = await database.db.$queryRawUnsafe<{ wal_autocheckpoint: number | bigint }[]>("PRAGMA wal_autocheckpoint");
    expect(Number(setting.wal_autocheckpoint)).toBe(0);
    const before = statSync(file).size;
    // Far past SQLite's own 1,000-page threshold: with its checkpoint on, the file would have grown by now.
    const text = "x".repeat(2000);
    for (let i = 0; i < 100; i++) {
      await database.db.$executeRaw`INSERT INTO "AuditLog" ("actor", "action", "detail", "allowed", "createdAt") VALUES ('console:t', 'test', ${text.repeat(25)}, true, ${new Date()})`;
    }
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(4_500_000);
    // The thread's next pass copies it while the hub's connection is still open (closing one checkpoints anyway).
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(before + 4_500_000), { timeout: 5 * CHECKPOINT_EVERY_MS, interval: 50 });
    await database.close();
    expect(errors).toEqual([]);
  });
});
