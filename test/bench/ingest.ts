// Ingest: messages per second through the whole pipeline (console adapter -> identity -> log -> route)
// on SQLite, beside raw better-sqlite3 autocommit inserts of the same rows in the same process.
import Database from "better-sqlite3";
import { createConsoleAdapter } from "../../adapters/console/index.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createApp } from "../../src/main.ts";
import { upsertPartners } from "../../src/partners/store.ts";
import { sqliteUrl } from "./temp.ts";
import { fakeLine, fakePartners } from "./fixtures.ts";

export const INGEST_MESSAGES = 20_000;
export const INGEST_PARTNERS = 500;
/** Messages in flight at once: 500 partner groups talk at the same time, not one after another. */
export const INGEST_CONCURRENCY = 64;

export async function benchIngest() {
  const url = sqliteUrl();
  const adapter = createConsoleAdapter({ output: () => {} });
  const app = await createApp({ config: loadConfig({ DATABASE_URL: url }), logger: createLogger("silent"), adapters: [adapter] });
  await upsertPartners(app.db, fakePartners(INGEST_PARTNERS));
  const partners = await app.db.partner.findMany({ select: { id: true, code: true }, orderBy: { id: "asc" } });
  await app.db.chat.createMany({ data: partners.map((p) => ({ platform: "console", externalChatId: `g-${p.code}`, kind: "group", partnerId: p.id })) });
  const contacts = await app.db.contact.findMany({ select: { id: true, partnerId: true } });
  await app.db.identity.createMany({ data: contacts.map((c) => ({ platform: "console", externalId: `c-${c.id}`, contactId: c.id })) });
  const byPartner = new Map<number, number[]>();
  for (const c of contacts) byPartner.set(c.partnerId, [...(byPartner.get(c.partnerId) ?? []), c.id]);
  const messages = Array.from({ length: INGEST_MESSAGES }, (_, i) => {
    const p = partners[i % partners.length];
    const people = byPartner.get(p.id)!;
    return { as: `c-${people[i % people.length]}`, chat: `g-${p.code}`, text: `${fakeLine(i)} #${i}` };
  });

  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: INGEST_CONCURRENCY }, async () => {
      while (next < messages.length) {
        const m = messages[next++];
        await adapter.say(m.as, m.text, m.chat);
      }
    }),
  );
  await app.log.flush();
  const pipelineSeconds = (performance.now() - t0) / 1000;
  const stored = await app.db.interaction.count();
  const rows = await app.db.interaction.findMany({ orderBy: { id: "asc" } });
  await app.close();

  // Baseline: the same rows, one autocommit INSERT each, raw better-sqlite3 with the same pragmas.
  const raw = new Database(sqliteUrl().slice("file:".length));
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = NORMAL");
  raw.exec(`CREATE TABLE "Interaction" (id INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT NOT NULL, direction TEXT NOT NULL, kind TEXT NOT NULL,
    text TEXT NOT NULL, partnerId INTEGER, contactId INTEGER, staffId INTEGER, chatId INTEGER, externalMessageId TEXT, createdAt DATETIME NOT NULL, meta TEXT,
    UNIQUE(platform, externalMessageId))`);
  raw.exec(`CREATE INDEX "Interaction_partnerId_createdAt_idx" ON "Interaction"(partnerId, createdAt)`);
  const insert = raw.prepare(
    `INSERT INTO "Interaction" (platform, direction, kind, text, partnerId, contactId, staffId, chatId, externalMessageId, createdAt, meta) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const t1 = performance.now();
  for (const r of rows) {
    insert.run(r.platform, r.direction, r.kind, r.text, r.partnerId, r.contactId, r.staffId, r.chatId, r.externalMessageId, r.createdAt.toISOString(), r.meta);
  }
  const rawSeconds = (performance.now() - t1) / 1000;
  raw.close();

  const pipelineRate = INGEST_MESSAGES / pipelineSeconds;
  const rawRate = rows.length / rawSeconds;
  return { stored, pipelineRate, rawRate, ratio: pipelineRate / rawRate };
}
