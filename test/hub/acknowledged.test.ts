// Acknowledged means stored: a platform hears 200 only once its event is in the database; a bad event
// fails alone, never the batch it was written with; a redelivery is answered once, whatever its timing.
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CLOCK_SKEW_ALLOWANCE_MS, INBOUND_LEASE_MS, LEASE_RENEW_MS } from "../../src/hub/inbound-state.ts";
import type { LanguageModel } from "../../adapters/contract.ts";
import { createLarkAdapter } from "../../adapters/lark/index.ts";
import { createSlackAdapter } from "../../adapters/slack/index.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { importPartners } from "../../src/partners/transfer.ts";
import { addStaff } from "../../src/staff/store.ts";
import { handOff } from "../../src/answer/handoff.ts";
import { encryptedRequest, startFakeLark } from "../fakes/lark-api.ts";
import { slackHeaders, startFakeSlack } from "../fakes/slack-api.ts";
import { postgresAvailable, postgresSkipReason, postgresUrl } from "../helpers/databases.ts";
import { consoleEvent, startTestHub, type TestHub } from "../helpers/hub.ts";
import { capturingLogger, startPlatformHub } from "../helpers/platform-hub.ts";
import { createConsoleAdapter } from "../../adapters/console/index.ts";
import { loadConfig } from "../../src/config.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { createApp } from "../../src/main.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A SQLite trigger that refuses one row, as a constraint or a full disk would. */
async function refuseText(db: TestHub["db"], text: string) {
  await db.$executeRawUnsafe(`CREATE TRIGGER refuse_one BEFORE INSERT ON "Interaction" WHEN NEW."text" = '${text}' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
}

/** A model that answers only when the test lets it: the original's handling is "still in progress". */
function heldModel() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let calls = 0;
  const llm: LanguageModel = {
    name: "held",
    async complete() {
      calls++;
      await gate;
      return "返利在季度结束后次月20日前发放。【kb-1】";
    },
  };
  return { llm, release, calls: () => calls };
}

const KB = [{ id: "kb-1", question: "返利什么时候到账？", answer: "季度结束后次月20日前发放到返利账户。", tags: "[]", variants: "[]" }];

describe("Slack: the HTTP answer waits for the row", () => {
  async function slackHub() {
    const slack = await startFakeSlack();
    slack.users.U_ZHANG = { name: "zhangwei", real_name: "张伟" };
    const adapter = createSlackAdapter({ botToken: "xoxb-test", signingSecret: "s", apiUrl: slack.url, logger: createLogger("silent") });
    const hub = await startPlatformHub([adapter]);
    cleanups.push(() => slack.close(), () => hub.close());
    const post = async (event: Record<string, unknown>, id: string) => {
      const body = JSON.stringify({ type: "event_callback", team_id: "T1", api_app_id: "A1", event_id: id, event_time: 1, event: { type: "message", channel_type: "channel", channel: "C_G", user: "U_ZHANG", ...event } });
      return fetch(`${hub.url}/slack/events`, { method: "POST", headers: { "content-type": "application/json", ...(await slackHeaders("s", body)) }, body });
    };
    return { hub, post };
  }

  it("answers 200 only when the event is already stored, and 500 when it could not be (Slack retries it)", async () => {
    const { hub, post } = await slackHub();
    const ok = await post({ text: "在吗", ts: "1763600000.000100" }, "Ev1");
    expect(ok.status).toBe(200);
    // No waiting: at the moment of the 200 the row is there.
    expect(await hub.db.interaction.count({ where: { externalMessageId: "C_G:1763600000.000100" } })).toBe(1);

    await refuseText(hub.db as never, "这条存不进去");
    const refused = await post({ text: "这条存不进去", ts: "1763600000.000200" }, "Ev2");
    expect(refused.status).toBe(500);
    expect(await hub.db.interaction.count({ where: { externalMessageId: "C_G:1763600000.000200" } })).toBe(0);
  });

  it("stores a message whose ts is not a time, with the time it arrived, beside the good ones", async () => {
    const { hub, post } = await slackHub();
    const answers = await Promise.all([
      post({ text: "第一条", ts: "1763600000.000300" }, "Ev3"),
      post({ text: "坏时间", ts: "abc" }, "Ev4"),
      post({ text: "第三条", ts: "1763600000.000500" }, "Ev5"),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const rows = await hub.db.interaction.findMany({ where: { direction: "IN" }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.text).sort()).toEqual(["坏时间", "第一条", "第三条"].sort());
    expect(rows.every((r) => !Number.isNaN(r.createdAt.getTime()))).toBe(true);
  });

  it("refuses what Slack never sends (an empty ts, a file whose type is a number) with 400, and cleans a ts in the year 10000", async () => {
    const { hub, post } = await slackHub();
    expect((await post({ text: "空的ts", ts: "" }, "Ev6")).status).toBe(400);
    expect((await post({ text: "文件", ts: "1763600000.000700", files: [{ mimetype: 7 }] }, "Ev7")).status).toBe(400);
    expect((await post({ text: "很远的未来", ts: "253402300800" }, "Ev8")).status).toBe(200);
    const row = await hub.db.interaction.findFirstOrThrow({ where: { externalMessageId: "C_G:253402300800" } });
    expect(Math.abs(row.createdAt.getTime() - hub.clock.now().getTime())).toBeLessThan(60_000);
  });
});

describe("Lark: the webhook answers after the row is written", () => {
  it("answers 200 with the row stored, 500 without it", async () => {
    const lark = await startFakeLark();
    const adapter = createLarkAdapter({ appId: "cli_a1b2c3d4e5f60718", appSecret: "secret", encryptKey: "k", domain: lark.url, mode: "webhook", logger: createLogger("silent") });
    const hub = await startPlatformHub([adapter]);
    cleanups.push(() => lark.close(), () => hub.close());
    const send = (id: string, text: string) => {
      const { body, headers } = encryptedRequest(
        {
          schema: "2.0",
          header: { event_id: `ev_${id}`, event_type: "im.message.receive_v1", create_time: String(Date.now()), app_id: "cli_a1b2c3d4e5f60718", tenant_key: "tk" },
          event: { sender: { sender_id: { open_id: "ou_p" }, sender_type: "user" }, message: { message_id: id, chat_id: "oc_g", chat_type: "group", message_type: "text", content: JSON.stringify({ text }), create_time: String(Date.now()) } },
        },
        "k",
      );
      return fetch(`${hub.url}/lark/events`, { method: "POST", headers, body });
    };
    expect((await send("", "没有编号")).status).toBe(400);
    expect((await send("om_1", "在吗")).status).toBe(200);
    expect(await hub.db.interaction.count({ where: { externalMessageId: "om_1" } })).toBe(1);
    await refuseText(hub.db as never, "这条存不进去");
    expect((await send("om_2", "这条存不进去")).status).toBe(500);
    expect(await hub.db.interaction.count({ where: { externalMessageId: "om_2" } })).toBe(0);
  });
});

describe("one bad event fails alone", () => {
  it("stores every good event of a burst written together, refusing only the bad one", async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    await refuseText(hub.db, "坏消息");
    const events = Array.from({ length: 60 }, (_, i) => consoleEvent(`burst-${i}`, `大家好 ${i}`, `p${i}`));
    events[10] = consoleEvent("burst-bad", "坏消息", "p10");
    events[20] = { ...consoleEvent("burst-nul", "带\u0000空字符", "p20") };
    events[30] = { ...consoleEvent("burst-time", "时间坏了", "p30"), at: new Date("abc") };
    const outcomes = await Promise.allSettled(events.map((e) => hub.app.hub.accept(e)));
    expect(outcomes.filter((o) => o.status === "rejected")).toHaveLength(1);
    expect(outcomes[10].status).toBe("rejected");
    await Promise.all(outcomes.map((o) => (o.status === "fulfilled" ? o.value.handled : null)));
    expect(await hub.db.interaction.count({ where: { direction: "IN" } })).toBe(59);
    expect((await hub.db.interaction.findFirstOrThrow({ where: { externalMessageId: "burst-nul" } })).text).toBe("带空字符");
    expect((await hub.db.interaction.findFirstOrThrow({ where: { externalMessageId: "burst-time" } })).createdAt).toEqual(hub.clock.now());
  });
});

describe("text and times the database would refuse are cleaned, not refused", () => {
  it("keeps a long message cut right at an emoji, a broken character, and a time in the year 10000", async () => {
    const hub = await startTestHub({ env: { HUB_MAX_MESSAGE_CHARS: "4000" } });
    cleanups.push(() => hub.close());
    const long = consoleEvent("cut-emoji", `${"好".repeat(3999)}😀后面的话`, "p1");
    const broken = consoleEvent("lone-half", "半个\ud83d字符", "p2");
    const future = { ...consoleEvent("year-10000", "时间太远", "p3"), at: new Date(253402300800 * 1000) };
    for (const e of [long, broken, future]) await hub.app.hub.handle(e);
    await hub.app.log.flush();
    const rows = await hub.db.interaction.findMany({ where: { direction: "IN" }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.externalMessageId)).toEqual(["cut-emoji", "lone-half", "year-10000"]);
    expect(rows[0].text).toBe("好".repeat(3999)); // the emoji is not cut in half
    expect(rows[1].text).toBe("半个\ufffd字符");
    expect(rows[2].createdAt).toEqual(hub.clock.now());
  });
});

describe("a redelivery is answered once", () => {
  it("while the original is still being handled, even when the message itself is minutes old", async () => {
    const model = heldModel();
    const hub = await startTestHub({ llm: model.llm });
    cleanups.push(() => hub.close());
    await hub.db.kbEntry.createMany({ data: KB });
    await hub.app.hub.forgetCaches();
    // Sent two minutes ago (a slow network, a queue at the platform): its own time says nothing of our progress.
    const event = consoleEvent("late-1", "返利什么时候到账？", "p1", new Date(hub.clock.now().getTime() - 2 * 60_000));
    const original = await hub.app.hub.accept(event);
    await hub.app.hub.handle(event); // the platform's retry, while the model is still thinking
    hub.clock.advance(30_000);
    await hub.app.hub.handle(event);
    model.release();
    await original.handled;
    expect(model.calls()).toBe(1);
    expect(hub.outputs).toHaveLength(1);
  });

  it("keeps holding a question whose answer takes long, so a late retry is not answered a second time", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    cleanups.push(async () => vi.useRealTimers());
    const model = heldModel();
    const hub = await startTestHub({ llm: model.llm });
    cleanups.push(() => hub.close());
    await hub.db.kbEntry.createMany({ data: KB });
    await hub.app.hub.forgetCaches();
    const event = consoleEvent("slow-1", "返利什么时候到账？", "p1", hub.clock.now());
    const original = await hub.app.hub.accept(event);
    hub.clock.advance(LEASE_RENEW_MS);
    await vi.advanceTimersByTimeAsync(LEASE_RENEW_MS); // the lease is renewed while the model thinks
    const row = await hub.db.interaction.findFirstOrThrow({ where: { externalMessageId: "slow-1" } });
    expect(row.leaseUntil).toEqual(new Date(hub.clock.now().getTime() + INBOUND_LEASE_MS));
    // Past the first lease (and the clock allowance), inside the renewed one: the retry is a duplicate.
    hub.clock.advance(INBOUND_LEASE_MS + CLOCK_SKEW_ALLOWANCE_MS - LEASE_RENEW_MS + 20_000);
    await hub.app.hub.handle(event);
    model.release();
    await original.handled;
    expect(model.calls()).toBe(1);
    expect(hub.outputs).toHaveLength(1);
  });

  it("handles what a stopped hub stored but never answered, once, after its lease runs out", async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    await addStaff(hub.db, "周敏", "MANAGER", ["console:zhou"]);
    const event = consoleEvent("orphan-1", "/whoami", "zhou", hub.clock.now());
    await hub.app.log.record({
      platform: "console", direction: "IN", kind: "command", text: "/whoami", externalMessageId: "orphan-1", createdAt: hub.clock.now(),
      pending: { event: JSON.stringify(event), leaseUntil: new Date(hub.clock.now().getTime() + 2 * 60_000) },
    });
    expect(await hub.app.hub.recover()).toBe(0); // its holder may still be working on it
    hub.clock.advance(2 * 60_000 + 1);
    expect(await hub.app.hub.recover()).toBe(0); // clocks may differ by a minute between instances
    hub.clock.advance(60_000);
    expect(await hub.app.hub.recover()).toBe(1);
    // Its answer may be in the chat already (the stop may have come right after sending): the outbox looks first.
    await hub.app.worker.drain();
    expect(hub.outputs.map((o) => o.rendered)).toEqual([expect.stringContaining("周敏")]);
    await hub.app.log.flush();
    hub.clock.advance(10 * 60_000);
    expect(await hub.app.hub.recover()).toBe(0);
    await hub.app.hub.handle(event); // a late platform retry
    await hub.app.worker.drain();
    expect(hub.outputs).toHaveLength(1);
  });

  it("a question the stopped hub had already handed off is not filed again when it is answered after the stop", async () => {
    const hub = await startTestHub({ env: { HUB_STAFF_CHAT: "console:staff-room" } });
    cleanups.push(() => hub.close());
    await addStaff(hub.db, "周敏", "MANAGER", ["console:zhou"]);
    const event = consoleEvent("orphan-q", "样机押金可以退吗？", "p1", hub.clock.now());
    // The stopped hub got as far as filing the question, not as far as telling the partner.
    const { question } = await handOff(hub.db, { partnerId: null, contactId: null, platform: "console", externalChatId: event.chat.id, text: event.text, askedAt: event.at });
    await hub.app.log.record({
      platform: "console", direction: "IN", kind: "message", text: event.text, externalMessageId: "orphan-q", createdAt: event.at,
      pending: { event: JSON.stringify(event), leaseUntil: hub.clock.now() },
    });
    hub.clock.advance(2 * 60_000);
    expect(await hub.app.hub.recover()).toBe(1);
    await hub.app.worker.drain();
    // The partner hears the same question number; staff, whose post the stopped hub never planned, are told now.
    const said = (chat: string) => hub.outputs.filter((o) => o.chatId === chat).map((o) => o.rendered);
    expect(said(event.chat.id)).toEqual([expect.stringContaining(`问题编号 #${question.id}`)]);
    expect(said("staff-room")).toEqual([expect.stringContaining(`【待回答 #${question.id}】`)]);
    expect(await hub.db.question.count()).toBe(1);
    // Once: answering it yet again posts nothing new to staff (the post is keyed by the question).
    hub.clock.advance(3 * 60_000);
    await hub.db.interaction.updateMany({ where: { externalMessageId: "orphan-q" }, data: { handledAt: null, leaseUntil: new Date(0) } });
    await hub.db.delivery.deleteMany({ where: { inReplyTo: "orphan-q" } });
    expect(await hub.app.hub.recover()).toBe(1);
    await hub.app.worker.drain();
    expect(said("staff-room")).toHaveLength(1);
  });

  it("gives up an event whose handling keeps failing, instead of retrying it for ever", async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    await hub.app.log.record({
      platform: "console", direction: "IN", kind: "message", text: "x", externalMessageId: "poison", createdAt: hub.clock.now(),
      pending: { event: "{not json", leaseUntil: hub.clock.now() },
    });
    for (let i = 0; i < 5; i++) {
      hub.clock.advance(3 * 60_000);
      await hub.app.hub.recover().catch(() => {});
    }
    await hub.app.log.flush();
    const row = await hub.db.interaction.findFirstOrThrow({ where: { externalMessageId: "poison" } });
    expect(row.handledAt).not.toBeNull();
    expect(row.attempts).toBeLessThanOrEqual(3);
  });
});

if (!postgresAvailable()) console.warn(`PostgreSQL acknowledgement tests skipped: ${postgresSkipReason()}`);

describe.skipIf(!postgresAvailable())("on PostgreSQL with two instances", () => {
  it("answers a question delivered to both instances at once exactly once, while the first is still answering", async () => {
    const url = await postgresUrl();
    const model = heldModel();
    const a = await startTestHub({ databaseUrl: url, llm: model.llm });
    const b = await startTestHub({ databaseUrl: url, llm: model.llm });
    cleanups.push(() => a.close(), () => b.close());
    await a.db.kbEntry.createMany({ data: KB });
    const at = new Date(a.clock.now().getTime() - 2 * 60_000);
    const firsts = [];
    for (let i = 0; i < 20; i++) {
      const event = consoleEvent(`pg-dup-${i}`, "返利什么时候到账？", `p${i}`, at);
      const [x, y] = await Promise.all([a.app.hub.accept(event), b.app.hub.accept(event)]);
      firsts.push(x.handled, y.handled);
      await b.app.hub.handle(event); // and a late retry on the other instance
    }
    model.release();
    await Promise.all(firsts);
    expect(a.outputs.length + b.outputs.length).toBe(20);
    expect(await a.db.interaction.count({ where: { direction: "IN" } })).toBe(20);
  });

  it("warns at start when an instance's clock is far from the database's (leases compare clocks)", async () => {
    const url = await postgresUrl();
    const { logger, logs } = capturingLogger();
    const late = new ManualClock(new Date(Date.now() - 5 * 60_000));
    const app = await createApp({ config: loadConfig({ DATABASE_URL: url }), logger, adapters: [createConsoleAdapter({ output: () => {} })], clock: late });
    cleanups.push(() => app.close());
    const warning = logs.find((l) => String(l.msg).includes("clock differs from PostgreSQL"));
    expect(warning?.skewMs).toBeLessThan(-4 * 60_000);
    const { logger: quiet, logs: none } = capturingLogger();
    const right = await createApp({ config: loadConfig({ DATABASE_URL: url }), logger: quiet, adapters: [createConsoleAdapter({ output: () => {} })] });
    cleanups.push(() => right.close());
    expect(none.some((l) => String(l.msg).includes("clock differs"))).toBe(false);
  });

  it("stores a text with NUL on PostgreSQL beside the good ones in its batch", async () => {
    const hub = await startTestHub({ databaseUrl: await postgresUrl() });
    cleanups.push(() => hub.close());
    await importPartners(hub.db, EXAMPLE);
    const events = Array.from({ length: 30 }, (_, i) => consoleEvent(`pg-${i}`, i === 7 ? "含\u0000的文字" : `你好 ${i}`, `p${i}`));
    const outcomes = await Promise.allSettled(events.map((e) => hub.app.hub.accept(e)));
    expect(outcomes.every((o) => o.status === "fulfilled")).toBe(true);
    expect(await hub.db.interaction.count({ where: { direction: "IN" } })).toBe(30);
    // Their answers finish before the hub is closed: thirty handlings racing the close are not what this tests.
    await Promise.allSettled(outcomes.map((o) => (o.status === "fulfilled" ? o.value.handled : null)));
  });
});
