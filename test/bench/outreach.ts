// Outreach: plan one festival day (春节 2027-02-06) for 100,000 contacts on SQLite, then send it.
//  1. planning: seconds for the day, and a second run (which must plan nothing new);
//  2. throughput with limits off: deliveries/s through the outbox worker (claim, send, history, mark),
//     beside the reply fast path (send + history, no outbox) on the same messages as the baseline;
//  3. pacing with Lark's real limits (50/s per app, 5/s per group): achieved rate as a share of allowed;
//  4. a forced restart mid-run through the real Lark and Slack SDKs against their fake APIs: the first
//     worker dies with sends in flight (some accepted by the platform, none booked), a second takes over
//     once the claims lapse; duplicates and losses counted at the platform.
import type { Adapter, Platform } from "../../adapters/contract.ts";
import { createConsoleAdapter } from "../../adapters/console/index.ts";
import { createLarkAdapter } from "../../adapters/lark/index.ts";
import { loadConfig } from "../../src/config.ts";
import type { Db } from "../../src/db/client.ts";
import { InteractionLog } from "../../src/history/log.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createApp } from "../../src/main.ts";
import { enqueue, type DeliveryInput } from "../../src/outbox/enqueue.ts";
import { Outbox } from "../../src/outbox/outbox.ts";
import { historyText } from "../../src/history/summary.ts";
import type { RateLimit } from "../../src/outbox/rate-limit.ts";
import { LARK_CAPABILITIES } from "../../adapters/lark/capabilities.ts";

const LARK_LIMIT = LARK_CAPABILITIES.rateLimit;
const UNLIMITED: RateLimit = { perPlatform: Infinity, perChat: Infinity };
import { LEASE_MS, OutboxWorker } from "../../src/outbox/worker.ts";
import { parseLocalDay } from "../../src/outreach/calendar.ts";
import { startFakeLark } from "../fakes/lark-api.ts";
import { startFakeSlack } from "../fakes/slack-api.ts";
import { createSlackAdapter } from "../../adapters/slack/index.ts";
import { sqliteUrl } from "./temp.ts";

export const OUTREACH_CONTACTS = 100_000;
const PARTNERS = 50_000; // two contacts each
const DIRECT_SHARE = 0.2; // contacts the hub can greet privately
export const PACED_DELIVERIES = 400;
export const RESTART_DELIVERIES = 2_000;
/** Mid-batch, with sends in flight: not on a claim boundary. */
const KILL_AFTER = 1_077;

const logger = createLogger("silent");
const limits = (l: RateLimit): Record<Platform, RateLimit> => ({ console: l, slack: l, lark: l, wechat: l });

async function seed(db: Db) {
  const CHUNK = 5_000;
  for (let i = 0; i < PARTNERS; i += CHUNK) {
    await db.partner.createMany({
      data: Array.from({ length: Math.min(CHUNK, PARTNERS - i) }, (_, k) => {
        const n = i + k;
        return { code: `P${n}`, name: `客户${n}号商贸有限公司`, city: "杭州", tier: "GENERAL", searchKey: `p${n}`, isKeyAccount: n % 20 === 0 };
      }),
    });
  }
  const partners = await db.partner.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  for (let i = 0; i < partners.length; i += CHUNK) {
    const slice = partners.slice(i, i + CHUNK);
    await db.contact.createMany({ data: slice.flatMap((p) => [{ partnerId: p.id, name: `王${p.id}`, title: "总经理" }, { partnerId: p.id, name: `李${p.id}`, title: "采购经理" }]) });
    await db.chat.createMany({ data: slice.map((p) => ({ platform: "console", externalChatId: `g${p.id}`, kind: "group", partnerId: p.id })) });
  }
  const contacts = await db.contact.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  const direct = contacts.filter((_, i) => i % Math.round(1 / DIRECT_SHARE) === 0);
  for (let i = 0; i < direct.length; i += CHUNK) {
    await db.chat.createMany({ data: direct.slice(i, i + CHUNK).map((c) => ({ platform: "console", externalChatId: `dm${c.id}`, kind: "direct", contactId: c.id })) });
  }
}

function worker(db: Db, adapters: Adapter[], l: RateLimit, now = () => new Date()) {
  return new OutboxWorker({ db, adapters: new Map(adapters.map((a) => [a.platform, a])), log: new InteractionLog(db), clock: { now }, logger, limits: limits(l), quietHours: null });
}

export async function benchOutreach() {
  const adapter = createConsoleAdapter({ output: () => {} });
  const clock = { now: () => new Date("2027-02-06T01:00:00Z") }; // 09:00 on 春节 in Shanghai
  const app = await createApp({ config: loadConfig({ DATABASE_URL: sqliteUrl(), HUB_QUIET_HOURS: "off" }), logger, adapters: [adapter], clock, limits: limits(UNLIMITED) });
  const tSeed = performance.now();
  await seed(app.db);
  const seedSeconds = (performance.now() - tSeed) / 1000;

  // 1. Planning.
  const day = parseLocalDay("2027-02-06");
  let t = performance.now();
  const plan = await app.outreach.planDay(day);
  const planSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const replan = await app.outreach.planDay(day);
  const replanSeconds = (performance.now() - t) / 1000;
  const spring = plan.occasions.find((o) => o.occasion === "SPRING")!;

  // 2. Throughput, limits off, on the same messages. Baseline: the adapter's send and the history record alone
  // (what a reply cost when it went straight to the adapter). Then the outbox's bulk run, and replies through
  // its priority lane, each awaited by its caller as the hub awaits an answer.
  const rows = await app.db.delivery.findMany({ where: { kind: "greeting" }, select: { platform: true, externalChatId: true, chatId: true, partnerId: true, message: true } });
  const sample = rows.slice(0, 20_000);
  const console_ = app.adapters.get("console")!;
  t = performance.now();
  for (let i = 0; i < sample.length; i += 64) {
    await Promise.all(
      sample.slice(i, i + 64).map(async (r) => {
        const message = JSON.parse(r.message);
        const { messageId } = await console_.send({ chatId: r.externalChatId }, message);
        await app.log.record({ platform: "console", direction: "OUT", kind: "bench", text: historyText(message), partnerId: r.partnerId, chatId: r.chatId, externalMessageId: messageId, createdAt: clock.now() });
      }),
    );
  }
  const baselineSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const stats = await app.worker.drain();
  const outboxSeconds = (performance.now() - t) / 1000;
  const lane = new Outbox(app.db, app.worker, clock);
  t = performance.now();
  for (let i = 0; i < sample.length; i += 64) {
    await Promise.all(sample.slice(i, i + 64).map((r) => lane.reply({ platform: "console", target: { chatId: r.externalChatId }, chatId: r.chatId!, partnerId: r.partnerId }, JSON.parse(r.message), "bench")));
  }
  const replySeconds = (performance.now() - t) / 1000;
  await app.close();

  return {
    seedSeconds, planSeconds, replanSeconds, plannedNew: plan.planned, replannedNew: replan.planned, recipients: spring.recipients, messages: spring.messages, sent: stats.sent,
    baselineRate: sample.length / baselineSeconds, outboxRate: stats.sent / outboxSeconds, replyRate: sample.length / replySeconds,
    paced: await benchPacing(), restarts: [await benchRestart(fakeLarkPlatform), await benchRestart(fakeSlackPlatform)],
  };
}

/** Replies asked for while the paced backlog runs: one every REPLY_EVERY_MS, each into a group with a backlog. */
export const PACED_REPLIES = 20;
const REPLY_EVERY_MS = 300;

/**
 * Lark's limits, real time: one app, 80 groups, five messages each; meanwhile partners are answered through
 * the priority lane, and the time from asking to sent is what a partner waits behind the backlog.
 */
async function benchPacing() {
  const sent: number[] = [];
  const adapter = createConsoleAdapter({ output: () => sent.push(performance.now()) });
  const app = await createApp({ config: loadConfig({ DATABASE_URL: sqliteUrl(), HUB_QUIET_HOURS: "off" }), logger, adapters: [adapter], limits: limits(LARK_LIMIT) });
  const now = new Date();
  const rows: DeliveryInput[] = Array.from({ length: PACED_DELIVERIES }, (_, i) => ({ dedupeKey: `p:${i}`, kind: "notice", platform: "console", externalChatId: `g${i % 80}`, message: { type: "text", text: `通知 ${i}` }, notBefore: now }));
  await enqueue(app.db, rows, now);
  const lane = new Outbox(app.db, app.worker, { now: () => new Date() });
  const t = performance.now();
  const drained = app.worker.drain();
  const waits: number[] = [];
  for (let i = 0; i < PACED_REPLIES; i++) {
    await new Promise((r) => setTimeout(r, REPLY_EVERY_MS));
    const asked = performance.now();
    await lane.reply({ platform: "console", target: { chatId: `g${(i * 7) % 80}` }, chatId: null, partnerId: null, inReplyTo: `q${i}` }, { type: "text", text: `回答 ${i}` });
    waits.push(performance.now() - asked);
  }
  await drained;
  const seconds = (performance.now() - t) / 1000;
  // The rate is counted from the first send to the last: n-1 intervals.
  const achieved = (sent.length - 1) / ((sent.at(-1)! - sent[0]) / 1000);
  let worstSecond = 0;
  for (let i = 0, j = 0; i < sent.length; i++) {
    while (sent[i] - sent[j] >= 1000) j++;
    worstSecond = Math.max(worstSecond, i - j + 1);
  }
  await app.close();
  waits.sort((a, b) => a - b);
  return { allowed: LARK_LIMIT.perPlatform, achieved, share: achieved / LARK_LIMIT.perPlatform, seconds, worstSecond, sent: sent.length, replyP50: waits[Math.floor(waits.length / 2)], replyMax: waits.at(-1)! };
}

/** A platform stand-in: the real SDK adapter, and the texts the fake platform received. */
interface Platform_ {
  adapter: Adapter;
  chat(i: number): string;
  received(): string[];
  close(): Promise<void>;
}

async function fakeLarkPlatform(): Promise<Platform_> {
  const lark = await startFakeLark();
  const adapter = createLarkAdapter({ appId: "cli_bench", appSecret: "s", encryptKey: "k", domain: lark.url, mode: "webhook", logger });
  await adapter.start(async () => ({ handled: Promise.resolve() }));
  return { adapter, chat: (i) => `oc_${i}`, received: () => lark.sent.map((s) => JSON.parse(s.body.content).text as string), close: () => lark.close() };
}

async function fakeSlackPlatform(): Promise<Platform_> {
  const slack = await startFakeSlack();
  const adapter = createSlackAdapter({ botToken: "xoxb-bench", signingSecret: "s", apiUrl: slack.url, logger });
  return { adapter, chat: (i) => `C${i}`, received: () => slack.calls.filter((c) => c.method === "chat.postMessage").map((c) => String(c.args.text)), close: () => slack.close() };
}

/** Kill mid-run with sends in flight, restart, count at the platform. */
async function benchRestart(make: () => Promise<Platform_>) {
  const platform = await make();
  const real = platform.adapter;
  const app = await createApp({ config: loadConfig({ DATABASE_URL: sqliteUrl(), HUB_QUIET_HOURS: "off" }), logger, adapters: [] });
  const now = new Date();
  const rows: DeliveryInput[] = Array.from({ length: RESTART_DELIVERIES }, (_, i) => ({ dedupeKey: `r:${i}`, kind: "notice", platform: real.platform, externalChatId: platform.chat(i % 200), message: { type: "text", text: `通知 ${i}` }, notBefore: now }));
  await enqueue(app.db, rows, now);
  // The first worker dies part-way: whatever it has in flight then never comes back, whether the
  // platform has already accepted it or not, and nothing after it is booked.
  let dead = false;
  let calls = 0;
  const dying: Adapter = {
    ...real,
    async send(target, message) {
      if (dead) return new Promise(() => {});
      const r = await real.send(target, message);
      if (++calls >= KILL_AFTER) dead = true;
      if (dead) return new Promise(() => {});
      return r;
    },
  };
  void worker(app.db, [dying], UNLIMITED).drain();
  while (!dead) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 200)); // let the dead worker's last requests land
  const acceptedBeforeRestart = platform.received().length;
  const stranded = await app.db.delivery.count({ where: { status: "SENDING" } });
  // The restarted hub: the dead worker's claims have lapsed.
  const shift = LEASE_MS + 1000;
  const stats = await worker(app.db, [real], UNLIMITED, () => new Date(Date.now() + shift)).drain();
  const texts = platform.received();
  const unique = new Set(texts);
  const result = {
    platform: real.platform,
    acceptedBeforeRestart,
    stranded,
    resent: stats.sent,
    recovered: stats.recovered,
    delivered: texts.length,
    duplicates: texts.length - unique.size,
    losses: RESTART_DELIVERIES - unique.size,
    booked: await app.db.delivery.count({ where: { status: "SENT" } }),
  };
  await app.close();
  await platform.close();
  return result;
}
