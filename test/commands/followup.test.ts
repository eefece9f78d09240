// /followup (回访): the visits staff owe partners. A planned visit goes to the partner's owner; closing
// one puts its result in the partner's history, where the next colleague looks.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestHub } from "../helpers/hub.ts";
import { audited, PARTNER, STAFF_ONLY, startStaffHub } from "../helpers/staff-hub.ts";

let hub: TestHub;
beforeEach(async () => {
  hub = await startStaffHub(); // Friday 2026-11-20, 10:00 in Shanghai
});
afterEach(() => hub.close());

describe("/followup", () => {
  it("plans a visit for the partner's owner, lists it, and files its result in the partner's history", async () => {
    expect((await hub.say("zhou", "/followup"))[0]).toBe("没有待办的回访。");
    // GZ003's owner is 陈刚, who is not the colleague (a manager) typing.
    expect((await hub.say("zhou", "/回访 安排 GZ003 11月25日 送新款样机"))[0]).toBe("已安排回访 #1：广州穗安安防设备有限公司，2026-11-25，负责人 陈刚。完成后：/followup done 1 结果");
    expect((await hub.say("zhou", "/followup list GZ003"))[0]).toBe("待办回访：\n#1 回访 · 广州穗安安防设备有限公司 · 陈刚 · 2026-11-25 前：送新款样机\n完成后：/followup done 编号 结果");
    expect((await hub.say("zhou", "/followup SH002"))[0]).toBe("上海申达电器贸易有限公司 没有待办的回访。");

    expect((await hub.say("zhou", "/followup done 1 样机已送到，客户下月试销"))[0]).toBe("已记录回访 #1 的结果，并写入客户的互动记录。");
    expect((await hub.say("zhou", "/followup"))[0]).toBe("没有待办的回访。");
    expect((await hub.say("zhou", "/history GZ003"))[0]).toContain("→ 员工 周敏 · 控制台：【回访】送新款样机 → 样机已送到，客户下月试销");
    // An agent (小陈 owns no partner) neither sees nor plans another's visits.
    await hub.say("zhou", "/followup add GZ003 11月26日 回收旧样机");
    expect((await hub.say("chen", "/followup"))[0]).toBe("没有待办的回访。");
    expect((await hub.say("chen", "/followup GZ003"))[0]).toBe("这家客户不由您负责，您没有权限查看或处理。如需处理，请联系经理。");
    expect((await hub.say("chen", "/followup done 2 已回收"))[0]).toBe("这家客户不由您负责，您没有权限查看或处理。如需处理，请联系经理。");
  });

  it("needs a partner it can tell apart, a date it can read, and an open visit to close", async () => {
    // Several matches: a pick list, answered by its number.
    expect((await hub.say("zhou", "/followup add 杭州云帆 明天 了解铺货"))[0]).toMatch(/^找到 2 个客户，回复序号即可选择.*\n1\. HZ001 .*\n2\. HZ007 /);
    expect((await hub.say("zhou", "2"))[0]).toMatch(/^已安排回访 #\d+：杭州云帆物联网服务有限公司，2026-11-21，/);
    expect((await hub.say("zhou", "/followup add 哈尔滨 明天 了解铺货"))[0]).toBe("没有找到与「哈尔滨」匹配的客户。可以试试客户编号、名称中的几个字、拼音、城市，或联系人的姓名、电话。");
    expect((await hub.say("zhou", "/followup add SH002 下周 了解铺货"))[0]).toContain("请写上回访日期，例如 2026-11-25、11月25日 或 明天\n用法：/followup");
    expect((await hub.say("zhou", "/followup add SH002"))[0]).toContain("例如 /followup add HZ001 2026-11-25 了解新品铺货情况");
    expect((await hub.say("zhou", "/followup done 7 已沟通"))[0]).toBe("没有编号为 7 的回访。");
    expect((await hub.say("zhou", "/followup done 1"))[0]).toContain("例如 /followup done 3 已电话沟通，补发滤网，客户满意");
    expect(await hub.db.followUp.count()).toBe(1); // the one picked from the list
  });

  it("closes a visit once", async () => {
    await hub.say("zhou", "/followup add SH002 明天 了解铺货");
    await hub.say("zhou", "/followup done #1 已上门");
    expect((await hub.say("zhou", "/followup done 1 再记一次"))[0]).toBe("回访 #1 已经完成了。");
    expect(await hub.db.interaction.count({ where: { kind: "followup" } })).toBe(1);
  });

  it("refuses a partner's person and audits it", async () => {
    expect(await hub.say(PARTNER, "/followup", "hz-group")).toEqual([STAFF_ONLY("followup")]);
    expect(await audited(hub, "followup")).toEqual([{ actor: `console:${PARTNER}`, detail: "/followup", allowed: false }]);
  });
});
