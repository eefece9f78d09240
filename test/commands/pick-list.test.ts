// Several partners match a command's 客户: a numbered pick list, answered by its number from the same person
// in the same chat, within ten minutes, once. Every command that takes a 客户 searches as /client does.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NO_OPEN_PICK } from "../../src/hub/routes/question.ts";
import { partnerSearchKey } from "../../src/partners/search-key.ts";
import type { TestHub } from "../helpers/hub.ts";
import { startStaffHub } from "../helpers/staff-hub.ts";

let hub: TestHub;
beforeEach(async () => {
  hub = await startStaffHub();
  await hub.addStaff("王芳", "wangfang", "ADMIN");
  // An internal staff group both of them work in.
  await hub.db.chat.create({ data: { platform: "console", externalChatId: "ops", kind: "group", internal: true } });
  hub.app.hub.forgetCaches();
});
afterEach(() => hub.close());

describe("a pick list", () => {
  it("is answered by number by each of two staff picking at once in one group, each from their own list", async () => {
    expect((await hub.say("zhou", "/client 杭州云帆", "ops"))[0]).toBe(
      "找到 2 个客户，回复序号即可选择（10 分钟内有效），或用客户编号：\n1. HZ001  杭州云帆智能科技有限公司 · 杭州 · 战略\n2. HZ007  杭州云帆物联网服务有限公司 · 杭州 · 一般",
    );
    expect((await hub.say("wangfang", "/history 杭州云帆 5", "ops"))[0]).toMatch(/^找到 2 个客户/);
    expect((await hub.say("zhou", "2", "ops"))[0]).toMatch(/^【杭州云帆物联网服务有限公司（HZ007）】/);
    expect((await hub.say("wangfang", "1", "ops"))[0]).toMatch(/^杭州云帆智能科技有限公司（HZ001）最近 \d+ 条互动记录/);
    // Once: the same number again is just a number.
    expect(await hub.say("zhou", "2", "ops")).toEqual([]);
  });

  it("lists partners found by a contact, with who matched", async () => {
    await hub.db.contact.create({ data: { partnerId: (await hub.db.partner.findUniqueOrThrow({ where: { code: "GZ003" } })).id, name: "王磊", title: "总经理" } });
    const [list] = await hub.say("zhou", "/client 王总");
    expect(list).toContain("1. SH002  上海申达电器贸易有限公司 · 上海 · 重点 · 联系人 王强（总经理）");
    expect(list).toContain("· 联系人 王磊（总经理）");
    expect((await hub.say("zhou", "1"))[0]).toMatch(/^【上海申达电器贸易有限公司（SH002）】/);
  });

  it("is answered right after: another command since makes the list stale", async () => {
    await hub.say("zhou", "/client 杭州云帆");
    await hub.say("zhou", "/whoami");
    expect(await hub.say("zhou", "1")).toEqual([NO_OPEN_PICK]);
    // A new list is answered again.
    await hub.say("zhou", "/client 杭州云帆");
    expect((await hub.say("zhou", "2"))[0]).toMatch(/^【杭州云帆物联网服务有限公司（HZ007）】/);
  });

  it("ends after ten minutes, and binds a group by name, never listing partners in a group", async () => {
    await hub.say("zhou", "/client 杭州云帆");
    hub.clock.advance(11 * 60_000);
    expect((await hub.say("zhou", "1"))[0]).not.toMatch(/^【/);
    // A group may have a partner's people in it: several matches, or one found by a contact, ask for the code.
    expect(await hub.say("zhou", "/bind 杭州云帆", "new-group")).toEqual(["「杭州云帆」对应 2 个客户，为免在群里列出客户，请用客户编号（可私聊我 /client 杭州云帆 查编号）。"]);
    expect(await hub.say("zhou", "/bind 王总", "new-group")).toEqual(["「王总」是按联系人、读音或相近拼音找到的，为免在群里列出客户，请用客户编号（可私聊我 /client 王总 查编号）。"]);
    expect((await hub.say("zhou", "/bind 申达", "new-group"))[0]).toBe("已将本群绑定到 上海申达电器贸易有限公司（SH002）。此后本群的消息都会记入该客户的互动记录。");
  });

  it("never tells an agent whose contact a phone, an e-mail or 王总 is, when the partner is not theirs", async () => {
    await hub.addStaff("陈刚", "chengang", "AGENT"); // owns GZ003, CD004, XA006
    expect(await hub.say("chengang", "/client 13800000003")).toEqual(["没有找到与「13800000003」匹配的客户。可以试试客户编号、名称中的几个字、拼音、城市，或联系人的姓名、电话。"]);
    expect((await hub.say("chengang", "/client 王总"))[0]).toMatch(/^没有找到/);
    expect((await hub.say("chengang", "/client 刘洋"))[0]).toMatch(/^【广州穗安安防设备有限公司（GZ003）】/);
    // Another's partner whose own name holds the keyword is found by that, without saying who its people are.
    await hub.db.partner.create({
      data: { code: "WQ008", name: "上海王强五金店", city: "上海", tier: "GENERAL", ownerName: "周敏", searchKey: partnerSearchKey({ code: "WQ008", name: "上海王强五金店", city: "上海" }), contacts: { create: { name: "王强" } } },
    });
    expect(await hub.say("chengang", "/client 王强")).toEqual(["WQ008 由同事周敏负责，您没有查看这家客户资料的权限。如需查看，请联系经理。"]);
  });

  it("asks before acting on a partner found only by a typo or by sound", async () => {
    const [asked] = await hub.say("zhou", "/complaint add shengda 电话反映：发错货");
    expect(asked).toBe("找到 1 个客户，回复序号即可选择（10 分钟内有效），或用客户编号：\n1. SH002  上海申达电器贸易有限公司 · 上海 · 重点 · 相近拼音「shenda」");
    expect(await hub.db.complaint.count()).toBe(0);
    expect((await hub.say("zhou", "1"))[0]).toMatch(/^已登记投诉 #1（上海申达电器贸易有限公司）/);
    // One character's sound is not searched: 哈 is in half the names' pinyin.
    expect((await hub.say("zhou", "/client 哈"))[0]).toMatch(/^没有找到/);
  });

  it("keeps the day a follow-up was asked for when the pick comes after midnight", async () => {
    // 23:55 in Shanghai on 11月20日: 明天 is 11月21日, also when the number comes at 00:05.
    hub.clock.set("2026-11-20T15:55:00Z");
    await hub.say("zhou", "/followup add 杭州云帆 明天 送样机");
    hub.clock.advance(10 * 60_000 - 1);
    expect((await hub.say("zhou", "1"))[0]).toMatch(/^已安排回访 #\d+：杭州云帆智能科技有限公司，2026-11-21，/);
  });

  it("links a chat account to a partner named as /client finds it, never listing partners in the group", async () => {
    expect((await hub.say("zhou", "/link @wq 申达 王强", "hz-group"))[0]).toMatch(/上海申达电器贸易有限公司/);
    expect(await hub.say("zhou", "/link @lx 杭州云帆 李霞", "hz-group")).toEqual(["「杭州云帆」对应 2 个客户，为免在群里列出客户，请用客户编号（可私聊我 /client 杭州云帆 查编号）。"]);
  });

  it("takes the same search in /care, /followup, /complaint", async () => {
    expect((await hub.say("zhou", "/care 张总 目标 成为华东第一"))[0]).toMatch(/^已更新 杭州云帆智能科技有限公司（HZ001） 关怀计划的「目标」/);
    expect((await hub.say("zhou", "/followup add 13800000003 明天 送样机"))[0]).toMatch(/^已安排回访 #\d+：上海申达电器贸易有限公司/);
    // The same visit asked for again, by another of the partner's names: planned once.
    expect((await hub.say("zhou", "/followup add 申达 明天 送样机"))[0]).toMatch(/^上海申达电器贸易有限公司 在 2026-11-2\d 已有同样的回访 #\d+「送样机」，没有重复安排。$/);
    expect((await hub.say("zhou", "/complaint add 杭州云帆 电话反映：发错货"))[0]).toMatch(/^找到 2 个客户/);
    expect((await hub.say("zhou", "2"))[0]).toMatch(/^已登记投诉 #1（杭州云帆物联网服务有限公司）/);
  });
});
