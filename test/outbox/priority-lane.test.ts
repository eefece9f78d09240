// The priority lane of the one outbox, against the real Slack and Lark SDKs talking to local fakes that stamp
// each request with the test's clock: replies survive an outage, are not held by another chat's 429, keep
// their order, reach a partner while another instance paces the platform, and are never shown twice.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AdapterError, type Adapter } from "../../adapters/contract.ts";
import { platformCapabilities } from "../../adapters/platforms.ts";
import { openDatabase, type Db } from "../../src/db/client.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { enqueue, PRIORITY, type DeliveryInput } from "../../src/outbox/enqueue.ts";
import { Outbox, type ReplyContext } from "../../src/outbox/outbox.ts";
import { limitsOf } from "../../src/outbox/rate-limit.ts";
import { LEASE_MS, REPLY_RETRY_MS, type WorkerOptions } from "../../src/outbox/worker.ts";
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
let closeDb: () => Promise<void>;
let platforms: Awaited<ReturnType<typeof startFakePlatforms>>;
let seq = 0;

beforeEach(async () => {
  clock = new ManualClock("2026-11-20T02:00:00Z");
  platforms = await startFakePlatforms(clock);
  ({ slack, lark, slackAdapter, larkAdapter } = platforms);
  ({ db, close: closeDb } = await openDatabase(sqliteUrl()));
});
afterEach(async () => {
  await closeDb();
  await platforms.close();
});

const worker = (adapters: Adapter[], extra: Partial<WorkerOptions> = {}) => testWorker(db, clock, adapters, extra);
/** Moves the manual clock like the default, but after a real moment, so the test can act while a lane runs. */
const slowSleep = async (ms: number) => (await new Promise((r) => setTimeout(r, 5)), clock.advance(ms));
const notice = (platform: "slack" | "lark", chat: string, text: string): DeliveryInput => ({ dedupeKey: `n:${++seq}`, kind: "notice", platform, externalChatId: chat, message: { type: "text", text }, notBefore: clock.now() });
const slackTexts = (method = "chat.postMessage") => slack.calls.filter((c) => c.method === method).map((c) => String(c.args.text));
const sentAt = (text: string) => slack.calls.find((c) => c.args.text === text)?.at;
async function ask(platform: "slack" | "lark", chat: string, event: string, extra: Partial<ReplyContext["target"]> = {}): Promise<ReplyContext & { inReplyTo: string }> {
  const row = await db.chat.create({ data: { platform, externalChatId: chat, kind: "group" } });
  return { platform, target: { chatId: chat, ...extra }, chatId: row.id, partnerId: null, inReplyTo: event };
}

describe("retries", () => {
  it("a reply planned at the start of a 3-minute outage is sent once the platform is back, not given up", async () => {
    const w = worker([slackAdapter]);
    const outbox = new Outbox(db, w, clock);
    const start = clock.now().getTime();
    slack.failNext("chat.postMessage", 503, 1000);
    await outbox.answer(await ask("slack", "C_OUT", "C_OUT:1.0"), [{ type: "text", text: "故障期间的回答" }]);
    while (clock.now().getTime() - start < 10 * 60_000) {
      if (clock.now().getTime() - start >= 3 * 60_000) slack.failNext("chat.postMessage", 503, 0);
      clock.advance(1000);
      await w.drain();
    }
    expect((await db.delivery.findFirstOrThrow({ where: { inReplyTo: "C_OUT:1.0" } })).status).toBe("SENT");
    expect(slackTexts().filter((t) => t === "故障期间的回答")).toHaveLength(1);
  });

  it("an event's two answers keep their order when the first is retried", async () => {
    const w = worker([slackAdapter]);
    const outbox = new Outbox(db, w, clock);
    slack.failNext("chat.postMessage", 500, 1);
    const outcomes = await outbox.answer(await ask("slack", "C_ORD", "C_ORD:5.5"), [{ type: "text", text: "您是想问以下哪个问题？" }, { type: "text", text: "回复数字即可" }]);
    expect(outcomes[0]).toBe("queued"); // the first is waiting for its retry; the second waits for it
    clock.advance(REPLY_RETRY_MS);
    await w.drain();
    expect(slackTexts()).toEqual(["您是想问以下哪个问题？", "回复数字即可"]);
  });

  it("a 429 on an outreach post into one channel does not hold a partner's reply in another", async () => {
    const w = worker([slackAdapter]);
    const outbox = new Outbox(db, w, clock);
    slack.failNext("chat.postMessage", 429, 1, 120);
    await enqueue(db, [notice("slack", "C_BUSY", "季度通知")], clock.now());
    expect((await w.drain()).retried).toBe(1);
    const asked = clock.now().getTime();
    const [outcome] = await outbox.answer(await ask("slack", "C_PARTNER", "C_PARTNER:1.1"), [{ type: "text", text: "您的问题的回答" }]);
    expect(outcome).toBe("sent");
    expect(sentAt("您的问题的回答")! - asked).toBeLessThan(3_000);
  });

  it("a private (ephemeral) reply whose answer was lost is not shown a second time", async () => {
    const w = worker([slackAdapter]);
    const outbox = new Outbox(db, w, clock);
    slack.dropNext("chat.postEphemeral");
    await outbox.answer(await ask("slack", "C_GRP", "cmd:trig1", { ephemeralTo: "U_STAFF" }), [{ type: "text", text: "只给你看的客户档案" }]);
    clock.advance(REPLY_RETRY_MS);
    await w.drain();
    expect(slackTexts("chat.postEphemeral")).toEqual(["只给你看的客户档案"]);
    expect((await db.delivery.findFirstOrThrow({ where: { inReplyTo: "cmd:trig1" } })).status).toBe("FAILED");
  });
});

describe("busy lanes", () => {
  it("a reply planned on instance B reaches the partner while instance A paces a 200-row notice on that platform", async () => {
    await enqueue(db, Array.from({ length: 200 }, (_, i) => notice("slack", `C_N${i % 2}`, `通知 ${i}`)), clock.now());
    const a = worker([slackAdapter], { sleep: slowSleep, instanceId: "A" });
    const b = worker([slackAdapter], { instanceId: "B" });
    const running = a.drain();
    await expect.poll(() => slackTexts().filter((t) => t.startsWith("通知")).length).toBeGreaterThan(5);
    const asked = clock.now().getTime();
    await new Outbox(db, b, clock).answer(await ask("slack", "C_ASK", "C_ASK:9.9"), [{ type: "text", text: "B 收到的问题的回答" }]);
    await expect.poll(() => sentAt("B 收到的问题的回答")).toBeDefined();
    expect(sentAt("B 收到的问题的回答")! - asked).toBeLessThan(3_000);
    expect(slackTexts().filter((t) => t.startsWith("通知")).length).toBeLessThan(200);
    await a.stop();
    await running;
    await b.stop();
  });

  it("with the worker ticking, a Slack retry falls due while another platform works through a paced backlog", async () => {
    const paced = { ...limitsOf(platformCapabilities()), lark: { perPlatform: 20 / 60, perChat: 20 / 60 } };
    const w = worker([slackAdapter, larkAdapter], { limits: paced, sleep: slowSleep });
    await enqueue(db, Array.from({ length: 120 }, (_, i) => notice("lark", `oc_g${i}`, `祝福 ${i}`)), clock.now());
    w.start(20);
    try {
      await expect.poll(() => lark.sent.length).toBeGreaterThan(2);
      slack.failNext("chat.postMessage", 500, 1);
      const asked = clock.now().getTime();
      expect(await new Outbox(db, w, clock).answer(await ask("slack", "C_Q", "C_Q:1.1"), [{ type: "text", text: "重试的回答" }])).toEqual(["queued"]);
      await expect.poll(() => sentAt("重试的回答"), { timeout: 10_000 }).toBeDefined();
      expect(sentAt("重试的回答")! - asked).toBeLessThan(60_000);
      expect(lark.sent.length).toBeLessThan(120);
    } finally {
      await w.stop();
    }
  });

  it("a stopped worker stays stopped: what is planned after stop() waits in the database, the lane stays handed over", async () => {
    const a = worker([slackAdapter], { instanceId: "A" });
    await a.stop();
    const [outcome] = await new Outbox(db, a, clock).answer(await ask("slack", "C_S", "C_S:1.0"), [{ type: "text", text: "停止后计划的回答" }]);
    expect(outcome).toBe("queued");
    expect(slackTexts()).toEqual([]);
    expect(await db.outboxLane.count()).toBe(0);
    const b = worker([slackAdapter], { instanceId: "B" });
    expect((await b.drain()).sent).toBe(1);
    expect(slackTexts()).toEqual(["停止后计划的回答"]);
  });

  it("a stop while a reply is being planned hands it back at once: another instance sends it, not after a lease", async () => {
    const a = worker([slackAdapter], { instanceId: "A" });
    await a.drain(); // A holds Slack's lane
    const claimFor = a.claimFor.bind(a);
    let claimed!: () => void;
    const claimedNow = new Promise<void>((r) => (claimed = r));
    a.claimFor = (p) => {
      const c = claimFor(p);
      claimed();
      return c;
    };
    const pending = new Outbox(db, a, clock).answer(await ask("slack", "C_P", "C_P:1.0"), [{ type: "text", text: "关机时的回答" }]);
    await claimedNow;
    await a.stop(); // app.close(): the worker first, the adapters still taking events
    expect(await pending).toEqual(["queued"]);
    await expect.poll(async () => (await db.delivery.findFirstOrThrow({ where: { inReplyTo: "C_P:1.0" } })).status).toBe("PENDING");
    expect((await worker([slackAdapter], { instanceId: "B" }).drain()).sent).toBe(1);
    expect(slackTexts()).toEqual(["关机时的回答"]);
  });

  it("a private reply planned on an instance that died before sending it is sent by the next, once", async () => {
    const a = worker([slackAdapter], { instanceId: "A", sleep: () => new Promise(() => {}) }); // dies while it waits
    await enqueue(db, [notice("slack", "C_GRP", "群通知")], clock.now());
    expect((await a.drain()).sent).toBe(1); // the next message into C_GRP waits for its slot
    void new Outbox(db, a, clock).answer(await ask("slack", "C_GRP", "cmd:1", { ephemeralTo: "U_STAFF" }), [{ type: "text", text: "只给你看的客户档案" }]);
    await expect.poll(async () => (await db.delivery.findFirst({ where: { inReplyTo: "cmd:1" } }))?.status).toBe("SENDING");
    clock.advance(LEASE_MS + 1000);
    await worker([slackAdapter], { instanceId: "B" }).drain();
    expect(slackTexts("chat.postEphemeral")).toEqual(["只给你看的客户档案"]);
  });

  it("a reply due for its retry while the lane runs goes before its chat's later message", async () => {
    let failOnce = true;
    const flaky: Adapter = {
      ...slackAdapter,
      send: async (t, m) => {
        if (t.chatId === "C_ORD" && failOnce) {
          failOnce = false;
          throw new AdapterError("transient", "internal_error");
        }
        return slackAdapter.send(t, m);
      },
    };
    // Staff alerts keep Slack's lane running, one a second.
    await enqueue(db, Array.from({ length: 12 }, (_, i) => ({ ...notice("slack", "C_STAFF", `提醒 ${i}`), kind: "staff", priority: PRIORITY.staff })), clock.now());
    const w = worker([flaky], { sleep: slowSleep });
    const running = w.drain();
    await expect.poll(() => slack.calls.filter((c) => c.args.channel === "C_STAFF").length).toBeGreaterThan(1);
    clock.advance(300); // between two of the lane's looks
    await new Outbox(db, w, clock).answer(await ask("slack", "C_ORD", "C_ORD:5.5"), [{ type: "text", text: "您是想问以下哪个问题？" }, { type: "text", text: "回复数字即可" }]);
    await running;
    await w.drain();
    expect(slack.calls.filter((c) => c.args.channel === "C_ORD").map((c) => c.args.text)).toEqual(["您是想问以下哪个问题？", "回复数字即可"]);
  });

  it("a send that hangs does not hold another chat's reply for the send timeout", async () => {
    const hung: Adapter = { ...slackAdapter, send: (t, m) => (t.chatId === "C_HANG" ? new Promise(() => {}) : slackAdapter.send(t, m)) };
    const w = worker([hung], { sendTimeoutMs: 5_000 });
    await enqueue(db, [notice("slack", "C_HANG", "挂起")], clock.now());
    const draining = w.drain();
    await new Promise((r) => setTimeout(r, 100)); // its send is in flight
    const started = Date.now();
    expect(await new Outbox(db, w, clock).answer(await ask("slack", "C_P2", "C_P2:1"), [{ type: "text", text: "别的客户的回答" }])).toEqual(["sent"]);
    expect(Date.now() - started).toBeLessThan(3_000);
    await draining;
  });

  it("one plan the database refuses fails alone: the other partners' answers written with it go", async () => {
    const outbox = new Outbox(db, worker([slackAdapter]), clock);
    const [good, bad] = [await ask("slack", "C_1", "C_1:ok"), await ask("slack", "C_2", "C_2:bad")];
    await db.$executeRawUnsafe(`CREATE TRIGGER refuse_one BEFORE INSERT ON "Delivery" WHEN NEW."inReplyTo" = 'C_2:bad' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    const [ok, refused] = await Promise.allSettled([outbox.answer(good, [{ type: "text", text: "正常的回答" }]), outbox.answer(bad, [{ type: "text", text: "被拒绝的" }])]);
    expect(ok).toEqual({ status: "fulfilled", value: ["sent"] });
    expect(refused.status).toBe("rejected");
    expect(slackTexts()).toEqual(["正常的回答"]);
  });

  it("a kick after stop() sends nothing and leaves the lanes handed over", async () => {
    const a = worker([slackAdapter], { instanceId: "A" });
    await a.drain();
    await a.stop();
    await enqueue(db, [notice("slack", "C_M", "调解通知")], clock.now());
    expect((await a.drain()).sent).toBe(0);
    expect(await db.outboxLane.count()).toBe(0);
  });
});
