// 投诉 end to end on the console: a partner complains in plain words and is told the number, who handles it
// and by when; staff confirm the guess, note progress, hand it on and resolve it, each step theirs in the
// partner's history; the person who complained (and only they) rates the handling, a low score reopening it
// to a manager; deadlines run on working hours and escalate once, with the injected clock.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { consoleEvent, importKbEntries, type TestHub } from "../helpers/hub.ts";
import { WARRANTIES } from "../helpers/warranties.ts";
import { startStaffHub } from "../helpers/staff-hub.ts";

let hub: TestHub;
const inChat = (chatId: string) => hub.outputs.filter((o) => o.chatId === chatId).map((o) => o.rendered);
const escalate = () => hub.app.jobs.find((j) => j.name === "escalate-complaints")!.run();
/** A staff member's command in their private chat, once what was planned before it has been sent. */
async function staff(who: string, command: string): Promise<string[]> {
  await hub.app.worker.drain();
  return hub.say(who, command);
}
const complaint = (id = 1) => hub.db.complaint.findUniqueOrThrow({ where: { id } });

beforeEach(async () => {
  hub = await startStaffHub(); // 周敏 (manager, owns HZ001), 小陈 (agent), hz-group bound to HZ001; Friday 10:00
  // 小陈 owns SH002, whose group is sh-group.
  await hub.db.partner.update({ where: { code: "SH002" }, data: { ownerName: "小陈" } });
  await hub.say("zhou", "/bind SH002", "sh-group");
  hub.outputs.length = 0;
});
afterEach(() => hub.close());

describe("a complaint", () => {
  it("said in plain words is a numbered ticket: the partner hears who handles it and by when, the staff chat and the owner the guess to confirm", async () => {
    const [ack] = await hub.say("wang", "对你们的物流很不满意，要投诉！上周订的货到现在还没到", "sh-group");
    expect(ack).toBe("很抱歉给您带来不便，您的投诉已受理，编号 #1。负责处理的是小陈，我们会在 11月20日 14:00 前联系您，11月25日 10:00 前给您处理结果。有补充可以直接发「投诉：补充内容」，查看进展请发 /complaint。");
    await hub.app.worker.drain();
    const post = "【客户投诉 #1】上海申达电器贸易有限公司（SH002） wang：对你们的物流很不满意，要投诉！上周订的货到现在还没到\n分类：物流（系统判断）· 严重程度：一般（系统判断）。不对请改：/complaint set 1 分类 严重程度\n负责人：小陈 · 首次回复期限 11月20日 14:00 · 解决期限 11月25日 10:00\n记录进展：/complaint note 1 内容 · 处理完：/complaint resolve 1 处理结果";
    expect(inChat("staff-room")).toEqual([post]);
    expect(inChat("dm:chen")).toEqual([post]);
    expect(await complaint()).toMatchObject({ status: "RECEIVED", category: "LOGISTICS", severity: "NORMAL", confirmed: false, ownerName: "小陈", complainant: "console:wang", source: "MESSAGE" });
    // The partner can ask how it stands.
    expect(await hub.say("wang", "/complaint", "sh-group")).toEqual(["您的投诉（最近 1 条）：\n· 投诉 #1「对你们的物流很不满意，要投诉！上周订的货…」：已受理，负责人 小陈，11月25日 10:00 前给您结果"]);
    // Only theirs: a colleague in the same group (one may complain about another) sees none of it.
    expect(await hub.say("liu", "/complaint", "sh-group")).toEqual(["您目前没有投诉记录。遇到问题可以直接发「投诉：具体情况」，我们会尽快处理。"]);
  });

  it("is not every mention of 投诉: a question about complaining is handed to staff as a question, and a bad word is not filed", async () => {
    await hub.say("wang", "投诉电话是多少", "sh-group");
    await hub.say("wang", "你们物流太慢了", "sh-group");
    await hub.say("wang", "我的客户投诉门锁漏电，怎么处理", "sh-group");
    expect(await hub.db.complaint.count()).toBe(0);
    expect((await hub.db.question.findMany({ orderBy: { id: "asc" } })).map((q) => q.text)).toEqual(["投诉电话是多少", "我的客户投诉门锁漏电，怎么处理"]);
    // Staff saying it are not complaining.
    await hub.say("zhou", "我要投诉这个打印机", "hz-group");
    expect(await hub.db.complaint.count()).toBe(0);
  });

  it("adds what the same person says next to their open ticket, and files one ticket per message when handled again", async () => {
    await hub.say("wang", "我要投诉", "sh-group");
    expect(await hub.say("wang", "投诉：上周的货少发了两箱", "sh-group")).toEqual(["已把您说的补充到投诉 #1，小陈会一并跟进。"]);
    expect(await hub.db.complaint.count()).toBe(1);
    expect((await hub.db.complaintStep.findMany({ where: { complaintId: 1 } })).map((s) => [s.action, s.text])).toEqual([["FILED", "我要投诉"], ["ADDED", "上周的货少发了两箱"]]);
    // Once staff took it up, or hours later, it is a new matter; unless it says it adds (补充), as they are told.
    await staff("chen", "/complaint note 1 已联系客户");
    expect(await hub.say("wang", "投诉：补充一下，少的是 X2 型号", "sh-group")).toEqual(["已把您说的补充到投诉 #1，小陈会一并跟进。"]);
    await hub.say("wang", "投诉：发票抬头又开错了", "sh-group");
    expect(await hub.db.complaint.count()).toBe(2);
    // Asking how it stands, with or without its number, files nothing.
    await hub.say("wang", "/complaint 查看 1", "sh-group");
    await hub.say("wang", "/投诉 进展 #2", "sh-group");
    expect(await hub.db.complaint.count()).toBe(2);
    const event = { ...consoleEvent("c-1", "投诉：门锁装好第二天就坏了", "lina", hub.clock.now()), chat: { id: "hz-group", kind: "group" as const } };
    await hub.app.hub.handle(event);
    await hub.app.hub.handle(event);
    expect(await hub.db.complaint.count()).toBe(3);
    await hub.app.worker.drain();
    expect(inChat("staff-room").filter((t) => t.startsWith("【客户投诉 #3】"))).toHaveLength(1);
  });

  it("is worked by staff: confirm the guess, note the first response, hand it on, resolve; each step theirs in the partner's history", async () => {
    await hub.say("wang", "投诉：安装师傅迟到了三个小时，还不道歉", "sh-group");
    expect(await staff("chen", "/complaint set 1 服务态度 严重")).toEqual(["投诉 #1：服务态度 · 严重（已确认）。期限按新的严重程度重算：首次回复期限 11月20日 12:00 · 解决期限 11月23日 10:00"]);
    expect(await staff("chen", "/complaint note 1 已电话向王总道歉，约了周一重新上门")).toEqual(["已记录投诉 #1 的进展，首次回复时间已记下。当前状态：处理中。"]);
    expect((await complaint()).respondedAt).toEqual(hub.clock.now());
    expect(await staff("chen", "/complaint reply 1 非常抱歉，周一上午换一位师傅上门")).toEqual(["已回复客户（投诉 #1），客户在原来的会话里会看到。"]);
    expect(await staff("chen", "/complaint assign 1 周敏")).toEqual(["投诉 #1 已转给周敏，已私信通知。"]);
    expect(await staff("zhou", "/complaint resolve 1 已换师傅重新安装，赠送一年延保")).toEqual(["投诉 #1 已标记为已解决，处理结果已告诉客户。已请wang在群里为处理打分，低于 3 分会重新打开并转给经理。"]);
    await hub.app.worker.drain();
    expect(inChat("sh-group").slice(1)).toEqual([
      "关于您的投诉 #1「安装师傅迟到了三个小时，还不道歉」：\n非常抱歉，周一上午换一位师傅上门",
      "您的投诉 #1「安装师傅迟到了三个小时，还不道歉」已处理：\n已换师傅重新安装，赠送一年延保\n再次为给您带来的不便道歉，谢谢您的耐心。",
      "@wang 您好！您的投诉 #1「安装师傅迟到了三个小时，还不道歉」已处理完毕。请为这次处理打个分（请wang本人打分）：5 分非常满意，1 分很不满意。不满意（1 或 2 分）会直接交给经理重新处理。\n1. 1 分 很不满意\n2. 2 分 不满意\n3. 3 分 一般\n4. 4 分 满意\n5. 5 分 非常满意\n请直接回复数字 1-5",
    ]);
    expect(inChat("dm:zhou").some((t) => t.startsWith("【投诉 #1 转给您】"))).toBe(true);
    const [history] = await staff("zhou", "/history SH002");
    expect(history).toContain("→ 员工 小陈 · 控制台：【投诉 #1】分类：服务态度 · 严重");
    expect(history).toContain("→ 员工 小陈 · 控制台：【投诉 #1】进展：已电话向王总道歉，约了周一重新上门");
    expect(history).toContain("→ 员工 小陈 · 控制台：【投诉 #1】指派：转给周敏（原负责人小陈）");
    expect(history).toContain("→ 员工 周敏 · 控制台：【投诉 #1】处理结果：已换师傅重新安装，赠送一年延保");
    const [file] = await staff("zhou", "/complaint show 1");
    expect(file).toContain("投诉 #1 · 已解决（待客户确认）\n客户：上海申达电器贸易有限公司（SH002） · wang\n内容：安装师傅迟到了三个小时，还不道歉\n分类：服务态度 · 严重程度：严重\n负责人：周敏");
    expect(file).toContain("· 11月20日 10:00 小陈 进展：已电话向王总道歉，约了周一重新上门");
  });

  it("is rated only by the person who complained: someone else's number is not counted, theirs closes it", async () => {
    await hub.say("wang", "投诉：发票开错了两次", "sh-group");
    await staff("chen", "/complaint resolve 1 已重开发票并快递寄出");
    expect(await hub.say("liu", "1", "sh-group")).toEqual([]);
    expect((await complaint()).status).toBe("RESOLVED");
    expect(await hub.say("wang", "4", "sh-group")).toEqual(["谢谢您的评分（4 分）！投诉 #1 已结案。以后有任何问题，随时找我们。"]);
    expect(await complaint()).toMatchObject({ status: "CLOSED", rating: 4 });
    // A second number is no second rating.
    expect(await hub.say("wang", "1", "sh-group")).toEqual([]);
    expect((await complaint()).status).toBe("CLOSED");
  });

  it("is rated privately when the hub has a private chat with the person who complained", async () => {
    await hub.say("wang", "你好", "sh-group");
    await hub.say("wang", "你好"); // their private chat with the hub
    await hub.say("wang", "投诉：样机三台有两台开不了机", "sh-group");
    expect((await staff("chen", "/complaint resolve 1 已补发两台样机"))[0]).toContain("已请wang私下为处理打分");
    await hub.app.worker.drain();
    expect(inChat("dm:wang").at(-1)).toMatch(/^wang，您好！您的投诉 #1「样机三台有两台开不了机」已处理完毕。请为这次处理打个分：/);
    expect(inChat("sh-group").some((t) => t.includes("请为这次处理打个分"))).toBe(false);
    expect(await hub.say("wang", "5")).toEqual(["谢谢您的评分（5 分）！投诉 #1 已结案。以后有任何问题，随时找我们。"]);
    // What was said privately is in the partner's history too.
    expect((await staff("zhou", "/history SH002 20"))[0]).toMatch(/→ 伙伴通 · 控制台：wang，您好！您的投诉 #1/);
  });

  it("rated 2 or less is reopened to a manager with new deadlines, and the manager and the owner are told", async () => {
    await hub.say("wang", "投诉：返利结算拖了两个月", "sh-group");
    await staff("chen", "/complaint resolve 1 财务已确认，本周内打款");
    hub.clock.advance(3_600_000);
    expect(await hub.say("wang", "1，到现在还没到账", "sh-group")).toEqual(["很抱歉这次处理没能让您满意。投诉 #1 已重新打开，由经理周敏亲自跟进，11月20日 15:00 前联系您。"]);
    expect(await complaint()).toMatchObject({ status: "REOPENED", ownerName: "周敏", rating: 1, respondedAt: null });
    await hub.app.worker.drain();
    const post = "【投诉 #1 客户不满意，重新打开】客户对处理结果打了 1 分：到现在还没到账\n原处理结果：财务已确认，本周内打款\n已转给经理周敏跟进，11月20日 15:00 前需联系客户。查看：/complaint show 1";
    expect(inChat("staff-room").at(-1)).toBe(post);
    expect(inChat("dm:zhou").at(-1)).toBe(post);
    expect(inChat("dm:chen").at(-1)).toBe(post);
    // Resolved again, it is rated again.
    await staff("zhou", "/complaint resolve 1 已当面核对，款项今天到账");
    expect(await hub.say("wang", "5", "sh-group")).toEqual(["谢谢您的评分（5 分）！投诉 #1 已结案。以后有任何问题，随时找我们。"]);
    // Reopened by a colleague, the owner hears it with the new deadlines, and so does the partner.
    expect(await staff("chen", "/complaint reopen 1 客户来电说还差一笔")).toEqual(["投诉 #1 已重新打开，期限从现在重算：首次回复期限 11月20日 15:00 · 解决期限 11月25日 11:00。"]);
    await hub.app.worker.drain();
    expect(inChat("dm:zhou").at(-1)).toBe("【投诉 #1 重新打开】小陈：客户来电说还差一笔\n首次回复期限 11月20日 15:00 · 解决期限 11月25日 11:00。查看：/complaint show 1");
    expect(inChat("sh-group").at(-1)).toBe("您的投诉 #1 我们重新打开了，会继续跟进处理（负责人周敏），11月20日 15:00 前联系您。");
  });

  it("escalates an overdue first response and resolution once each to the owner and a manager, on working hours", async () => {
    hub.clock.set("2026-11-20T09:00:00Z"); // Friday 17:00: first response due Monday 12:00
    await hub.say("wang", "投诉：发错了型号，店里急着用", "sh-group");
    expect((await complaint()).respondBy.toISOString()).toBe("2026-11-23T04:00:00.000Z");
    hub.clock.set("2026-11-23T03:59:00Z"); // Monday 11:59
    expect(await escalate()).toEqual([]);
    hub.clock.set("2026-11-23T04:01:00Z");
    expect(await escalate()).toEqual([{ id: 1, deadline: "respond" }]);
    expect(await escalate()).toEqual([]);
    await hub.app.worker.drain();
    const said = "【投诉超时 #1】上海申达电器贸易有限公司（SH002）：发错了型号，店里急着用\n首次回复期限 11月23日 12:00 已过，还没有人回复客户。请小陈和经理周敏尽快处理：/complaint note 1 进展 · /complaint resolve 1 处理结果";
    expect(inChat("staff-room").filter((t) => t.startsWith("【投诉超时"))).toEqual([said]);
    expect(inChat("dm:chen").filter((t) => t.startsWith("【投诉超时"))).toEqual([said]);
    expect(inChat("dm:zhou").filter((t) => t.startsWith("【投诉超时"))).toEqual([said]);
    await staff("chen", "/complaint note 1 已联系客户，今天补发");
    hub.clock.set("2026-11-25T09:01:00Z"); // Wednesday 17:01: resolution was due 17:00
    expect(await escalate()).toEqual([{ id: 1, deadline: "resolve" }]);
    expect(await escalate()).toEqual([]);
    expect((await staff("zhou", "/complaint list 逾期"))[0]).toContain("· #1 一般·物流 上海申达电器贸易有限公司 · 小陈 · 处理中 · 解决期限 11月25日 17:00（已逾期）");
  });

  it("filed by staff for a partner (a phone call) is told in the partner's group and rated by anyone there but staff", async () => {
    expect(await staff("zhou", "/complaint add HZ001 电话反映：门锁批量出现异响")).toEqual(["已登记投诉 #1（杭州云帆智能科技有限公司），负责人 周敏。编号和期限已告诉客户。"]);
    await hub.app.worker.drain();
    expect(inChat("hz-group").at(-1)).toMatch(/^您好，我们已为贵公司登记投诉：「电话反映：门锁批量出现异响」\n很抱歉给您带来不便，您的投诉已受理，编号 #1。负责处理的是周敏/);
    expect(await complaint()).toMatchObject({ source: "STAFF", filedBy: "周敏", complainant: null, category: "PRODUCT", severity: "SERIOUS" });
    const [history] = await staff("zhou", "/history HZ001");
    expect(history).toContain("→ 员工 周敏 · 控制台：【投诉 #1】代客户登记：电话反映：门锁批量出现异响");
    // The partner's people see it with /complaint, as they were told.
    expect((await hub.say("zhangwei", "/complaint", "hz-group"))[0]).toMatch(/^您的投诉（最近 1 条）：\n· 投诉 #1「电话反映：门锁批量出现异响」：已受理/);
    await staff("zhou", "/complaint resolve 1 已更换批次，全部上门检修");
    expect(await hub.say("zhou", "5", "hz-group")).toEqual([]);
    expect(await hub.say("zhangwei", "4", "hz-group")).toEqual(["谢谢您的评分（4 分）！投诉 #1 已结案。以后有任何问题，随时找我们。"]);
  });

  it("shows on the client card with its deadline, and makes the partner a 有待办 visit", async () => {
    await hub.say("wang", "投诉：发错了型号", "sh-group");
    const [card] = await staff("zhou", "/client SH002");
    expect(card).toContain("投诉：1 件未解决，#1 解决期限 11月25日 10:00（/complaint list SH002）");
    const [plan] = await staff("zhou", "/followup plan 有待办");
    expect(plan).toContain("上海申达电器贸易有限公司（SH002）：1 件投诉未解决");
    await staff("chen", "/complaint resolve 1 已换货");
    await hub.say("wang", "5", "sh-group");
    expect((await staff("zhou", "/client SH002"))[0]).not.toContain("投诉：");
  });

  it("lists: open by deadline, mine, one partner's; a partner's group never shows the staff list", async () => {
    await hub.say("wang", "投诉：发错了型号", "sh-group");
    await hub.say("zhangwei", "投诉：门锁装好就坏了", "hz-group");
    expect((await staff("zhou", "/complaint list"))[0]).toMatch(/^未结案的投诉 2 条：\n· #1 .*\n· #2 /);
    expect((await staff("chen", "/complaint list 我的"))[0]).toMatch(/^您负责的未结案投诉 1 条：\n· #1 一般·物流 上海申达/);
    expect((await staff("zhou", "/complaint list HZ001"))[0]).toMatch(/^杭州云帆智能科技有限公司（HZ001）的投诉 1 条：\n· #2 /);
    // One partner's list: the nearest deadline first (an urgent later ticket before an ordinary earlier one).
    await staff("zhou", "/complaint add HZ001 电话反映：门锁冒烟");
    await staff("zhou", "/complaint set 3 产品质量 紧急");
    expect((await staff("zhou", "/complaint list 云帆智能"))[0]).toMatch(/^杭州云帆智能科技有限公司（HZ001）的投诉 2 条：\n· #3 .*\n· #2 /);
    expect((await staff("zhou", "/complaint list GZ003"))[0]).toBe("广州穗安安防设备有限公司（GZ003）没有投诉记录。");
    // Staff's work on complaints (lists, files with their notes, filing for another partner) is not done where
    // a partner reads along, their own group included.
    for (const command of ["/complaint list", "/complaint show 1", "/complaint add HZ001 电话反映：异响", "/complaint resolve 1 好了"]) {
      expect(await hub.say("chen", command, "sh-group"), command).toEqual(["处理投诉请私聊我，或在内部员工群里使用（客户群里看得到回复）。"]);
    }
    expect(await hub.say("wang", "/complaint resolve 1 好了", "sh-group")).toEqual(["抱歉，受理和处理投诉是员工的功能。您可以发送 /complaint 查看投诉的进展。"]);
    // A partner's words that only look like staff's verbs are their complaint.
    await hub.say("liu", "投诉：回复 太慢了", "sh-group");
    expect((await complaint(4)).text).toBe("回复 太慢了");
  });
});

describe("the rating", () => {
  it("stays the person's to answer after they asked the bot something and picked from its choices", async () => {
    await importKbEntries(hub.db, WARRANTIES);
    await hub.say("wang", "投诉：样机开不了机", "sh-group");
    await staff("chen", "/complaint resolve 1 已换新样机");
    expect((await hub.say("wang", "@bot 保修期多久", "sh-group"))[0]).toContain("您是想问以下哪个问题？");
    expect((await hub.say("wang", "1", "sh-group"))[0]).toContain("智能门锁整机保修2年");
    // A bare number after the pick is not taken for a score (they may have meant the list); said to the bot,
    // it is told how to rate, and 打分 5 rates.
    expect(await hub.say("wang", "@bot 2", "sh-group")).toEqual(["如果是给投诉 #1 的处理打分，请回复「打分 数字」，例如：打分 5"]);
    expect((await complaint()).status).toBe("RESOLVED");
    expect(await hub.say("wang", "打分 5", "sh-group")).toEqual(["谢谢您的评分（5 分）！投诉 #1 已结案。以后有任何问题，随时找我们。"]);
  });

  it("of two open ratings, the next number answers the other once one is answered", async () => {
    await hub.say("wang", "投诉：样机开不了机", "sh-group");
    await staff("chen", "/complaint note 1 已联系");
    await hub.say("wang", "投诉：发票开错了", "sh-group");
    await staff("chen", "/complaint resolve 1 已换新样机");
    await staff("chen", "/complaint resolve 2 已重开发票");
    expect(await hub.say("wang", "4", "sh-group")).toEqual(["谢谢您的评分（4 分）！投诉 #2 已结案。以后有任何问题，随时找我们。"]);
    expect(await hub.say("wang", "5", "sh-group")).toEqual(["谢谢您的评分（5 分）！投诉 #1 已结案。以后有任何问题，随时找我们。"]);
  });

  it("ends after a week: a late press counts for nothing, and an unrated ticket is closed and its owner told", async () => {
    await hub.say("wang", "投诉：样机开不了机", "sh-group");
    await staff("chen", "/complaint resolve 1 已换新样机");
    const prompt = await hub.db.prompt.findFirstOrThrow({ where: { kind: "RATING" } });
    hub.clock.advance(8 * 86_400_000);
    const press = { ...consoleEvent("late-press", "", "wang", hub.clock.now()), type: "action" as const, chat: { id: "sh-group", kind: "group" as const }, actionId: `poll:${prompt.ref}:1`, value: "1" };
    await hub.app.hub.handle(press);
    expect(await hub.say("wang", "1", "sh-group")).toEqual([]);
    expect((await complaint()).status).toBe("RESOLVED");
    await escalate();
    expect(await complaint()).toMatchObject({ status: "CLOSED", rating: null });
    await hub.app.worker.drain();
    expect(inChat("dm:chen").at(-1)).toMatch(/^【投诉 #1 已结案】客户 7 天内没有为处理结果打分，已自动结案。/);
  });

  it("is asked again, never twice, when staff resolve once more a ticket whose partner was never told", async () => {
    await hub.say("wang", "投诉：样机开不了机", "sh-group");
    // As a failed send would leave it: resolved, nobody told, nothing to rate.
    await hub.db.complaint.update({ where: { id: 1 }, data: { status: "RESOLVED", resolution: "已换新样机", resolvedAt: hub.clock.now() } });
    await hub.db.complaintStep.create({ data: { complaintId: 1, at: hub.clock.now(), actor: "小陈", action: "RESOLVED", text: "已换新样机" } });
    expect((await staff("chen", "/complaint resolve 1 已换新样机"))[0]).toMatch(/^投诉 #1 已经是已解决，已再次把处理结果告诉客户（没有重复发送）。已请wang在群里为处理打分/);
    await staff("chen", "/complaint resolve 1 已换新样机");
    await hub.app.worker.drain();
    expect(inChat("sh-group").filter((t) => t.includes("请为这次处理打个分"))).toHaveLength(1);
    expect(inChat("sh-group").filter((t) => t.startsWith("您的投诉 #1"))).toHaveLength(1);
    expect(await hub.say("wang", "4", "sh-group")).toEqual(["谢谢您的评分（4 分）！投诉 #1 已结案。以后有任何问题，随时找我们。"]);
  });
});

describe("one person's many complaints", () => {
  it("open at most three tickets an hour; more are added to the latest, and staff hear of additions once an hour", async () => {
    for (const [i, what] of ["发票开错了", "样机坏了", "返利没到"].entries()) {
      await hub.say("wang", `投诉：${what}`, "sh-group");
      await staff("chen", `/complaint note ${i + 1} 已联系`); // taken up: the next one is a new matter
    }
    for (const what of ["物流太慢", "业务员态度差", "价格太乱了"]) await hub.say("wang", `投诉：${what}`, "sh-group");
    expect(await hub.db.complaint.count()).toBe(3);
    await hub.app.worker.drain();
    expect(inChat("staff-room").filter((t) => t.startsWith("【投诉 #3 客户补充】"))).toHaveLength(1);
    expect((await hub.db.complaintStep.findMany({ where: { complaintId: 3, action: "ADDED" } })).map((st) => st.text)).toEqual(["物流太慢", "业务员态度差", "价格太乱了"]);
  });
});

describe("escalation after a deadline moved", () => {
  it("escalates again when a new severity's deadline passes", async () => {
    await hub.say("wang", "投诉：门锁冒烟了", "sh-group"); // 紧急: first response within 1 working hour
    hub.clock.advance(65 * 60_000);
    expect(await escalate()).toEqual([{ id: 1, deadline: "respond" }]);
    await staff("zhou", "/complaint set 1 一般"); // 4 working hours from receipt: 14:00
    hub.clock.set("2026-11-20T06:05:00Z");
    expect(await escalate()).toEqual([{ id: 1, deadline: "respond" }]);
    await hub.app.worker.drain();
    expect(inChat("staff-room").filter((t) => t.startsWith("【投诉超时 #1】"))).toHaveLength(2);
  });
});

describe("a low satisfaction score", () => {
  it("whose comment is a complaint opens a ticket beside the mediation follow-up; a plain low comment opens only the follow-up", async () => {
    await staff("zhou", "/poll send 全部");
    await staff("zhou", "/poll confirm 1");
    await hub.app.worker.drain();
    const [said] = await hub.say("wang", "1，我要投诉，售后电话一直打不通", "sh-group");
    expect(said).toBe("收到您的评分（1 分），很抱歉让您不满意。我们已请小陈尽快联系您，了解情况并跟进处理。\n您的投诉已登记为投诉 #1，由小陈负责处理，/complaint 可查看进展。");
    expect(await complaint()).toMatchObject({ source: "POLL", category: "AFTER_SALES", text: "我要投诉，售后电话一直打不通" });
    expect(await hub.db.followUp.count({ where: { kind: "MEDIATION" } })).toBe(1);
    await hub.say("zhangwei", "2，发货有点慢", "hz-group");
    expect(await hub.db.complaint.count()).toBe(1);
    expect(await hub.db.followUp.count({ where: { kind: "MEDIATION" } })).toBe(2);
    // Not low, yet said to be a complaint: a ticket, and no mediation.
    expect((await hub.say("lina", "3，我要投诉你们业务员的态度", "hz-group"))[0]).toBe("收到您的评分（3 分），谢谢您的反馈！\n您的投诉已登记为投诉 #2，由周敏负责处理，/complaint 可查看进展。");
    expect(await complaint(2)).toMatchObject({ category: "ATTITUDE", partnerId: (await hub.db.partner.findUniqueOrThrow({ where: { code: "HZ001" } })).id });
  });
});
