// /kb: staff keep the knowledge base the bot answers from, in chat.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestHub } from "../helpers/hub.ts";
import { importKbEntries } from "../helpers/hub.ts";
import { audited, PARTNER, STAFF_ONLY, startStaffHub } from "../helpers/staff-hub.ts";

let hub: TestHub;
beforeEach(async () => {
  hub = await startStaffHub();
  await importKbEntries(hub.db, [{ id: "kb-023", question: "智能门锁的保修期是多久？", answer: "智能门锁整机保修2年。", tags: ["保修期", "智能门锁"] }]);
});
afterEach(() => hub.close());

describe("/kb", () => {
  it("shows an entry whole: its ways of asking, answer, tags and where it came from", async () => {
    await hub.say("zhou", "/kb variant kb-023 门锁保几年");
    expect((await hub.say("chen", "/kb show kb-023"))[0]).toBe(
      "kb-023：智能门锁的保修期是多久？\n客户的问法（1，相近的问题直接回答）：门锁保几年\n答案：智能门锁整机保修2年。\n标签：保修期、智能门锁\n来源：常见问题",
    );
    expect((await hub.say("chen", "/kb show kb-999"))[0]).toBe("知识库里没有编号为 kb-999 的条目。");
  });

  it("adds an entry the bot answers partners from at once, numbered after the highest staff entry", async () => {
    expect((await hub.say("zhou", "/知识库 添加 周日有人值班吗 | 周日有客服在线，9:00-18:00"))[0]).toBe("已添加知识库条目 kb-staff-1：周日有人值班吗");
    expect((await hub.say(PARTNER, "周日有人值班吗？", "hz-group"))[0]).toContain("周日有客服在线，9:00-18:00");
    await hub.say("zhou", "/kb add 可以开专票吗 | 可以，请提供开票信息");
    await hub.say("zhou", "/kb remove kb-staff-1");
    expect((await hub.say("zhou", "/kb add 发票多久寄出 | 开票后3个工作日内寄出"))[0]).toBe("已添加知识库条目 kb-staff-3：发票多久寄出");
    expect((await hub.say("zhou", "/kb show kb-staff-3"))[0]).toContain("来源：员工回答");
  });

  it("answers a missing answer, an empty search or an unknown verb with how to write it", async () => {
    expect((await hub.say("zhou", "/kb add 周日有人值班吗"))[0]).toContain("用竖线分开问题和答案，例如 /kb add 周日有人值班吗 | 周日有客服在线，9:00-18:00\n用法：/kb add");
    expect((await hub.say("zhou", "/kb search"))[0]).toContain("请写上要搜的词，例如 /kb search 返利");
    expect((await hub.say("zhou", "/kb search 报关"))[0]).toBe("知识库里没有与「报关」相关的条目。");
    expect((await hub.say("zhou", "/kb list"))[0]).toMatch(/^用法：\/kb add/);
    expect(await hub.db.kbEntry.count()).toBe(1);
  });

  it("refuses a partner's person, changes nothing, and audits it", async () => {
    expect(await hub.say(PARTNER, "/kb add 返利几号到 | 随时", "hz-group")).toEqual([STAFF_ONLY("kb")]);
    expect(await hub.db.kbEntry.count()).toBe(1);
    expect(await audited(hub, "kb")).toEqual([{ actor: `console:${PARTNER}`, detail: "/kb add 返利几号到 | 随时", allowed: false }]);
  });
});
