// 转介绍 (seed 000 第18条): a partner refers another company; it becomes a 潜在 partner linked to the referrer
// and followed up by the referrer's owner; the referrer's card lists it; staff can file one for a partner.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestHub } from "../helpers/hub.ts";
import { startStaffHub } from "../helpers/staff-hub.ts";

let hub: TestHub;
const inChat = (chatId: string) => hub.outputs.filter((o) => o.chatId === chatId).map((o) => o.rendered);

beforeEach(async () => {
  hub = await startStaffHub(); // 周敏 (manager), 小陈 (agent), hz-group bound to HZ001
});
afterEach(() => hub.close());

describe("referrals", () => {
  it("files a partner's referral as a potential partner linked to them, tells the owner, and lists it on both cards", async () => {
    const [ack] = await hub.say("zhangwei", "/referral 宁波安家电器有限公司 王磊 13900001111 宁波", "hz-group");
    expect(ack).toBe("谢谢您的推荐！已登记 宁波安家电器有限公司（编号 REF001），负责您的同事周敏会尽快联系对方，有进展会告诉您。");
    const referred = await hub.db.partner.findUniqueOrThrow({ where: { code: "REF001" }, include: { contacts: true } });
    expect(referred).toMatchObject({ name: "宁波安家电器有限公司", city: "宁波", tier: "POTENTIAL", ownerName: "周敏" });
    expect(referred.contacts.map((c) => [c.name, c.phone])).toEqual([["王磊", "13900001111"]]);
    await hub.app.worker.drain();
    expect(inChat("staff-room")[0]).toBe("【转介绍】杭州云帆智能科技有限公司（HZ001）推荐了 宁波安家电器有限公司（REF001，宁波），联系人 王磊。负责人：周敏。客户档案：/client REF001");
    expect(inChat("dm:zhou").some((t) => t.startsWith("【转介绍】"))).toBe(true);
    const [card] = await hub.say("zhou", "/client HZ001");
    expect(card).toContain("转介绍：宁波安家电器有限公司（REF001，潜在）");
    expect((await hub.say("zhou", "/client REF001"))[0]).toContain("推荐人：杭州云帆智能科技有限公司（HZ001）");
    // Found by /client like any partner.
    expect((await hub.say("zhou", "/client 安家"))[0]).toContain("宁波安家电器有限公司");
  });

  it("does not file a company twice, refuses a bad phone number, and lets staff file one for a partner", async () => {
    await hub.say("zhangwei", "/referral 宁波安家电器有限公司 王磊 13900001111", "hz-group");
    expect(await hub.say("zhangwei", "/推荐 宁波安家电器有限公司 王磊 13900001111", "hz-group")).toEqual(["宁波安家电器有限公司 已登记为贵公司推荐的客户（REF001），我们正在跟进，谢谢！"]);
    expect((await hub.say("zhangwei", "/referral 温州好家居 陈东 电话待定", "hz-group"))[0]).toBe("电话「电话待定」看起来不对，请写手机号或座机号。");
    expect((await hub.say("zhangwei", "/referral 温州好家居", "hz-group"))[0]).toContain("请按「公司 联系人 电话 [城市]」写");
    expect(await hub.db.partner.count({ where: { referredById: { not: null } } })).toBe(1);
    expect((await hub.say("zhou", "/referral add SH002 温州好家居 陈东 0577-88886666 温州"))[0]).toBe("已登记 温州好家居（REF002，潜在客户），推荐人 上海申达电器贸易有限公司，负责人 周敏。");
    expect((await hub.say("zhou", "/referral list"))[0]).toBe("转介绍的客户 2 个（新的在前）：\n· REF002 温州好家居（潜在，负责人 周敏）← 上海申达电器贸易有限公司\n· REF001 宁波安家电器有限公司（潜在，负责人 周敏）← 杭州云帆智能科技有限公司");
    expect((await hub.say("zhou", "/referral list", "hz-group"))[0]).toBe("推荐记录不能在客户群里查看，请私聊我，或在内部员工群里使用。");
    // Whether another company is a client is not a partner's to learn.
    expect(await hub.say("zhangwei", "/referral 上海申达电器贸易有限公司 某人 13900003333", "hz-group")).toEqual(["谢谢您的推荐！我们会核实后联系对方。"]);
  });

  it("reads a phone typed in groups or full-width, and the city after it", async () => {
    await hub.say("zhangwei", "/referral 宁波安家电器有限公司 王磊 139 0000 1111 宁波", "hz-group");
    await hub.say("zhangwei", "/referral 温州好家居 陈东 １３９００００２２２２", "hz-group");
    const made = await hub.db.partner.findMany({ where: { referredById: { not: null } }, orderBy: { id: "asc" }, include: { contacts: true } });
    expect(made.map((p) => [p.city, p.contacts[0].phone])).toEqual([["宁波", "13900001111"], ["待补充", "13900002222"]]);
  });
});
