// The outbox worker against the real Slack and Lark SDKs talking to local fake APIs that stamp each
// request with the test's clock: pacing, retries, failures, quiet hours, and exactly-once across a
// worker killed mid-send.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AdapterError, type Adapter } from "../../adapters/contract.ts";
import { Outbox } from "../../src/outbox/outbox.ts";
import { openDatabase, type Db } from "../../src/db/client.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { enqueue, type DeliveryInput } from "../../src/outbox/enqueue.ts";
import { parseQuietHours } from "../../src/outbox/quiet-hours.ts";
import { limitsOf } from "../../src/outbox/rate-limit.ts";
import { platformCapabilities } from "../../adapters/platforms.ts";
import { LANE_LEASE_MS, LEASE_MS, MAX_ATTEMPTS, REPLY_RETRY_MS, type WorkerOptions } from "../../src/outbox/worker.ts";
import type { FakeLark } from "../fakes/lark-api.ts";
import type { FakeSlack } from "../fakes/slack-api.ts";
import { sqliteUrl } from "../helpers/databases.ts";
import { startFakePlatforms, testWorker } from "../helpers/fake-platforms.ts";

let clock: ManualClock;
let slack: FakeSlack;
let lark: FakeLark;
let slackAdapter: Adapter;
let larkAdapter: Adapter;
let db: Db;
let close: () => Promise<void>;
let platforms: Awaited<ReturnType<typeof startFakePlatforms>>;
let seq = 0;

beforeAll(async () => {
  clock = new ManualClock("2026-11-20T02:00:00Z");
  platforms = await startFakePlatforms(clock);
  ({ slack, lark, slackAdapter, larkAdapter } = platforms);
});
afterAll(() => platforms.close());
beforeEach(async () => {
  const opened = await openDatabase(sqliteUrl());
  db = opened.db;
  close = opened.close;
  slack.calls.length = 0;
  lark.sent.length = 0;
  return () => close();
});

type WorkerExtras = Partial<Pick<WorkerOptions, "sendTimeoutMs" | "limits" | "clock" | "sleep">>;

/** A worker on the test's database; by default it waits for rate-limit slots by moving the manual clock. */
function worker(adapters: Adapter[] = [slackAdapter, larkAdapter], quiet = "off", extra: WorkerExtras = {}) {
  return testWorker(db, clock, adapters, { quietHours: parseQuietHours(quiet), ...extra });
}

/** Moves the manual clock like the default, but after a real moment, so a test can act while a drain runs. */
const slowSleep = async (ms: number) => (await new Promise((r) => setTimeout(r, 5)), clock.advance(ms));

function delivery(platform: "slack" | "lark", chat: string, text: string, extra: Partial<DeliveryInput> = {}): DeliveryInput {
  return { dedupeKey: `test:${++seq}`, kind: "notice", platform, externalChatId: chat, message: { type: "text", text }, notBefore: clock.now(), ...extra };
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]);
const slackTexts = () => slack.calls.filter((c) => c.method === "chat.postMessage").map((c) => String(c.args.text));

describe("outbox pacing (timestamps recorded by the fake platforms)", () => {
  it("Slack: at most one message per second into a channel; other channels do not wait for it", async () => {
    const rows = [...Array.from({ length: 5 }, (_, i) => delivery("slack", "C_A", `A${i}`)), ...Array.from({ length: 5 }, (_, i) => delivery("slack", "C_B", `B${i}`))];
    await enqueue(db, rows, clock.now());
    const start = clock.now().getTime();
    const stats = await worker().drain();
    expect(stats.sent).toBe(10);
    const at = (ch: string) => slack.calls.filter((c) => c.method === "chat.postMessage" && c.args.channel === ch).map((c) => c.at);
    for (const ch of ["C_A", "C_B"]) {
      expect(at(ch)).toHaveLength(5);
      for (const g of gaps(at(ch))) expect(g).toBeGreaterThanOrEqual(1000);
    }
    // Two channels in parallel: five per channel take about four seconds, not nine.
    expect(clock.now().getTime() - start).toBeLessThan(5000);
  });

  it("Lark: five per second into one group, fifty per second for the app", async () => {
    const rows = [...Array.from({ length: 10 }, (_, i) => delivery("lark", "oc_one", `one${i}`)), ...Array.from({ length: 100 }, (_, i) => delivery("lark", `oc_${i}`, `many${i}`))];
    await enqueue(db, rows, clock.now());
    await worker().drain();
    expect(lark.sent).toHaveLength(110);
    const one = lark.sent.filter((s) => s.body.receive_id === "oc_one").map((s) => s.at);
    for (const g of gaps(one)) expect(g).toBeGreaterThanOrEqual(200);
    const all = lark.sent.map((s) => s.at).sort((a, b) => a - b);
    for (let i = 50; i < all.length; i++) expect(all[i] - all[i - 50]).toBeGreaterThanOrEqual(1000);
  });

  it("every sent delivery is an OUT interaction in the partner's history, with the delivery key", async () => {
    const partner = await db.partner.create({ data: { code: "HZ001", name: "杭州云帆", city: "杭州", tier: "KEY", searchKey: "x" } });
    const chat = await db.chat.create({ data: { platform: "slack", externalChatId: "C_HZ", kind: "group", partnerId: partner.id } });
    const [row] = [delivery("slack", "C_HZ", "新品上市通知", { partnerId: partner.id, chatId: chat.id })];
    await enqueue(db, [row], clock.now());
    await worker().drain();
    const logged = await db.interaction.findFirstOrThrow({ where: { partnerId: partner.id, direction: "OUT" } });
    expect(logged.text).toBe("新品上市通知");
    expect(logged.kind).toBe("notice");
    expect(JSON.parse(logged.meta!).delivery).toBe(row.dedupeKey);
    expect((await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } })).status).toBe("SENT");
  });
});

describe("retries and failures", () => {
  it("a retried reply goes back into its thread", async () => {
    await enqueue(db, [delivery("slack", "C_TH", "线程里的回答", { kind: "reply", threadId: "1763600000.000100" })], clock.now());
    await worker().drain();
    expect(slack.calls.find((c) => c.args.text === "线程里的回答")?.args.thread_ts).toBe("1763600000.000100");
  });

  it("retries a 5xx with growing waits, then sends it once", async () => {
    slack.failNext("chat.postMessage", 500, 2);
    const row = delivery("slack", "C_R", "重试的消息");
    await enqueue(db, [row], clock.now());
    const w = worker();
    expect((await w.drain()).retried).toBe(1);
    const first = await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } });
    expect(first.status).toBe("PENDING");
    expect(first.lastError).toContain("500");
    expect(first.notBefore.getTime() - clock.now().getTime()).toBe(30_000);
    clock.advance(30_000);
    expect((await w.drain()).retried).toBe(1);
    const second = await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } });
    expect(second.notBefore.getTime() - clock.now().getTime()).toBe(60_000);
    expect((await w.drain()).sent).toBe(0); // not due yet
    clock.advance(60_000);
    expect((await w.drain()).sent).toBe(1);
    expect(slackTexts().filter((t) => t === "重试的消息")).toHaveLength(1);
    expect((await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } })).attempts).toBe(3);
  });

  it("waits as long as the platform's retry hint says (Lark 429 with x-ogw-ratelimit-reset)", async () => {
    lark.failNext(1, { status: 429, resetSeconds: 90 });
    const row = delivery("lark", "oc_rl", "限流后再发");
    await enqueue(db, [row], clock.now());
    await worker().drain();
    const d = await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } });
    expect(d.status).toBe("PENDING");
    expect(d.lastError).toContain("rate_limited");
    expect(d.notBefore.getTime() - clock.now().getTime()).toBe(90_000); // the hint, not the 30 s backoff
  });

  it(`gives up after ${MAX_ATTEMPTS} tries, keeps the reason, and files it as send_failed`, async () => {
    slack.failNext("chat.postMessage", 503, 100);
    const row = delivery("slack", "C_DOWN", "发不出去的消息");
    await enqueue(db, [row], clock.now());
    const w = worker();
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await w.drain();
      clock.advance(3_600_000);
    }
    const d = await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } });
    expect(d.status).toBe("FAILED");
    expect(d.attempts).toBe(MAX_ATTEMPTS);
    expect(d.lastError).toMatch(/transient: Slack HTTP 503/);
    expect(await db.interaction.count({ where: { kind: "send_failed", text: "发不出去的消息" } })).toBe(1);
    slack.failNext("chat.postMessage", 503, 0);
  });

  it("a chat that is gone fails at once: retrying cannot help", async () => {
    lark.failNext(1, { code: 230002 });
    const row = delivery("lark", "oc_gone", "群已解散");
    await enqueue(db, [row], clock.now());
    const stats = await worker().drain();
    expect(stats.failed).toBe(1);
    expect((await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } })).attempts).toBe(1);
  });
});

describe("two instances", () => {
  it("pace a platform together: one instance at a time sends Slack's rows, so a channel still gets one a second", async () => {
    // More than one claim batch, so without a shared pace the second instance would take the next batch.
    const rows = Array.from({ length: 400 }, (_, i) => delivery("slack", `C_TWO${i % 2}`, `两个实例 ${i}`));
    await enqueue(db, rows, clock.now());
    // The first instance's sends take real time, so the second starts while the first is part-way.
    const slowish: Adapter = { ...slackAdapter, send: async (t, m) => (await new Promise((r) => setTimeout(r, 2)), slackAdapter.send(t, m)) };
    const [a, b] = [worker([slowish]), worker()];
    const first = a.drain();
    await expect.poll(() => slack.calls.filter((c) => String(c.args.channel).startsWith("C_TWO")).length).toBeGreaterThan(10);
    const stats = await Promise.all([first, b.drain()]);
    expect(stats.map((s) => s.sent)).toEqual([400, 0]);
    for (const channel of ["C_TWO0", "C_TWO1"]) {
      const at = slack.calls.filter((c) => c.args.channel === channel).map((c) => c.at);
      expect(at).toHaveLength(200);
      for (const g of gaps(at)) expect(g).toBeGreaterThanOrEqual(1000);
    }
    await a.stop();
    await b.stop();
  });

  it("take over a platform when its holder stops renewing", async () => {
    const a = worker();
    await enqueue(db, [delivery("slack", "C_HO", "第一条")], clock.now());
    expect((await a.drain()).sent).toBe(1); // a holds Slack now (and then dies: no stop, no renewal)
    await enqueue(db, [delivery("slack", "C_HO", "第二条")], clock.now());
    const b = worker();
    expect((await b.drain()).sent).toBe(0);
    clock.advance(LANE_LEASE_MS + 1);
    expect((await b.drain()).sent).toBe(1);
    await b.stop();
  });
});

describe("replies", () => {
  it("a reply whose send got no answer is retried from the outbox, which looks first: Slack had it, so it is not posted twice", async () => {
    let first = true;
    // The platform takes the first send, but the answer never comes back (a dropped connection).
    const flaky: Adapter = {
      ...slackAdapter,
      async send(t, m) {
        const r = await slackAdapter.send(t, m);
        if (first) {
          first = false;
          throw new AdapterError("transient", "socket hang up", undefined, true);
        }
        return r;
      },
    };
    const w = worker([flaky]);
    const outbox = new Outbox(db, w, clock);
    const chat = await db.chat.create({ data: { platform: "slack", externalChatId: "C_FLAKY", kind: "group" } });
    expect(await outbox.reply({ platform: "slack", target: { chatId: "C_FLAKY", threadId: "1790000000.000009" }, chatId: chat.id, partnerId: null, inReplyTo: "C_FLAKY:1790000000.000009" }, { type: "text", text: "回答只发一次" })).toBe(true);
    const queued = await db.delivery.findFirstOrThrow({ where: { kind: "reply" } });
    expect(queued.uncertainSince).not.toBeNull();
    clock.advance(REPLY_RETRY_MS);
    expect(await w.drain()).toMatchObject({ sent: 0, recovered: 1 });
    expect(slackTexts().filter((t) => t === "回答只发一次")).toHaveLength(1);
  });
});

describe("lost answers", () => {
  it("Slack took the post but the answer was lost: nothing is posted again, the next try finds it", async () => {
    slack.dropNext("chat.postMessage");
    const row = delivery("slack", "C_DROP", "回应丢了");
    await enqueue(db, [row], clock.now());
    const w = worker();
    expect(await w.drain()).toMatchObject({ sent: 0, retried: 1 });
    expect((await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } })).uncertainSince).not.toBeNull();
    clock.advance(60_000);
    expect(await w.drain()).toMatchObject({ sent: 0, recovered: 1 });
    expect(slackTexts().filter((t) => t === "回应丢了")).toHaveLength(1);
    await w.stop();
  });
});

describe("stopping", () => {
  it("a stop ends a long pacing wait at once", async () => {
    await enqueue(db, [delivery("lark", "oc_wait", "第一条"), delivery("lark", "oc_wait", "第二条，要等一分钟")], clock.now());
    const slowChat = { ...limitsOf(platformCapabilities()), lark: { perPlatform: 50, perChat: 1 / 60 } };
    // Real waiting, on the real clock, for this one.
    const w = worker([larkAdapter], "off", { limits: slowChat, clock: { now: () => new Date() }, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
    const running = w.drain();
    await expect.poll(() => lark.sent.length).toBe(1);
    const t = Date.now();
    await w.stop();
    await running;
    expect(Date.now() - t).toBeLessThan(5000);
    expect(await db.delivery.count({ where: { status: "PENDING" } })).toBe(1);
  });

  it("stops promptly: what is in flight finishes, the rest goes back to the outbox unclaimed", async () => {
    await enqueue(db, Array.from({ length: 50 }, (_, i) => delivery("slack", "C_STOP", `停止 ${i}`)), clock.now());
    // Real-time pacing for this one, so the drain is still busy when the stop comes.
    const w = worker([slackAdapter], "off", { sleep: slowSleep });
    const running = w.drain();
    await expect.poll(() => slackTexts().filter((t) => t.startsWith("停止")).length).toBeGreaterThan(2);
    await w.stop();
    await running;
    const sent = slackTexts().filter((t) => t.startsWith("停止")).length;
    expect(sent).toBeLessThan(50);
    expect(await db.delivery.count({ where: { status: "SENDING" } })).toBe(0);
    expect(await db.delivery.count({ where: { status: "PENDING" } })).toBe(50 - sent);
  });
});

describe("platforms do not wait for each other", () => {
  it("a Slack alert planned while a long Lark backlog is being paced goes at the next tick", async () => {
    await enqueue(db, Array.from({ length: 300 }, (_, i) => delivery("lark", `oc_bl${i % 3}`, `积压 ${i}`)), clock.now());
    const slowLark = { ...limitsOf(platformCapabilities()), lark: { perPlatform: 1 / 60, perChat: 1 / 60 } };
    const w = worker([slackAdapter, larkAdapter], "off", { limits: slowLark, sleep: slowSleep });
    try {
      void w.drain();
      await expect.poll(() => lark.sent.length).toBeGreaterThan(1);
      await enqueue(db, [delivery("slack", "C_LATE", "积压时的提醒")], clock.now());
      void w.drain(); // the next tick: Slack's loop had finished, so it starts again; Lark's goes on
      await expect.poll(() => slackTexts().includes("积压时的提醒")).toBe(true);
      expect(lark.sent.length).toBeLessThan(300);
    } finally {
      await w.stop();
    }
  });

  it("a long, slowly paced backlog on one platform does not hold up a staff alert on another", async () => {
    const backlog = Array.from({ length: 300 }, (_, i) => delivery("lark", `oc_slow${i % 3}`, `慢慢发 ${i}`));
    await enqueue(db, backlog, clock.now());
    clock.advance(1000);
    const alert = delivery("slack", "C_ALERT", "【调解回访】请尽快联系客户");
    await enqueue(db, [alert], clock.now());
    const start = clock.now().getTime();
    const slowLark = { ...limitsOf(platformCapabilities()), lark: { perPlatform: 1 / 60, perChat: 1 / 60 } };
    const w = worker([slackAdapter, larkAdapter], "off", { limits: slowLark });
    try {
      void w.drain();
      await expect.poll(() => slack.calls.find((c) => c.args.text === "【调解回访】请尽快联系客户")).toBeTruthy();
      const at = slack.calls.find((c) => c.args.text === "【调解回访】请尽快联系客户")!.at;
      expect(at - start).toBeLessThan(125_000); // with the first Lark messages, not hours later after the 300 paced ones
      expect(lark.sent.length).toBeLessThan(10);
    } finally {
      await w.stop();
    }
  });
});

describe("expiry", () => {
  it("a greeting not sent on its day is not sent late: failed as expired, with the reason", async () => {
    const row = delivery("slack", "C_E", "生日快乐！", { expiresAt: new Date(clock.now().getTime() - 1) });
    await enqueue(db, [row], clock.now());
    expect(await worker().drain()).toMatchObject({ sent: 0, failed: 1 });
    const d = await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } });
    expect(d.status).toBe("FAILED");
    expect(d.lastError).toContain("expired");
    expect(slackTexts()).not.toContain("生日快乐！");
  });
});

describe("quiet hours", () => {
  it("holds outreach until morning in the partner's zone; staff notices go at once", async () => {
    clock.set("2026-11-20T14:30:00Z"); // 22:30 in Shanghai
    const greeting = delivery("slack", "C_Q", "晚上好", { timeZone: "Asia/Shanghai" });
    const staff = delivery("slack", "C_STAFF", "有新的调解回访", { timeZone: null });
    const abroad = delivery("slack", "C_LA", "Los Angeles 是上午", { timeZone: "America/Los_Angeles" }); // 06:30 there: quiet too
    const berlin = delivery("slack", "C_BER", "Berlin 是下午", { timeZone: "Europe/Berlin" }); // 15:30 there
    await enqueue(db, [greeting, staff, abroad, berlin], clock.now());
    const stats = await worker([slackAdapter], "21:00-08:00").drain();
    expect(stats.sent).toBe(2);
    expect(stats.deferred).toBe(2);
    const held = await db.delivery.findUniqueOrThrow({ where: { dedupeKey: greeting.dedupeKey } });
    expect(held.notBefore.toISOString()).toBe("2026-11-21T00:00:00.000Z"); // 08:00 in Shanghai
    expect(held.attempts).toBe(0);
    const la = await db.delivery.findUniqueOrThrow({ where: { dedupeKey: abroad.dedupeKey } });
    expect(la.notBefore.toISOString()).toBe("2026-11-20T16:00:00.000Z"); // 08:00 in Los Angeles
    expect(slackTexts()).toEqual(expect.arrayContaining(["有新的调解回访", "Berlin 是下午"]));
  });
});

describe("exactly once across a worker that dies", () => {
  /** An adapter that stops for good at a point, as a killed process would. */
  const dying = (real: Adapter, when: "before_send" | "after_send"): Adapter => ({
    ...real,
    async send(target, message) {
      if (when === "after_send") await real.send(target, message);
      return new Promise(() => {});
    },
  });

  it("killed between claim and send: nothing goes until the claim lapses, then it goes once", async () => {
    const row = delivery("slack", "C_K", "只发一次（发送前中断）");
    await enqueue(db, [row], clock.now());
    void worker([dying(slackAdapter, "before_send")]).drain();
    await expect.poll(async () => (await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } })).status).toBe("SENDING");
    const restarted = worker();
    expect((await restarted.drain()).sent).toBe(0); // the dead worker's claim is still live
    clock.advance(LEASE_MS + 1);
    expect((await restarted.drain()).sent).toBe(1);
    expect((await restarted.drain()).sent).toBe(0);
    expect(slackTexts().filter((t) => t === "只发一次（发送前中断）")).toHaveLength(1);
    expect(await db.interaction.count({ where: { text: "只发一次（发送前中断）" } })).toBe(1);
  });

  it("killed after Lark accepted but before bookkeeping: the resend carries the same uuid and Lark drops it", async () => {
    const row = delivery("lark", "oc_k", "只发一次（发送后中断）");
    await enqueue(db, [row], clock.now());
    void worker([dying(larkAdapter, "after_send")]).drain();
    await expect.poll(() => lark.sent.length).toBe(1);
    clock.advance(LEASE_MS + 1);
    expect((await worker().drain()).sent).toBe(1);
    expect(lark.sent).toHaveLength(1);
    const d = await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } });
    expect(d.status).toBe("SENT");
    expect(d.externalMessageId).toMatch(/^om_\d+$/);
    expect(await db.interaction.count({ where: { text: "只发一次（发送后中断）" } })).toBe(1);
  });

  it("killed after Slack accepted but before bookkeeping: the next worker finds it by its metadata and does not post again", async () => {
    const row = delivery("slack", "C_K2", "只发一次（Slack 发送后中断）");
    await enqueue(db, [row], clock.now());
    void worker([dying(slackAdapter, "after_send")]).drain();
    await expect.poll(() => slackTexts().filter((t) => t === "只发一次（Slack 发送后中断）").length).toBe(1);
    clock.advance(LEASE_MS + 1);
    expect((await worker().drain())).toMatchObject({ sent: 0, recovered: 1 });
    expect(slackTexts().filter((t) => t === "只发一次（Slack 发送后中断）")).toHaveLength(1);
    const posted = slack.calls.find((c) => c.method === "chat.postMessage" && c.args.text === "只发一次（Slack 发送后中断）")!;
    const d = await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } });
    expect(d.status).toBe("SENT");
    expect(d.externalMessageId).toMatch(/^C_K2:\d+\.\d+$/);
    expect(JSON.stringify(posted.args.metadata)).toContain(row.dedupeKey);
    expect(await db.interaction.count({ where: { text: "只发一次（Slack 发送后中断）" } })).toBe(1);
  });

  it("when Slack cannot be asked whether it already has the message, the row waits rather than posting again", async () => {
    const row = delivery("slack", "C_K3", "查不到就先等等");
    await enqueue(db, [row], clock.now());
    void worker([dying(slackAdapter, "after_send")]).drain();
    await expect.poll(() => slackTexts().filter((t) => t === "查不到就先等等").length).toBe(1);
    clock.advance(LEASE_MS + 1);
    slack.failNext("conversations.history", 503, 1);
    const restarted = worker();
    expect(await restarted.drain()).toMatchObject({ sent: 0, retried: 1 });
    const waiting = await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } });
    expect(waiting.uncertainSince).not.toBeNull(); // kept in the row, not in one worker's memory
    clock.advance(waiting.notBefore.getTime() - clock.now().getTime());
    expect(await restarted.drain()).toMatchObject({ sent: 0, recovered: 1 });
    expect(slackTexts().filter((t) => t === "查不到就先等等")).toHaveLength(1);
  });

  it("a send that never answers is abandoned after the timeout; its retry asks the platform first", async () => {
    const row = delivery("slack", "C_T", "超时的消息");
    await enqueue(db, [row], clock.now());
    const hanging: Adapter = { ...slackAdapter, send: () => new Promise(() => {}) };
    const first = worker([hanging], "off", { sendTimeoutMs: 20 });
    expect(await first.drain()).toMatchObject({ retried: 1 });
    await first.stop(); // a stopping hub hands its platforms over at once
    const d = await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } });
    expect(d.status).toBe("PENDING");
    expect(d.uncertainSince).not.toBeNull();
    expect(d.lastError).toContain("no answer from the platform");
    clock.advance(30_000);
    expect(await worker().drain()).toMatchObject({ sent: 1 }); // not there: sent now, once
    expect((await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } })).uncertainSince).toBeNull();
  });

  it("a worker whose claim lapsed while it was stuck does not overwrite the new owner's booking", async () => {
    const row = delivery("slack", "C_L", "迟到的记账");
    await enqueue(db, [row], clock.now());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stuck: Adapter = { ...slackAdapter, send: async (t, m) => (await gate, slackAdapter.send(t, m)) };
    const slow = worker([stuck], "off", { sendTimeoutMs: 60_000 }).drain();
    await expect.poll(async () => (await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } })).status).toBe("SENDING");
    clock.advance(LEASE_MS + 1);
    expect(await worker().drain()).toMatchObject({ sent: 1 });
    const booked = await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } });
    release();
    await slow;
    const after = await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } });
    expect(after.externalMessageId).toBe(booked.externalMessageId);
    expect(after.claimedBy).toBe(booked.claimedBy);
  });

  it("a threaded reply or a private message to a user is found again too (conversations.replies, the DM channel)", async () => {
    const threaded = delivery("slack", "C_TR", "线程里只发一次", { kind: "reply", threadId: "1790000000.000001" });
    const dm = delivery("slack", "U_OWNER", "私信只发一次", { kind: "staff" });
    await enqueue(db, [threaded, dm], clock.now());
    // Unpaced, so both are in flight when it dies.
    const unpaced = Object.fromEntries(Object.keys(limitsOf(platformCapabilities())).map((p) => [p, { perPlatform: Infinity, perChat: Infinity }])) as ReturnType<typeof limitsOf>;
    void worker([dying(slackAdapter, "after_send")], "off", { limits: unpaced }).drain();
    await expect.poll(() => slackTexts().filter((t) => t === "线程里只发一次" || t === "私信只发一次").length).toBe(2);
    clock.advance(LEASE_MS + 1);
    expect(await worker().drain()).toMatchObject({ sent: 0, recovered: 2 });
    expect(slackTexts().filter((t) => t === "线程里只发一次" || t === "私信只发一次")).toHaveLength(2);
  });

  it("a row still uncertain after its check stays uncertain when the resend gets no answer either", async () => {
    const row = delivery("slack", "C_U2", "再次超时", { uncertainSince: clock.now() });
    await enqueue(db, [row], clock.now());
    const hanging: Adapter = { ...slackAdapter, send: () => new Promise(() => {}) };
    const w = worker([hanging], "off", { sendTimeoutMs: 20 });
    expect(await w.drain()).toMatchObject({ retried: 1 });
    expect((await db.delivery.findUniqueOrThrow({ where: { dedupeKey: row.dedupeKey } })).uncertainSince).not.toBeNull();
    await w.stop();
  });

  it("after a crash only the rows whose send had begun are looked up; the rest of the claimed batch is simply sent", async () => {
    const started = delivery("slack", "C_B1", "已开始发送");
    const waiting = delivery("slack", "C_B2", "还没轮到");
    await enqueue(db, [started, waiting], clock.now());
    // As a dead worker leaves them: both claimed, one of them marked as going out.
    const lapsed = new Date(clock.now().getTime() - 1);
    await db.delivery.updateMany({ data: { status: "SENDING", claimedBy: "dead:1", leaseUntil: lapsed, attempts: 1 } });
    await db.delivery.update({ where: { dedupeKey: started.dedupeKey }, data: { sendingSince: new Date(clock.now().getTime() - 60_000) } });
    const lookups = () => slack.calls.filter((c) => c.method.startsWith("conversations.")).map((c) => c.args.channel);
    expect(await worker().drain()).toMatchObject({ sent: 2 });
    expect(lookups()).toEqual(["C_B1"]);
  });

  it("planning the same deliveries twice puts them in the outbox once", async () => {
    const rows = [delivery("slack", "C_P", "一"), delivery("slack", "C_P", "二")];
    expect((await enqueue(db, rows, clock.now())).size).toBe(2);
    expect((await enqueue(db, rows, clock.now())).size).toBe(0);
    expect(await db.delivery.count()).toBe(2);
  });
});
