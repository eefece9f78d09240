// The migrations that gave lookups their own columns (and polls their prompts) fill them for rows written
// before, from what those rows kept in meta (JSON) or in a dedupe key, on SQLite and on PostgreSQL alike.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { listMigrations } from "../../src/db/migrate.ts";
import { emptyPostgresUrl, postgresAvailable } from "../helpers/databases.ts";

/** The first migration that backfills; everything before it is the schema the old rows were written in. */
const FIRST_NEW = "20261202190508_interaction_reply_and_poll";

const at = "2026-11-20T02:00:00.000Z";
const meta = (m: Record<string, unknown>) => JSON.stringify(m);
// What the old code wrote. [externalMessageId, direction, meta]
const interactions: [string, "IN" | "OUT", string | null][] = [
  ["out-reply", "OUT", meta({ type: "text", inReplyTo: "evt-1" })],
  ["out-poll", "OUT", meta({ type: "poll", pollId: "sat-3", values: ["1", "2", "3", "4", "5"], delivery: "poll:3:7" })],
  ["out-poll-reply", "OUT", meta({ type: "poll", pollId: "sat-4", values: ["1", "2"], inReplyTo: "evt-2" })],
  // A failed send keeps the platform's words: NUL, half an emoji, and quotes that only look like a key.
  ["out-failed", "OUT", meta({ type: "text", inReplyTo: "evt-3", error: "bad_request", reason: "bad \u0000 byte \ud83d, \"type\":\"poll\"" })],
  ["out-card", "OUT", meta({ type: "card" })],
  ["in-vote", "IN", meta({ via: "numbered_reply" })],
  ["in-plain", "IN", null],
];
// [id, campaignId, responder]
const responses: [number, number, string][] = [
  [1, 3, "contact:1"],
  [2, 3, "wechat:wx:1"], // an external id with a colon in it
  [3, 3, "wechat:wx"],
  [4, 3, "contact:12"],
];
// [dedupeKey, kind, the poll answer it must be tied to]
const followUps: [string, string, number | null][] = [
  ["mediation:3:contact:1:1", "MEDIATION", 1],
  ["mediation:3:contact:1:2", "MEDIATION", 1],
  ["mediation:3:contact:12:1", "MEDIATION", 4],
  ["mediation:3:wechat:wx:1:1", "MEDIATION", 2],
  ["mediation:3:wechat:wx:2", "MEDIATION", 3],
  ["mediation:4:contact:1:1", "MEDIATION", null], // no answer of that poll is kept
  ["gift:5:SPRING:2027", "GIFT", null],
];

const expectedInteractions = {
  "out-reply": { inReplyTo: "evt-1", pollId: null },
  "out-poll": { inReplyTo: null, pollId: "sat-3" },
  "out-poll-reply": { inReplyTo: "evt-2", pollId: "sat-4" },
  "out-failed": { inReplyTo: "evt-3", pollId: null },
  "out-card": { inReplyTo: null, pollId: null },
  "in-vote": { inReplyTo: null, pollId: null },
  "in-plain": { inReplyTo: null, pollId: null },
};

interface Runner {
  exec(sql: string): Promise<void>;
  run(sql: string, params: unknown[]): Promise<void>;
  all<T>(sql: string): Promise<T[]>;
}

async function seedAndMigrate(dialect: "sqlite" | "postgres", db: Runner) {
  const all = listMigrations(dialect);
  const split = all.findIndex((m) => m.name === FIRST_NEW);
  expect(split).toBeGreaterThan(0);
  for (const m of all.slice(0, split)) await db.exec(m.sql);
  const ps = (n: number) => Array.from({ length: n }, (_, i) => (dialect === "sqlite" ? "?" : `$${i + 1}`)).join(", ");
  await db.run(`INSERT INTO "Chat" ("platform", "externalChatId", "kind") VALUES ('wechat', 'g1', 'group')`, []);
  for (const [id, direction, m] of interactions) {
    await db.run(`INSERT INTO "Interaction" ("platform", "direction", "kind", "text", "chatId", "externalMessageId", "createdAt", "meta") VALUES (${ps(8)})`, ["wechat", direction, "reply", "x", 1, id, at, m]);
  }
  await db.run(`INSERT INTO "Campaign" ("id", "kind", "title", "text", "audience", "sendAt", "createdAt") VALUES (${ps(7)})`, [3, "poll", "满意度", "请打分", "{}", at, at]);
  for (const [id, campaignId, responder] of responses) {
    await db.run(`INSERT INTO "PollResponse" ("id", "campaignId", "responder", "score", "answeredAt") VALUES (${ps(5)})`, [id, campaignId, responder, 1, at]);
  }
  for (const [key, kind] of followUps) {
    await db.run(`INSERT INTO "FollowUp" ("partnerId", "kind", "reason", "dedupeKey", "createdAt") VALUES (${ps(5)})`, [1, kind, "低分", key, at]);
  }
  for (const m of all.slice(split)) await db.exec(m.sql);
}

async function expectBackfilled(db: Runner) {
  const rows = await db.all<{ externalMessageId: string; inReplyTo: string | null; pollId: string | null }>(`SELECT "externalMessageId", "inReplyTo", "pollId" FROM "Interaction"`);
  expect(Object.fromEntries(rows.map((r) => [r.externalMessageId, { inReplyTo: r.inReplyTo, pollId: r.pollId }]))).toEqual(expectedInteractions);
  // Polls sent before prompts existed are prompts, so a bare number still answers them in their week.
  const prompts = await db.all<{ ref: string; chatId: number; externalChatId: string; options: string; createdAt: unknown; expiresAt: unknown }>(`SELECT "ref", "chatId", "externalChatId", "options", "createdAt", "expiresAt" FROM "Prompt" ORDER BY "ref"`);
  expect(prompts.map((p) => ({ ...p, chatId: Number(p.chatId), options: JSON.parse(p.options), week: new Date(String(p.expiresAt instanceof Date ? p.expiresAt.toISOString() : p.expiresAt)).getTime() - new Date(String(p.createdAt instanceof Date ? p.createdAt.toISOString() : p.createdAt)).getTime(), createdAt: undefined, expiresAt: undefined }))).toEqual([
    { ref: "sat-3", chatId: 1, externalChatId: "g1", options: ["1", "2", "3", "4", "5"].map((v) => ({ value: v, label: v })), week: 7 * 86_400_000, createdAt: undefined, expiresAt: undefined },
    { ref: "sat-4", chatId: 1, externalChatId: "g1", options: ["1", "2"].map((v) => ({ value: v, label: v })), week: 7 * 86_400_000, createdAt: undefined, expiresAt: undefined },
  ]);
  const tied = await db.all<{ dedupeKey: string; pollResponseId: number | null }>(`SELECT "dedupeKey", "pollResponseId" FROM "FollowUp"`);
  expect(Object.fromEntries(tied.map((r) => [r.dedupeKey, r.pollResponseId === null ? null : Number(r.pollResponseId)]))).toEqual(Object.fromEntries(followUps.map(([k, , id]) => [k, id])));
}

describe("backfilling the lookup columns", () => {
  it("on SQLite", async () => {
    const raw = new Database(path.join(mkdtempSync(path.join(os.tmpdir(), "partner-hub-backfill-")), "hub.db"));
    const db: Runner = {
      exec: async (sql) => void raw.exec(sql),
      run: async (sql, params) => void raw.prepare(sql).run(...params),
      all: async <T>(sql: string) => raw.prepare(sql).all() as T[],
    };
    try {
      await seedAndMigrate("sqlite", db);
      await expectBackfilled(db);
    } finally {
      raw.close();
    }
  });

  it.skipIf(!postgresAvailable())("on PostgreSQL", async () => {
    const client = new pg.Client({ connectionString: await emptyPostgresUrl() });
    await client.connect();
    const db: Runner = {
      exec: async (sql) => void (await client.query(sql)),
      run: async (sql, params) => void (await client.query(sql, params)),
      all: async <T>(sql: string) => (await client.query(sql)).rows as T[],
    };
    try {
      await seedAndMigrate("postgres", db);
      await expectBackfilled(db);
    } finally {
      await client.end();
    }
  });
});
