import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../../src/db/client.ts";
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
      ["OUT", "reply", "这个问题我请同事周敏"], // no knowledge base here: handed to the partner's owner
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

describe("staff commands", () => {
  it("/client finds one partner by initials, Traditional characters, or code, and shows the card", async () => {
    const [byCode] = await hub.say("zhou", "/client hz001");
    expect(byCode).toContain("【杭州云帆智能科技有限公司（HZ001）】");
    expect(byCode).toContain("等级：战略（重点客户）");
    expect(byCode).toContain("张伟（总经理，13800000001");
    expect(byCode).toContain("生日 农历三月初八");
    const [trad] = await hub.say("zhou", "/client 申達電器");
    expect(trad).toContain("上海申达电器贸易有限公司（SH002）");
    const [py] = await hub.say("zhou", "/client chengdu");
    expect(py).toContain("CD004");
  });

  it("/client shows a pick list when several partners match, and says so when none does", async () => {
    const [many] = await hub.say("zhou", "/client hzyf");
    expect(many).toContain("找到 2 个客户");
    expect(many.indexOf("HZ001")).toBeLessThan(many.indexOf("HZ007")); // strategic before general
    const [none] = await hub.say("zhou", "/client 哈尔滨");
    expect(none).toContain("没有找到与「哈尔滨」匹配的客户");
  });

  it("/client without a keyword answers with its usage", async () => {
    const [reply] = await hub.say("zhou", "/client");
    expect(reply).toContain("用法：/client");
  });

  it("/history shows the timeline newest first, limited to the count asked", async () => {
    await hub.say("zhou", "/bind HZ001", "hz-group");
    for (const [i, t] of ["第一条", "第二条", "第三条"].entries()) {
      hub.clock.advance(60_000 * (i + 1));
      await hub.say("zhangwei", t, "hz-group");
    }
    const [reply] = await hub.say("zhou", "/history HZ001 2");
    const lines = reply.split("\n");
    expect(lines[0]).toContain("最近 2 条互动记录");
    expect(lines[1]).toContain("第三条");
    expect(lines[2]).toContain("第二条");
    expect(reply).not.toContain("第一条");
  });

  it("the client card shows the last contact and whether the agreed frequency is overdue", async () => {
    await hub.say("zhou", "/bind HZ001", "hz-group");
    await hub.say("zhangwei", "在吗", "hz-group");
    hub.clock.advance(10 * 86_400_000);
    const [card] = await hub.say("zhou", "/client HZ001");
    expect(card).toMatch(/最近联系：.*10 天前.*约定每 7 天联系一次，已超期 3 天/);
  });

  it("/bind only works in a group, and rebinding says what it replaced", async () => {
    const [dm] = await hub.say("zhou", "/bind HZ001");
    expect(dm).toContain("只能在群里使用");
    await hub.say("zhou", "/bind HZ001", "g1");
    const [again] = await hub.say("zhou", "/bind SH002", "g1");
    expect(again).toContain("原来绑定的是 杭州云帆智能科技有限公司（HZ001）");
    const [missing] = await hub.say("zhou", "/bind NOPE9", "g1");
    expect(missing).toContain("没有客户编号为 NOPE9 的客户");
  });

  it("shows client files in a group only once staff made it an internal staff group", async () => {
    const [unbound] = await hub.say("zhou", "/client SH002", "new-group");
    expect(unbound).toContain("不能在未设为内部员工群的群里使用");
    await hub.say("zhou", "/bind 内部", "new-group");
    expect((await hub.say("zhou", "确认", "new-group"))[0]).toContain("已将本群设为内部员工群");
    const [card] = await hub.say("zhou", "/client SH002", "new-group");
    expect(card).toContain("上海申达电器贸易有限公司（SH002）");
    await hub.say("zhou", "聊点内部的事", "new-group");
    await hub.app.log.flush();
    expect((await hub.db.interaction.findFirstOrThrow({ where: { text: "聊点内部的事" } })).partnerId).toBeNull();
  });

  it("never shows a client file inside a partner's group", async () => {
    await hub.say("zhou", "/bind HZ001", "hz-group");
    const [reply] = await hub.say("zhou", "/client SH002", "hz-group");
    expect(reply).toContain("不能在客户群里使用");
    expect(reply).not.toContain("上海申达");
  });

  it("/whoami tells staff, contacts and strangers apart", async () => {
    expect((await hub.say("zhou", "/whoami"))[0]).toContain("你是员工 周敏（经理）");
    expect((await hub.say("nobody", "/whoami"))[0]).toContain("还没有登记");
  });

  it("unknown commands suggest the closest one", async () => {
    const [reply] = await hub.say("zhou", "/histroy HZ001");
    expect(reply).toContain("没有 /histroy 这个命令。你是不是想用 /history？");
  });
});

describe("partners cannot use staff commands", () => {
  it("refuses politely and audits the attempt", async () => {
    await hub.say("zhou", "/bind HZ001", "hz-group");
    const [reply] = await hub.say("zhangwei", "/client SH002", "hz-group");
    expect(reply).toContain("仅限员工使用");
    expect(reply).not.toContain("上海申达");
    const audit = await hub.db.auditLog.findFirstOrThrow({ where: { allowed: false } });
    expect(audit).toMatchObject({ actor: "console:zhangwei", action: "command:client" });
  });

  it("/help shows a partner only what they may use", async () => {
    const [reply] = await hub.say("zhangwei", "/help");
    expect(reply).toContain("/whoami");
    expect(reply).not.toContain("/client");
  });
});

describe("the /client index follows imports made elsewhere", () => {
  it("finds a partner imported after the hub started, and a renamed one under its new name only", async () => {
    expect((await hub.say("zhou", "/client 青岛海纳"))[0]).toContain("没有找到");
    const other = await openDatabase(hub.databaseUrl); // another process: the CLI importing while the hub runs
    try {
      const dir = mkdtempSync(path.join(os.tmpdir(), "idx-"));
      const header = readFileSync(EXAMPLE, "utf8").split("\n")[0];
      writeFileSync(path.join(dir, "new.csv"), `${header}\nQD010,青岛海纳电器有限公司,青岛,,,,,,一般,,,,,,,,,,,,\nHZ001,杭州云帆智慧家居有限公司,杭州,,,,,,战略,,,,,,,,,,,,\n`);
      hub.clock.advance(1000);
      await importPartners(other.db, path.join(dir, "new.csv"));
    } finally {
      await other.close();
    }
    expect((await hub.say("zhou", "/client 青岛海纳"))[0]).toContain("青岛海纳电器有限公司（QD010）");
    expect((await hub.say("zhou", "/client 智慧家居"))[0]).toContain("HZ001");
    expect((await hub.say("zhou", "/client 云帆智能"))[0]).toContain("没有找到");
  });
});

describe("/link: one person, several accounts, one file", () => {
  it("registers an unknown group member as the partner's contact and moves what they said", async () => {
    await hub.say("zhou", "/bind HZ001", "hz-group");
    await hub.say("zw", "我是张伟，新拉的群", "hz-group");
    const [reply] = await hub.say("zhou", "/link @zw HZ001 张伟", "hz-group");
    expect(reply).toContain("已将 console:zw 登记为 杭州云帆智能科技有限公司（HZ001）的联系人 张伟，之前的 1 条消息已并入其互动记录");
    const zhang = await hub.db.contact.findFirstOrThrow({ where: { name: "张伟" }, include: { identities: true } });
    expect(zhang.identities.map((i) => i.externalId)).toEqual(["zw"]);
    expect(await hub.db.contact.count({ where: { unidentified: true } })).toBe(0);
    expect((await hub.db.interaction.findFirstOrThrow({ where: { text: "我是张伟，新拉的群" } })).contactId).toBe(zhang.id);
    expect((await hub.say("zw", "/whoami", "hz-group"))[0]).toContain("您是 杭州云帆智能科技有限公司 的联系人 张伟");

    await hub.say("zhou", "/link @zw-phone HZ001 张伟");
    expect(await hub.db.identity.count({ where: { contactId: zhang.id } })).toBe(2);
  });

  it("refuses to make a staff account a contact, and needs someone to link", async () => {
    await hub.addStaff("陈刚", "chen");
    expect((await hub.say("zhou", "/link @chen HZ001"))[0]).toContain("是员工 陈刚 的账号");
    expect((await hub.say("zhou", "/link HZ001"))[0]).toContain("用法：/link");
  });
});

describe("commands as Chinese staff type them", () => {
  it("takes a Chinese alias with no space before the argument, and suggests from aliases", async () => {
    expect((await hub.say("zhou", "/客户SH002"))[0]).toContain("上海申达电器贸易有限公司（SH002）");
    expect((await hub.say("zhou", "/客护 SH002"))[0]).toContain("你是不是想用 /client？");
    expect((await hub.say("zhou", "/help"))[0]).toContain("（也可以输入 /客户）");
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

  it("a staff member's bare 确认 with nothing waiting says so, and is not handed to staff as a question", async () => {
    expect(await hub.say("zhou", "确认")).toEqual(["现在没有等你确认的操作。"]);
    expect(await hub.say("zhou", "取消")).toEqual([expect.stringContaining("没有")]);
    expect(await hub.db.question.count()).toBe(0);
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
    expect(hub.outputs.map((o) => o.rendered)).toEqual([expect.stringContaining("你是员工 周敏")]);
    hub.clock.advance(60 * 60_000); // answered now: a later retry is just a duplicate
    await hub.app.hub.handle(event);
    await hub.app.worker.drain();
    expect(hub.outputs).toHaveLength(1);
    await hub.app.log.flush();
    expect(await hub.db.interaction.count({ where: { externalMessageId: "evt-lost" } })).toBe(1);
  });
});
