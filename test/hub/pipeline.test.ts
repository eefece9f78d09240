// The pipeline every event goes through: logged once, against the right partner and contact, answered once,
// recovered after a crash. What each command answers is tested under test/commands/.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import path from "node:path";
import { importPartners } from "../../src/partners/transfer.ts";
import { consoleEvent, startTestHub, type TestHub } from "../helpers/hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");

let hub: TestHub;
beforeEach(async () => {
  hub = await startTestHub();
  await importPartners(hub.db, EXAMPLE);
  await hub.addStaff("周敏", "zhou", "MANAGER");
});
afterEach(() => hub.close());

describe("every message is logged", () => {
  it("stores an inbound message and the reply as interactions of the partner's group", async () => {
    await hub.say("zhou", "/bind HZ001", "hz-group");
    await hub.say("zhangwei", "你好,想问下返利怎么算", "hz-group");
    await hub.app.log.flush();
    const partner = await hub.db.partner.findUniqueOrThrow({ where: { code: "HZ001" } });
    const rows = await hub.db.interaction.findMany({ where: { partnerId: partner.id }, orderBy: { id: "asc" } });
    // The /bind itself arrived before the group was bound; its answer and all after it are the partner's.
    expect(rows.map((r) => [r.direction, r.kind, r.text.slice(0, 10)])).toEqual([
      ["OUT", "reply", "已将本群绑定到 杭州"],
      ["IN", "message", "你好,想问下返利怎么"],
      ["OUT", "handoff", "这个问题我请同事周敏"], // no knowledge base here: handed to the partner's owner
    ]);
    expect(rows.every((r) => r.platform === "console" && r.externalMessageId)).toBe(true);
    expect(rows[1].contactId).not.toBeNull();
  });

  it("stores a re-delivered event once and answers it once", async () => {
    const event = consoleEvent("evt-1", "/whoami");
    await Promise.all([hub.app.hub.handle(event), hub.app.hub.handle(event)]);
    await hub.app.hub.handle(event);
    await hub.app.log.flush();
    expect(await hub.db.interaction.count({ where: { externalMessageId: "evt-1" } })).toBe(1);
    expect(hub.outputs).toHaveLength(1);
  });

  it("logs an unknown sender in a bound group against the partner as an unidentified contact", async () => {
    await hub.say("zhou", "/bind SH002", "sh-group");
    await hub.say("stranger-9", "新来的,请多关照", "sh-group");
    await hub.app.log.flush();
    const partner = await hub.db.partner.findUniqueOrThrow({ where: { code: "SH002" }, include: { contacts: true } });
    const unknown = partner.contacts.find((c) => c.unidentified);
    expect(unknown?.name).toContain("console:stranger-9");
    const row = await hub.db.interaction.findFirstOrThrow({ where: { text: "新来的,请多关照" } });
    expect(row.partnerId).toBe(partner.id);
    expect(row.contactId).toBe(unknown!.id);
  });

  it("keeps messages from strangers in unbound chats, with no partner", async () => {
    await hub.say("passer-by", "hello?");
    await hub.app.log.flush();
    const row = await hub.db.interaction.findFirstOrThrow({ where: { text: "hello?" } });
    expect(row.partnerId).toBeNull();
    expect(row.direction).toBe("IN");
  });

  it("refuses an over-long message clearly and keeps its beginning", async () => {
    const long = "很".repeat(5000);
    const [reply] = await hub.say("zhou", long);
    expect(reply).toContain("消息太长了");
    await hub.app.log.flush();
    const row = await hub.db.interaction.findFirstOrThrow({ where: { kind: "rejected" } });
    expect(row.text).toHaveLength(4000);
    expect(JSON.parse(row.meta!)).toMatchObject({ originalLength: 5000 });
  });
});

describe("numbered replies to a poll", () => {
  it("count as an answer only after a poll, within its option range and time window", async () => {
    await hub.say("zhou", "/bind HZ001", "hz-group");
    await hub.say("zw", "3", "hz-group"); // no poll yet: just a message
    await hub.app.hub.sendTo("console", "hz-group", { type: "poll", pollId: "7", question: "满意度？", options: [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n} 分` })) });
    await hub.say("zw", "6", "hz-group"); // out of range
    await hub.say("zw", " 5 ", "hz-group");
    hub.clock.advance(8 * 86_400_000);
    await hub.say("zw", "4", "hz-group"); // too late
    await hub.app.log.flush();
    const rows = await hub.db.interaction.findMany({ where: { direction: "IN", contact: { name: { contains: "zw" } } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.kind, r.text])).toEqual([
      ["message", "3"],
      ["message", "6"],
      ["action", "[操作] poll:7:5=5"],
      ["message", "4"],
    ]);
  });
});

describe("what staff and partners type is read as they mean it", () => {
  it("an e-mail address in a partner's question is not an @mention of someone else: the question is answered", async () => {
    await hub.say("zhou", "/bind HZ001", "hz-group");
    const replies = await hub.say("zhangwei", "请问发票可以发到 wq@abc.example 吗？", "hz-group");
    expect(replies).toEqual([expect.stringContaining("这个问题我请同事")]);
  });
});

describe("a hub that stopped half-way", () => {
  it("answers the platform's later retry of a message it logged but never answered, and only then", async () => {
    const event = consoleEvent("evt-lost", "/whoami", "zhou", hub.clock.now());
    // What a crash leaves behind: the message stored (and acknowledged), held by the stopped hub, no reply.
    await hub.app.log.record({
      platform: "console", direction: "IN", kind: "command", text: "/whoami", externalMessageId: "evt-lost", createdAt: hub.clock.now(), chatId: null,
      pending: { event: JSON.stringify(event), leaseUntil: new Date(hub.clock.now().getTime() + 2 * 60_000) },
    });
    await hub.app.hub.handle(event); // an immediate retry: the original may still be in progress
    expect(hub.outputs).toHaveLength(0);
    hub.clock.advance(5 * 60_000); // Slack's 5-minute retry
    await hub.app.hub.handle(event);
    await hub.app.worker.drain(); // sent through the outbox, which first looks whether it is there already
    expect(hub.outputs.map((o) => o.rendered)).toEqual([expect.stringContaining("您是员工 周敏")]);
    hub.clock.advance(60 * 60_000); // answered now: a later retry is just a duplicate
    await hub.app.hub.handle(event);
    await hub.app.worker.drain();
    expect(hub.outputs).toHaveLength(1);
    await hub.app.log.flush();
    expect(await hub.db.interaction.count({ where: { externalMessageId: "evt-lost" } })).toBe(1);
  });
});
