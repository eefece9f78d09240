// /history: a partner's interactions, newest first, as staff read them before calling the partner.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestHub } from "../helpers/hub.ts";
import { audited, PARTNER, STAFF_ONLY, startStaffHub } from "../helpers/staff-hub.ts";

let hub: TestHub;
beforeEach(async () => {
  hub = await startStaffHub();
});
afterEach(() => hub.close());

describe("/history", () => {
  it("shows who said what and when, partner's words and the hub's answers, newest first", async () => {
    await hub.say(PARTNER, "你好，想问下返利怎么算", "hz-group");
    const [reply] = await hub.say("zhou", "/history HZ001");
    const [head, ...lines] = reply.split("\n");
    expect(head).toBe("杭州云帆智能科技有限公司（HZ001）最近 3 条互动记录（新的在前）：");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe("11-20 10:00 → 伙伴通 · 控制台：这个问题我请同事周敏跟进，会尽快回复您（问题编号 #1）。");
    expect(lines[1]).toBe(`11-20 10:00 ← 未登记成员 ${PARTNER} · 控制台：你好，想问下返利怎么算`);
    expect(lines[2]).toContain("已将本群绑定到 杭州云帆智能科技有限公司（HZ001）");
  });

  it("shows only as many as asked, the newest", async () => {
    for (const [i, t] of ["第一条", "第二条", "第三条"].entries()) {
      hub.clock.advance(60_000 * (i + 1));
      await hub.say(PARTNER, t, "hz-group");
    }
    const [head, ...lines] = (await hub.say("zhou", "/history HZ001 2"))[0].split("\n");
    expect(head).toContain("最近 2 条互动记录");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("第三条");
    expect(lines[1]).toContain("第二条");
  });

  it("says when a partner has no history yet, and lets staff pick among several matches", async () => {
    expect((await hub.say("zhou", "/history SH002"))[0]).toBe("上海申达电器贸易有限公司（SH002）还没有互动记录。");
    const [many] = await hub.say("zhou", "/history 杭州云帆");
    expect(many).toContain("找到 2 个客户");
    expect(many).toContain("HZ007");
    expect((await hub.say("zhou", "2"))[0]).toMatch(/^杭州云帆物联网服务有限公司（HZ007）还没有互动记录。|^杭州云帆物联网服务有限公司（HZ007）最近/);
    expect((await hub.say("zhou", "/history 哈尔滨"))[0]).toBe("没有找到与「哈尔滨」匹配的客户。可以试试客户编号、名称中的几个字、拼音、城市，或联系人的姓名、电话。");
  });

  it("takes a count from 1 to 50, and answers with its usage without a partner", async () => {
    expect((await hub.say("zhou", "/history HZ001 51"))[0]).toBe("条数应在 1 到 50 之间。");
    expect((await hub.say("zhou", "/history HZ001 0"))[0]).toBe("条数应在 1 到 50 之间。");
    expect((await hub.say("zhou", "/history"))[0]).toBe("请输入客户，例如 /history HZ001 20\n用法：/history <客户> [条数，默认 10，最多 50]");
  });

  it("refuses a partner's person and audits it", async () => {
    expect(await hub.say(PARTNER, "/记录 HZ001", "hz-group")).toEqual([STAFF_ONLY("history")]);
    expect(await audited(hub, "history")).toEqual([{ actor: `console:${PARTNER}`, detail: "/history HZ001", allowed: false }]);
  });
});
