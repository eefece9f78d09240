// A failing run's log, scanned: errors are logged by kind and code, never with the message texts,
// phone numbers or secrets they carry (a failed batch insert's error lists every row it held).
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createConsoleAdapter } from "../../adapters/console/index.ts";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/client.ts";
import { Prisma } from "../../src/db/sql.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createApp } from "../../src/main.ts";
import { sqliteUrl } from "../helpers/databases.ts";

const PHONE = "13912345678";
const TEXT = "我是王强，手机13912345678，展会的展位费公司补贴吗？";

function capture() {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { logger: createLogger("info", sink), text: () => lines.join("") };
}

function expectClean(log: string) {
  for (const leak of [PHONE, "展位费", "王强", "SECRET-XYZ"]) expect(log).not.toContain(leak);
}

describe("a failing run's log", () => {
  it("names the error of a failed batch insert, without the rows it held", async () => {
    const { logger, text } = capture();
    const { db, close } = await openDatabase(sqliteUrl());
    // The batch the interaction log writes, one row of which has a date that cannot be stored.
    const row = (id: string, at: Date) => Prisma.sql`(${"console"}, ${"IN"}, ${"message"}, ${TEXT}, ${null}, ${null}, ${null}, ${null}, ${id}, ${at}, ${null})`;
    const rows = Array.from({ length: 50 }, (_, i) => row(`m${i}`, i === 7 ? new Date("abc") : new Date()));
    const err = await db.$queryRaw`
      INSERT INTO "Interaction" ("platform", "direction", "kind", "text", "partnerId", "contactId", "staffId", "chatId", "externalMessageId", "createdAt", "meta")
      VALUES ${Prisma.join(rows)} RETURNING "id"`.then(() => null, (e: unknown) => e);
    await close();
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toContain(PHONE); // what would have been logged
    logger.error({ err, platform: "console", messageId: "m7" }, "event handling failed");
    logger.error(err as Error);
    const log = text();
    expectClean(log);
    expect(log).toContain('"type":"PrismaClientValidationError"');
    expect(log).toContain('"messageId":"m7"');
    expect(log).toMatch(/Could not convert/);
  });

  it("keeps a partner's words out of the log when their message cannot be stored", async () => {
    const { logger, text } = capture();
    const clock = new ManualClock("2026-11-20T02:00:00Z");
    const adapter = createConsoleAdapter({ output: () => {}, now: () => clock.now() });
    const app = await createApp({ config: loadConfig({ DATABASE_URL: sqliteUrl() }), logger, adapters: [adapter], clock, sleep: async (ms) => clock.advance(ms) });
    try {
      const said = [adapter.say("wang", TEXT, undefined, new Date("abc")), ...[1, 2, 3].map((i) => adapter.say(`li${i}`, `${TEXT}${i}`))];
      await Promise.allSettled(said);
    } finally {
      await app.close();
    }
    if (process.env.SHOW_LOG) console.log(text());
    expectClean(text());
  });
});
