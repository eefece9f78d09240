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

const BENCH_KB = [
  { id: "b-1", question: "季度返利什么时候到账？", answer: "季度结束后次月20日前发放到返利账户。" },
  { id: "b-2", question: "智能门锁保修几年？", answer: "整机保修2年。" },
  { id: "b-3", question: "产品培训在哪里报名？", answer: "在经销商后台「培训中心」报名。" },
  { id: "b-4", question: "账期可以延长吗？", answer: "金牌经销商可申请延长到60天。" },
  { id: "b-5", question: "新品价格表在哪里看？", answer: "后台「价格中心」可下载最新价格表。" },
];

export async function benchIngest() {
  const url = sqliteUrl();
  const adapter = createConsoleAdapter({ output: () => {} });
  const app = await createApp({ config: loadConfig({ DATABASE_URL: url }), logger: createLogger("silent"), adapters: [adapter] });
  await upsertPartners(app.db, fakePartners(INGEST_PARTNERS));
  // A knowledge base that answers the questions partners ask most (as a real one would), so the run
  // measures the whole path: logging, deciding, answering, and the replies' own logging.
  await app.db.kbEntry.createMany({ data: BENCH_KB.map((e) => ({ ...e, tags: "[]", variants: "[]" })) });
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
  const stored = await app.db.interaction.count({ where: { direction: "IN" } });
  const replies = await app.db.interaction.count({ where: { direction: "OUT" } });
  const handoffs = await app.db.question.count();
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
  return { stored, replies, handoffs, pipelineRate, rawRate, ratio: pipelineRate / rawRate };
}
