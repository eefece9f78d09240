// 回访 planned by method (seed 000 第19条, 第20条) on a seeded set of partners: each method picks the partners it
// is for and says why, the plan is made on 确认 in the method's form, /followup due lists the caller's due
// visits, and a partner new in the files gets a 指导回访 by itself.
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importPartners } from "../../src/partners/transfer.ts";
import { startTestHub, type TestHub } from "../helpers/hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
let hub: TestHub;
const idOf = async (code: string) => (await hub.db.partner.findUniqueOrThrow({ where: { code } })).id;

beforeEach(async () => {
  // Imported 60 days before "now": everyone is past their contact frequency unless contacted since.
  hub = await startTestHub({ now: "2026-09-21T02:00:00Z" });
  await importPartners(hub.db, EXAMPLE);
  // Filed two months ago (an import stamps the real time; this test's clock is its own).
  await hub.db.partner.updateMany({ data: { createdAt: new Date("2026-09-21T02:00:00Z") } });
  hub.clock.set(new Date("2026-11-20T02:00:00Z"));
  await hub.addStaff("周敏", "zhou", "MANAGER");
  await hub.addStaff("陈刚", "chen", "AGENT");
  // Recent contact for all but XA006 (every 60 days) and GZ003 (every 30): HZ001's group talked today.
  await hub.say("zhou", "/bind HZ001", "hz-group");
  for (const [code, group] of [["SH002", "sh"], ["CD004", "cd"], ["WH005", "wh"], ["HZ007", "hz7"]]) {
    await hub.say("zhou", `/bind ${code}`, group);
    await hub.say("someone", "好的 收到", group);
  }
  await hub.say("zhangwei", "好的 收到", "hz-group");
  // Satisfaction, by poll: CD004 scored 2; WH005 fell from 5 (the summer poll) to 4; SH002 stayed at 5; in GZ003
  // two people answered one poll, 5 and 4, which is not a fall.
  const pollOf = (sendAt: string) => hub.db.campaign.create({ data: { kind: "poll", title: "满意度", text: "请打分", audience: "{}", sendAt: new Date(sendAt), createdAt: new Date(sendAt) } });
  const [summer, poll] = [await pollOf("2026-08-01T02:00:00Z"), await pollOf("2026-11-01T02:00:00Z")];
  const score = async (code: string, responder: string, s: number, at: string, campaignId = poll.id) =>
    hub.db.pollResponse.create({ data: { campaignId, responder, partnerId: await idOf(code), score: s, answeredAt: new Date(at) } });
  await score("CD004", "c1", 2, "2026-11-10T02:00:00Z");
  await score("WH005", "w1", 5, "2026-08-10T02:00:00Z", summer.id);
  await score("WH005", "w2", 4, "2026-11-10T02:00:00Z");
  await score("SH002", "s1", 5, "2026-11-10T02:00:00Z");
  await score("GZ003", "g1", 5, "2026-11-09T02:00:00Z");
  await score("GZ003", "g2", 4, "2026-11-10T02:00:00Z");
  // HZ007 has a question waiting for staff.
  await hub.db.question.create({ data: { partnerId: await idOf("HZ007"), platform: "console", externalChatId: "hz7", text: "样机什么时候到", askedAt: hub.clock.now() } });
});
afterEach(() => hub.close());

const chosen = (reply: string) => reply.split("\n").filter((l) => /^\d+\. /.test(l)).map((l) => l.replace(/^\d+\. /, ""));

describe("/followup plan", () => {
  it("chooses by each method, with the reason", async () => {
    expect(chosen((await hub.say("zhou", "/followup plan 满意度低"))[0])).toEqual([
      "成都锦城家居体验馆（CD004）：最近满意度 2 分",
      "武汉江城智家科技有限公司（WH005）：满意度从 5 分降到 4 分",
    ]);
    await hub.say("zhou", "取消");
    expect(chosen((await hub.say("zhou", "/followup plan 有待办"))[0])).toEqual(["杭州云帆物联网服务有限公司（HZ007）：1 个问题待回答"]);
    await hub.say("zhou", "取消");
    const silent = chosen((await hub.say("zhou", "/followup plan 久未联系"))[0]);
    expect(silent).toEqual(["广州穗安安防设备有限公司（GZ003）：建档 60 天从未联系（约定每 30 天）"]);
    await hub.say("zhou", "取消");
    const random = chosen((await hub.say("zhou", "/followup plan 随机 杭州 5"))[0]);
    expect(random.map((l) => l.replace(/：.*/, "")).sort()).toEqual(["杭州云帆智能科技有限公司（HZ001）", "杭州云帆物联网服务有限公司（HZ007）"]);
    expect(random.every((l) => l.endsWith("：随机抽取（杭州）"))).toBe(true);
    await hub.say("zhou", "取消");
    expect(await hub.db.followUp.count()).toBe(0);
  });

  it("plans on 确认 in the method's form, owned by each partner's owner, due within a week, and not twice", async () => {
    const [asked] = await hub.say("zhou", "/followup plan 满意度低");
    expect(asked).toContain("安排调解回访，7 天内完成");
    const [made] = await hub.say("zhou", "确认");
    expect(made.split("\n").slice(0, 3)).toEqual([
      "已安排 2 个回访：",
      "#1 调解回访 · 成都锦城家居体验馆 · 陈刚 · 2026-11-27 前：调解回访：最近满意度 2 分",
      "#2 调解回访 · 武汉江城智家科技有限公司 · 周敏 · 2026-11-27 前：调解回访：满意度从 5 分降到 4 分",
    ]);
    expect(await hub.db.followUp.findMany({ select: { form: true, method: true } })).toEqual([
      { form: "MEDIATION", method: "LOW_SATISFACTION" },
      { form: "MEDIATION", method: "LOW_SATISFACTION" },
    ]);
    // Planned already: not chosen again.
    expect((await hub.say("zhou", "/followup plan 满意度低"))[0]).toContain("没有需要安排回访的客户");
    // Another form named.
    await hub.say("zhou", "/followup plan 久未联系 情感");
    expect((await hub.say("zhou", "确认"))[0]).toContain("情感回访 · 广州穗安安防设备有限公司");
  });

  it("lists the caller's due and overdue visits", async () => {
    await hub.say("zhou", "/followup plan 满意度低");
    await hub.say("zhou", "确认");
    expect((await hub.say("chen", "/followup due"))[0]).toBe("今天没有到期的回访。全部待办：/followup");
    hub.clock.set(new Date("2026-11-28T02:00:00Z"));
    expect((await hub.say("chen", "/followup due"))[0]).toBe(
      "您今天到期或已逾期的回访 1 个：\n#1 调解回访 · 成都锦城家居体验馆 · 陈刚 · 2026-11-27 前：调解回访：最近满意度 2 分（已逾期）\n完成后：/followup done 编号 结果",
    );
  });
});

describe("new partners", () => {
  it("get a 指导回访 within HUB_NEW_PARTNER_VISIT_DAYS, once", async () => {
    await hub.say("zhangwei", "/referral 宁波安家电器有限公司 王磊 13900001111 宁波", "hz-group");
    const job = hub.app.jobs.find((j) => j.name === "new-partner-visits")!;
    await job.run();
    const once = await hub.db.followUp.count();
    await job.run();
    expect(await hub.db.followUp.count()).toBe(once);
    const referred = await hub.db.partner.findUniqueOrThrow({ where: { code: "REF001" } });
    const [visit] = await hub.db.followUp.findMany({ where: { partnerId: referred.id } });
    expect([visit.form, visit.method, visit.assigneeName]).toEqual(["GUIDANCE", "NEW_PARTNER", "周敏"]);
    expect(visit.dueAt!.getTime() - referred.createdAt.getTime()).toBe(7 * 86_400_000);
    expect((await hub.say("zhou", "/followup REF001"))[0]).toContain("指导回访 · 宁波安家电器有限公司");
  });
});
