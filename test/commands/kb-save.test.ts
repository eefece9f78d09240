// /answer … --save keeps a partner's question for every other partner: what is kept has no personal
// data, and staff see it and confirm (or correct) it before it is saved; the partner's answer goes at once.
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONFIRM_TTL_MS } from "../../src/commands/confirmation.ts";
import { importPartners } from "../../src/partners/transfer.ts";
import { importKbEntries, startTestHub, type TestHub } from "../helpers/hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
const ASKED = "我是王强，手机13900001111，展会的展位费公司补贴吗？";
let hub: TestHub;
const inChat = (chat: string) => hub.outputs.filter((o) => o.chatId === chat).map((o) => o.rendered);

beforeEach(async () => {
  hub = await startTestHub({ env: { HUB_STAFF_CHAT: "console:staff-room" } });
  await importPartners(hub.db, EXAMPLE);
  await importKbEntries(hub.db, [{ id: "kb-003", question: "返利什么时候到账？", answer: "季度返利在下一季度首月20日前发放至返利账户。" }]);
  await hub.addStaff("周敏", "zhou", "MANAGER");
  await hub.addStaff("小陈", "chen", "AGENT");
  await hub.say("zhou", "/bind HZ001", "hz-group");
  await hub.say("zhou", "/bind SH002", "sh-group");
  // Partner B (SH002) asks, introducing himself; nobody has answered this before.
  await hub.say("wang", ASKED, "sh-group");
  expect(inChat("sh-group").at(-1)).toContain("问题编号 #1");
});
afterEach(() => hub.close());

describe("saving a staff answer to the knowledge base", () => {
  it("answers the partner at once, shows staff the question without personal data, and saves only on 确认", async () => {
    await hub.say("zhou", "/answer 1 展位费公司补贴50%，凭发票报销 --save");
    const prompt = inChat("dm:zhou").at(-1);
    expect(inChat("sh-group").at(-1)).toBe(`关于您的问题「${ASKED.slice(0, 30)}…」：\n展位费公司补贴50%，凭发票报销`);
    expect(prompt).toBe(
      "已回复问题 #1。\n存入知识库（staff-1）的问题（已去掉电话、姓名），其他客户会看到：\n「展会的展位费公司补贴吗？」\n回复「确认」保存，或「确认 改好的问题」；回复「取消」不存（30 分钟内有效）。",
    );
    expect(await hub.db.kbEntry.count({ where: { id: "staff-1" } })).toBe(0);
    // Partner A asking now is handed off: nothing was saved yet.
    await hub.say("zhang", "展位费公司补贴吗？", "hz-group");
    expect(inChat("hz-group").at(-1)).toContain("问题编号 #2");

    expect((await hub.say("zhou", "确认"))[0]).toBe("已存入知识库（staff-1）：「展会的展位费公司补贴吗？」。以后客户这样问会直接回答。");
    const [cited] = await hub.say("zhang", "展位费公司补贴吗？", "hz-group");
    expect(cited).toBe("展位费公司补贴50%，凭发票报销\n——出自知识库「展会的展位费公司补贴吗？」（staff-1）");
    const entry = await hub.db.kbEntry.findUniqueOrThrow({ where: { id: "staff-1" } });
    expect(JSON.stringify(entry)).not.toMatch(/王强|13900001111/);
  });

  it("takes the question as staff correct it, and checks a correction like the original", async () => {
    await hub.say("zhou", "/answer 1 展位费公司补贴50% --save");
    const [again] = await hub.say("zhou", "确认 王强问：展会展位费补贴吗，电话 139-0000-1111");
    expect(again).toContain("（已去掉电话、姓名）");
    expect(await hub.db.kbEntry.count()).toBe(1);
    expect((await hub.say("zhou", "/确认 参展的展位费公司给补贴吗？"))[0]).toBe("已存入知识库（staff-1）：「参展的展位费公司给补贴吗？」。以后客户这样问会直接回答。");
    expect((await hub.db.kbEntry.findUniqueOrThrow({ where: { id: "staff-1" } })).question).toBe("参展的展位费公司给补贴吗？");
    expect((await hub.say("zhou", "/确认"))[0]).toBe("现在没有等您确认的操作。");
  });

  it("取消 keeps it out of the knowledge base; the partner still has the answer", async () => {
    await hub.say("zhou", "/answer 1 展位费公司补贴50% --save");
    expect((await hub.say("zhou", "取消"))[0]).toBe("好的，问题 #1 的回答不存入知识库（客户已收到回答）。");
    expect(await hub.db.kbEntry.count({ where: { id: "staff-1" } })).toBe(0);
    expect(inChat("sh-group").at(-1)).toContain("展位费公司补贴50%");
  });

  it("is confirmed only by the one who asked, in the chat where they asked, before it expires", async () => {
    await hub.say("zhou", "/answer 1 展位费公司补贴50% --save", "staff-room");
    expect((await hub.say("chen", "/确认", "staff-room"))[0]).toBe("现在没有等您确认的操作。");
    expect((await hub.say("zhou", "/确认"))[0]).toBe("现在没有等您确认的操作。"); // his private chat, not the staff room
    // A plain 确认 where nothing waits is just a word: in a partner's group staff may say it to the partner.
    expect(await hub.say("zhou", "确认", "sh-group")).toEqual([]);
    hub.clock.advance(CONFIRM_TTL_MS + 1000);
    expect((await hub.say("zhou", "确认", "staff-room"))[0]).toBe("刚才等您确认的操作已超过 30 分钟，没有执行；需要的话请重新发起。");
    expect(await hub.db.kbEntry.count({ where: { id: "staff-1" } })).toBe(0);
  });

  it("runs once when the platform delivers the same 确认 twice", async () => {
    await hub.say("zhou", "/answer 1 展位费公司补贴50% --save");
    const confirm = { type: "message" as const, platform: "console" as const, messageId: "m-confirm", chat: { id: "dm:zhou", kind: "direct" as const }, sender: { id: "zhou" }, at: hub.clock.now(), text: "确认", contentType: "text" as const, mentioned: true };
    await Promise.all([hub.app.hub.handle(confirm), hub.app.hub.handle({ ...confirm })]);
    expect(inChat("dm:zhou").filter((m) => m.startsWith("已存入知识库"))).toHaveLength(1);
  });

  it("a question that is nothing but personal data waits for staff to write one", async () => {
    await hub.say("li", "我是李娜，电话13900002222");
    await hub.say("zhou", "/answer 2 已登记 --save");
    const prompt = inChat("dm:zhou").at(-1);
    expect(prompt).toContain("去掉个人信息后没有可存的文字");
    expect((await hub.say("zhou", "确认"))[0]).toContain("去掉个人信息后没有可存的文字");
    expect((await hub.say("zhou", "确认 怎么登记联系方式？"))[0]).toBe("已存入知识库（staff-2）：「怎么登记联系方式？」。以后客户这样问会直接回答。");
  });
});

describe("teaching a phrasing from a partner's words", () => {
  it("answers the partner at once, shows staff the wording without personal data, and keeps it only on 确认", async () => {
    await hub.say("wang", "我是王强，电话 139 0000 1111，返点几号打过来", "sh-group");
    await hub.say("zhou", "/answer 2 --kb kb-003");
    expect(inChat("sh-group").at(-1)).toContain("季度返利在下一季度首月20日前发放至返利账户。");
    expect(inChat("dm:zhou").at(-1)).toBe(
      "已用知识库条目 kb-003 回复问题 #2。\n将把这种问法记到 kb-003：「返点几号打过来」（已去掉电话、姓名）\n回复「确认」记下，或「确认 改好的问法」；回复「取消」不记（30 分钟内有效）。",
    );
    expect((await hub.db.kbEntry.findUniqueOrThrow({ where: { id: "kb-003" } })).learned).toBe("[]");
    expect((await hub.say("zhou", "确认"))[0]).toBe("「返点几号打过来」已记为 kb-003 的一种问法，以后这样问会直接回答。");
    expect((await hub.db.kbEntry.findUniqueOrThrow({ where: { id: "kb-003" } })).learned).toBe(JSON.stringify(["返点几号打过来"]));
    expect((await hub.say("zhang", "返点几号打过来", "hz-group"))[0]).toContain("（kb-003）");
  });

  it("取消 keeps nothing; an edit is checked like the partner's words", async () => {
    await hub.say("wang", "王强这边想问返点几号打过来", "sh-group");
    await hub.say("zhou", "/answer 2 --kb kb-003");
    expect(inChat("dm:zhou").at(-1)).toContain("将把这种问法记到 kb-003：「想问返点几号打过来」（已去掉姓名）");
    expect((await hub.say("zhou", "取消"))[0]).toBe("好的，这种问法不记到 kb-003（客户已收到回答）。");
    expect((await hub.db.kbEntry.findUniqueOrThrow({ where: { id: "kb-003" } })).learned).toBe("[]");

    await hub.say("wang", "返点几号打过来呀", "sh-group");
    await hub.say("zhou", "/answer 3 --kb kb-003");
    const [again] = await hub.say("zhou", "确认 王强问返点几号到，微信 wangqiang_88");
    expect(again).toContain("（已去掉微信/QQ号、姓名）");
    expect((await hub.db.kbEntry.findUniqueOrThrow({ where: { id: "kb-003" } })).learned).toBe("[]");
    expect((await hub.say("zhou", "确认 返点几号到账"))[0]).toBe("「返点几号到账」已记为 kb-003 的一种问法，以后这样问会直接回答。");
    expect(JSON.parse((await hub.db.kbEntry.findUniqueOrThrow({ where: { id: "kb-003" } })).learned)).toEqual(["返点几号到账"]);
  });

  it("keeps nothing, and asks nothing, when nothing is left to keep or the wording is known", async () => {
    await hub.say("wang", "我是王强，电话13900001111？", "sh-group");
    await hub.say("zhou", "/answer 2 --kb kb-003");
    expect(inChat("dm:zhou").at(-1)).toBe("已用知识库条目 kb-003 回复问题 #2；这句话去掉个人信息后没有可记的问法，这次不记。");
    expect((await hub.say("zhou", "/确认"))[0]).toBe("现在没有等您确认的操作。");
    expect((await hub.db.kbEntry.findUniqueOrThrow({ where: { id: "kb-003" } })).learned).toBe("[]");
    // A colleague taught the wording by hand in the meantime.
    await hub.say("wang", "我是王强，返点几号打过来呀", "sh-group");
    await hub.say("zhou", "/kb variant kb-003 返点几号打过来呀");
    await hub.say("zhou", "/answer 3 --kb kb-003");
    expect(inChat("dm:zhou").at(-1)).toBe("已用知识库条目 kb-003 回复问题 #3；「返点几号打过来呀」已是 kb-003 的问法。");
    expect((await hub.say("zhou", "/确认"))[0]).toBe("现在没有等您确认的操作。");
  });
});
