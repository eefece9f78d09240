// Notices and satisfaction polls as staff and partners drive them on the console channel.
import { PRIORITY } from "../../src/outbox/enqueue.ts";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importPartners } from "../../src/partners/transfer.ts";
import { startTestHub, type TestHub } from "../helpers/hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
let hub: TestHub;

const sentTo = (chat: string) => hub.outputs.filter((o) => o.chatId === chat).map((o) => o.rendered);

beforeEach(async () => {
  hub = await startTestHub({ now: "2026-11-20T02:00:00Z", env: { HUB_STAFF_CHAT: "console:staff" } });
  await importPartners(hub.db, EXAMPLE);
  await hub.addStaff("周敏", "zhou", "MANAGER");
  await hub.addStaff("小陈", "chen", "AGENT");
  await hub.say("zhou", "/bind HZ001", "g-hz");
  await hub.say("zhou", "/bind SH002", "g-sh");
  await hub.say("zhou", "/bind 内部", "staff");
  await hub.say("zhou", "确认", "staff");
  hub.outputs.length = 0;
});
afterEach(() => hub.close());

describe("/notice", () => {
  it("previews the audience, drafts, and only a manager's confirmation sends it, once", async () => {
    expect((await hub.say("chen", "/notice preview 等级=战略,重点"))[0]).toBe("等级 战略/重点：3 家客户，可送达 2 个群；1 家没有绑定客户群，收不到。");
    // A title only where marked (# 标题, or 标题：); the preview is the message partners will get, title line and all.
    const [draft] = await hub.say("chen", "/notice send 等级=战略,重点 ｜ # 新品上市\n注意：智能门锁 X2 下月上市，样机可提前预订。");
    expect(draft).toBe("通知草稿 #1「新品上市」：等级 战略/重点，3 家客户的 2 个群（1 家没有绑定客户群），确认后立即发送。\n客户将看到：\n【新品上市】\n注意：智能门锁 X2 下月上市，样机可提前预订。\n发送需要经理确认，已通知周敏。");
    // Drafted by an agent: the managers who may confirm it are told.
    await hub.app.worker.drain();
    expect(sentTo("dm:zhou").at(-1)).toMatch(/^【待确认通知】小陈起草了通知草稿 #1「新品上市」[\s\S]*确认发送：\/notice confirm 1$/);
    expect(await hub.db.delivery.count({ where: { priority: PRIORITY.outreach } })).toBe(0); // replies to staff are deliveries too

    expect((await hub.say("chen", "/notice confirm 1"))[0]).toContain("需要经理或管理员确认");
    expect((await hub.say("zhou", "/notice confirm 1"))[0]).toContain("通知 #1 已加入发件箱：2 条");
    await hub.app.worker.drain();
    expect(sentTo("g-hz")).toEqual(["【新品上市】\n注意：智能门锁 X2 下月上市，样机可提前预订。"]);
    expect(sentTo("g-sh")).toHaveLength(1);

    expect((await hub.say("zhou", "/notice confirm 1"))[0]).toMatch(/^通知 #1 之前已经确认发送过了，没有重复发送。\n#1 发送情况：共 2 条，已发送 2/);
    await hub.app.worker.drain();
    expect(sentTo("g-hz")).toHaveLength(1);
    const [report] = await hub.say("zhou", "/notice report 1");
    expect(report).toContain("#1 发送情况：共 2 条，已发送 2，失败 0，待发送 0");
    expect(report).toContain("控制台：已发送 2");
    // In the partner's history.
    const hz = await hub.db.partner.findUniqueOrThrow({ where: { code: "HZ001" } });
    expect(await hub.db.interaction.count({ where: { partnerId: hz.id, kind: "notice" } })).toBe(1);
  });

  it("filters by city or region, tags and key accounts; an unknown value is named", async () => {
    await hub.db.partner.update({ where: { code: "HZ001" }, data: { tags: "新品试点、华东样板" } });
    expect((await hub.say("zhou", "/notice preview 标签=新品试点"))[0]).toContain("标签 新品试点：1 家客户，可送达 1 个群");
    expect((await hub.say("zhou", "/notice preview 城市=杭州"))[0]).toContain("地区 杭州：2 家客户，可送达 1 个群；1 家没有绑定客户群");
    expect((await hub.say("zhou", "/notice preview 区域=华东 重点客户"))[0]).toContain("地区 华东，重点客户");
    expect((await hub.say("zhou", "/notice preview 等级=VIP"))[0]).toBe("没有「VIP」这个客户等级，可选：战略、重点、一般、潜在。");
    expect((await hub.say("zhou", "/notice preview 颜色=红"))[0]).toContain("无法识别筛选条件「颜色=红」");
  });

  it("chooses partners as /client finds them, with a pick list by number when a keyword names several", async () => {
    expect((await hub.say("zhou", "/notice preview 客户=申达,王总"))[0]).toBe("客户 上海申达电器贸易有限公司（SH002）：1 家客户，可送达 1 个群。");
    // 杭州云帆 names two partners: the same pick list as /client; its number drafts the notice for the one picked.
    const [list] = await hub.say("zhou", "/notice send 客户=杭州云帆,SH002 ｜ # 样机到货\n请到仓库领取。");
    expect(list).toMatch(/^找到 2 个客户，回复序号即可选择（10 分钟内有效），或用客户编号：\n1\. HZ001 /);
    const [draft] = await hub.say("zhou", "1");
    expect(draft).toMatch(/^通知草稿 #1「样机到货」：客户 杭州云帆智能科技有限公司（HZ001）、上海申达电器贸易有限公司（SH002），2 家客户的 2 个群/);
    await hub.say("zhou", "/notice confirm 1");
    await hub.app.worker.drain();
    expect(sentTo("g-hz")).toEqual(["【样机到货】\n请到仓库领取。"]);
    expect(sentTo("g-sh")).toHaveLength(1);
    // Beside other conditions, the chosen partners are narrowed by them; a keyword that finds nobody is said.
    expect((await hub.say("zhou", "/notice preview 客户=HZ001,SH002 等级=重点"))[0]).toContain("：1 家客户");
    expect((await hub.say("zhou", "/notice preview 客户=北京"))[0]).toMatch(/^没有找到与「北京」匹配的客户/);
  });

  it("says when quiet hours hold a notice, on confirming and in its report", async () => {
    // 22:30 in Shanghai: inside the default quiet hours (HUB_QUIET_HOURS 21:00-08:00).
    hub.clock.set("2026-11-20T14:30:00Z");
    await hub.say("zhou", "/notice send 等级=战略,重点 ｜ 明早仓库盘点。");
    const [confirmed] = await hub.say("zhou", "/notice confirm 1");
    expect(confirmed).toMatch(/^通知 #1 已加入发件箱：2 条（共 2 个群），按各平台限速发送；其中 2 条在免打扰时段（\d\d:\d\d–08:00，按客户当地时间），2026-11-21 08:00 起发送。/);
    await hub.app.worker.drain();
    expect(sentTo("g-hz")).toEqual([]);
    expect((await hub.say("zhou", "/notice report 1"))[0]).toMatch(/^#1 发送情况：共 2 条，已发送 0，失败 0，待发送 2（其中 2 条在免打扰时段.*2026-11-21 08:00 起发送）/);
  });

  it("counts only what this confirmation held, names the hub's zone when partners keep another, and never calls a notice set for 08:00 held", async () => {
    await hub.db.partner.update({ where: { code: "SH002" }, data: { timeZone: "America/New_York" } });
    // 10:00 in Shanghai is 21:00 in New York: only SH002's group waits, till 08:00 there (21:00 in Shanghai).
    await hub.say("zhou", "/notice send 客户=HZ001,SH002 ｜ 测试");
    expect((await hub.say("zhou", "/notice confirm 1"))[0]).toContain("；其中 1 条在免打扰时段（21:00–08:00，按客户当地时间），最早 2026-11-20 21:00（Asia/Shanghai 时间）起发送。");
    await hub.app.worker.drain();
    expect(sentTo("g-hz")).toHaveLength(1);
    // A group bound since, confirmed again at night: only the new one is counted.
    hub.clock.set("2026-11-20T14:30:00Z");
    await hub.say("zhou", "/bind HZ001", "g-hz2");
    expect((await hub.say("zhou", "/notice confirm 1"))[0]).toMatch(/^通知 #1 已加入发件箱：1 条（共 3 个群），按各平台限速发送；其中 1 条在免打扰时段/);
    // Set for 08:00, the end of quiet hours: it goes then, nothing holds it.
    await hub.say("zhou", "/notice send 客户=HZ001 2026-11-21 08:00 ｜ 八点整");
    expect((await hub.say("zhou", "/notice confirm 2"))[0]).not.toContain("免打扰");
    expect((await hub.say("zhou", "/notice report 2"))[0]).not.toContain("免打扰");
  });

  it("a time at the start of the text is not taken for a title", async () => {
    const [draft] = await hub.say("zhou", "/notice send 城市=上海 ｜ 12月1日 10:00起仓库盘点，暂停发货一天。");
    expect(draft).toContain("客户将看到：\n12月1日 10:00起仓库盘点，暂停发货一天。");
    await hub.say("zhou", "/notice confirm 1");
    await hub.app.worker.drain();
    expect(sentTo("g-sh")).toEqual(["12月1日 10:00起仓库盘点，暂停发货一天。"]);
  });

  it("a notice for later waits for its time", async () => {
    await hub.say("zhou", "/notice send 城市=上海 2026-11-25 10:00 ｜ 标题：放假通知 12 月 1 日仓库盘点，暂停发货一天。");
    await hub.say("zhou", "/notice confirm 1");
    await hub.app.worker.drain();
    expect(sentTo("g-sh")).toEqual([]);
    hub.clock.set("2026-11-25T02:00:00Z"); // 10:00 in Shanghai
    await hub.app.worker.drain();
    expect(sentTo("g-sh")).toEqual(["【放假通知】\n12 月 1 日仓库盘点，暂停发货一天。"]);
  });
});

describe("satisfaction polls", () => {
  async function sendPoll() {
    const [draft] = await hub.say("zhou", "/poll send 全部");
    expect(draft).toContain("满意度调查草稿 #1：全部客户，7 家客户的 2 个群");
    await hub.say("zhou", "/poll confirm 1");
    await hub.app.worker.drain();
    expect(sentTo("g-hz")[0]).toContain("请直接回复数字 1-5");
  }

  it("numbered replies are counted once per person; a low score opens a mediation follow-up and tells the owner", async () => {
    await sendPoll();
    expect((await hub.say("zhangwei", "3", "g-hz"))[0]).toBe("收到您的评分（3 分），谢谢您的反馈！");
    // A second bare number does not replace the first (it may be meant for something else); 改成 does.
    expect((await hub.say("zhangwei", "5分", "g-hz"))[0]).toBe("您已经打过 3 分了，这次的数字没有改动它。如要修改，请回复「改成 5 分」。");
    expect((await hub.say("zhangwei", "改成 5 分", "g-hz"))[0]).toBe("已更新您的评分为 5 分，谢谢！");
    const [sorry] = await hub.say("lina", "2，售后响应太慢", "g-hz");
    expect(sorry).toBe("收到您的评分（2 分），很抱歉让您不满意。我们已请周敏尽快联系您，了解情况并跟进处理。");
    await hub.say("wangqiang", "4", "g-sh");

    const followUp = await hub.db.followUp.findFirstOrThrow({ where: { kind: "MEDIATION" } });
    expect(followUp).toMatchObject({ assigneeName: "周敏", status: "OPEN" });
    expect(followUp.reason).toContain("打了 2 分：售后响应太慢");
    await hub.app.worker.drain();
    expect(sentTo("staff").at(-1)).toBe(`【调解回访 #${followUp.id}】杭州云帆智能科技有限公司的lina在满意度调查中打了 2 分，意见：「售后响应太慢」。请周敏尽快联系客户了解情况，处理后用 /followup done ${followUp.id} 记录结果。`);
    // The owner also hears it privately, wherever they have an account.
    expect(sentTo("dm:zhou").at(-1)).toContain("您是这家客户的负责人，请尽快联系客户了解情况");

    const [list] = await hub.say("zhou", "/followup");
    expect(list).toContain(`#${followUp.id} 调解回访 · 杭州云帆智能科技有限公司 · 周敏`);
    expect((await hub.say("zhou", `/followup done ${followUp.id} 已电话沟通，安排售后上门，客户接受`))[0]).toBe(
      `已记录回访 #${followUp.id} 的结果，并写入客户的互动记录。已请客户对这次处理结果打分（满意度调查 #2）。`,
    );
    await hub.app.worker.drain();
    // The complaint handled, the partner is asked how it went: in their group only.
    expect(sentTo("g-hz").at(-1)).toMatch(/^您反映的问题我们已经处理完毕。您对处理结果满意吗？/);
    expect(sentTo("g-sh").some((t) => t.startsWith("您反映的问题"))).toBe(false);
    expect((await hub.say("zhou", `/followup done ${followUp.id} 再记一次`))[0]).toContain("已经完成了");
    const [history] = await hub.say("zhou", "/history HZ001");
    expect(history).toContain("【调解回访】满意度调查「满意度调查」lina打了 2 分：售后响应太慢 → 已电话沟通，安排售后上门，客户接受");
    expect((await hub.say("zhou", "/followup add SH002 明天 了解 X2 铺货情况"))[0]).toBe("已安排回访 #2：上海申达电器贸易有限公司，2026-11-21，负责人 周敏。完成后：/followup done 2 结果");
    expect((await hub.say("zhou", "/followup SH002"))[0]).toContain("#2 回访 · 上海申达电器贸易有限公司 · 周敏 · 2026-11-21 前：了解 X2 铺货情况");
    // The next morning the staff chat is reminded of what is due.
    hub.clock.set("2026-11-20T16:05:00Z"); // 00:05 on 11月21日: the day is planned
    await hub.app.outreach.planDay(hub.app.outreach.today());
    await hub.app.worker.drain();
    expect(sentTo("staff").some((t) => t.startsWith("【今日回访】"))).toBe(false); // not at night
    hub.clock.set("2026-11-21T01:00:00Z"); // 09:00
    await hub.app.worker.drain();
    expect(sentTo("staff").at(-1)).toBe("【今日回访】今天到期或已逾期的回访 1 条：\n#2 回访 · 上海申达电器贸易有限公司 · 周敏 · 2026-11-21 前：了解 X2 铺货情况\n完成后：/followup done 编号 结果");

    const [results] = await hub.say("zhou", "/poll results 1");
    expect(results).toContain("回复率：2/2 家收到调查的客户（100%），共 3 人作答；另有 5 家没有可发送的群，没有收到，未计入");
    expect(results).toContain("平均分：3.67");
    expect(results).toContain("分布：1分 0  2分 1  3分 0  4分 1  5分 1");
    expect(results).toContain("战略客户：回复 1/1，平均 3.50");
    expect(results).toContain("重点客户：回复 1/1，平均 4.00");
    expect(results).toContain("2 分 · 杭州云帆智能科技有限公司（HZ001） lina：售后响应太慢");
  });

  it("two low scores from one person at the same moment open one follow-up, and both are answered", async () => {
    await sendPoll();
    const replies = await Promise.all([hub.say("lina", "1，太慢了", "g-hz"), hub.say("lina", "2，还是太慢", "g-hz")]);
    expect(replies.map((r) => r[0])).toEqual([expect.stringContaining("很抱歉让您不满意"), expect.stringContaining("很抱歉让您不满意")]);
    expect(await hub.db.followUp.count({ where: { kind: "MEDIATION" } })).toBe(1);
  });

  it("reminds the groups that have not answered, once, after the configured days", async () => {
    await sendPoll();
    await hub.say("zhangwei", "4", "g-hz");
    hub.clock.advance(2 * 86_400_000);
    expect((await hub.app.outreach.planDay(hub.app.outreach.today())).pollReminders).toBe(0);
    hub.clock.advance(86_400_000);
    expect((await hub.app.outreach.planDay(hub.app.outreach.today())).pollReminders).toBe(1);
    await hub.app.worker.drain();
    expect(sentTo("g-sh").at(-1)).toMatch(/^提醒一下：您对我们近期的产品和服务满意吗？/);
    expect(sentTo("g-hz").filter((t) => t.startsWith("提醒一下"))).toEqual([]);
    hub.clock.advance(86_400_000);
    expect((await hub.app.outreach.planDay(hub.app.outreach.today())).pollReminders).toBe(0);
  });

  it("the quarterly poll is created once however often its tick runs; a training's attendees are asked after it", async () => {
    const first = await hub.app.outreach.scheduledPoll();
    const again = await hub.app.outreach.scheduledPoll();
    expect(again.campaign.id).toBe(first.campaign.id);
    expect(first.campaign.title).toBe("2026 年第 4 季度满意度调查");
    expect(first.planned).toBe(2);
    expect(again.planned).toBe(0);

    const hz = await hub.db.partner.findUniqueOrThrow({ where: { code: "HZ001" } });
    await hub.db.training.create({ data: { title: "门锁安装培训", day: new Date("2026-11-19T00:00:00Z"), trainerName: "周敏", attendees: { create: [{ partnerId: hz.id }] } } });
    const [launched] = await hub.app.outreach.pollAfterTrainings();
    expect(launched.planned).toBe(1);
    await hub.app.worker.drain();
    expect(sentTo("g-hz").some((t) => t.startsWith("昨天的培训「门锁安装培训」对您有帮助吗？"))).toBe(true);
    expect(sentTo("g-sh").some((t) => t.includes("门锁安装培训"))).toBe(false);
  });

  it("a bare number in a group without a recent poll is just a message", async () => {
    const replies = await hub.say("zhangwei", "3", "g-hz");
    expect(replies).toEqual([]);
    expect(await hub.db.pollResponse.count()).toBe(0);
  });

  it("after a poll, lists, several lines and staff's numbers are not answers", async () => {
    await sendPoll();
    await hub.say("zhangwei", "1、下周三前发货\n2、价格按新政策执行", "g-hz");
    await hub.say("zhangwei", "1. 样机已收到", "g-hz");
    await hub.say("chen", "2", "g-hz"); // a colleague in the partner's group
    expect(await hub.db.pollResponse.count()).toBe(0);
    expect(await hub.db.followUp.count()).toBe(0);
    expect((await hub.say("zhangwei", "5分！", "g-hz"))[0]).toBe("收到您的评分（5 分），谢谢您的反馈！");
    expect((await hub.db.pollResponse.findFirstOrThrow()).comment).toBeNull();
  });

  it("a later answer replaces the comment too; a new low score after the follow-up was closed opens a new one", async () => {
    await sendPoll();
    await hub.say("lina", "1，太差了", "g-hz");
    const first = await hub.db.followUp.findFirstOrThrow({ where: { kind: "MEDIATION" } });
    await hub.say("lina", "改成5分", "g-hz");
    expect(await hub.db.pollResponse.findFirstOrThrow()).toMatchObject({ score: 5, comment: null });
    expect((await hub.say("zhou", "/poll results 1"))[0]).not.toContain("太差了");
    await hub.say("zhou", `/followup done ${first.id} 已沟通`);
    await hub.say("lina", "改为 2 分，还是不行", "g-hz");
    const open = await hub.db.followUp.findMany({ where: { kind: "MEDIATION", status: "OPEN" } });
    expect(open).toHaveLength(1);
    expect(open[0].id).not.toBe(first.id);
    expect(open[0].reason).toContain("还是不行");
  });
});

describe("a poll's open days", () => {
  it("closes after HUB_POLL_OPEN_DAYS: a number then is not an answer", async () => {
    const short = await startTestHub({ now: "2026-11-20T02:00:00Z", env: { HUB_STAFF_CHAT: "console:staff", HUB_POLL_OPEN_DAYS: "2" } });
    try {
      await importPartners(short.db, EXAMPLE);
      await short.addStaff("周敏", "zhou", "MANAGER");
      await short.say("zhou", "/bind HZ001", "g-hz");
      await short.say("zhou", "/poll send 全部");
      await short.say("zhou", "/poll confirm 1");
      await short.app.worker.drain();
      short.clock.advance(2 * 86_400_000 + 60_000);
      await short.say("zhangwei", "4", "g-hz");
      expect(await short.db.pollResponse.count()).toBe(0);
    } finally {
      await short.close();
    }
  });
});
