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
      "kb-023：智能门锁的保修期是多久？\n客户的问法（1，相近的问题直接回答）：\n  1. 门锁保几年\n删掉一种问法：/kb variant remove kb-023 编号\n答案：智能门锁整机保修2年。\n标签：保修期、智能门锁\n来源：常见问题",
    );
    expect((await hub.say("chen", "/kb show kb-999"))[0]).toBe("知识库里没有编号为 kb-999 的条目。");
  });

  it("takes back a phrasing taught by mistake, by its number or its words", async () => {
    await hub.say("zhou", "/kb variant kb-023 门锁保几年");
    await hub.say("zhou", "/kb variant kb-023 锁坏了找谁");
    expect((await hub.say("zhou", "/kb variant remove kb-023 2"))[0]).toBe("已从 kb-023 删掉问法「锁坏了找谁」（客户的问法：以后这样问不再直接回答）。");
    expect((await hub.say("zhou", "/kb variant remove kb-023 門鎖保幾年？"))[0]).toBe("已从 kb-023 删掉问法「门锁保几年」（客户的问法：以后这样问不再直接回答）。");
    expect((await hub.say("zhou", "/kb variant remove kb-023 1"))[0]).toBe("kb-023 没有第 1 种问法，可以用 /kb show kb-023 查看（问法带序号）。");
    expect((await hub.say("zhou", "/kb show kb-023"))[0]).not.toContain("问法（");
  });

  it("removes an entry only once it is confirmed, saying first what goes", async () => {
    const [asked] = await hub.say("zhou", "/kb remove kb-023");
    expect(asked).toMatch(/^将删除知识库条目 kb-023「智能门锁的保修期是多久？」（答案：智能门锁整机保修2年）。删除后客户再这样问，会收到相近条目的选项或转给同事。\n回复「确认」删除；回复「取消」保留/);
    expect(await hub.db.kbEntry.count({ where: { id: "kb-023" } })).toBe(1);
    expect(await hub.say("zhou", "取消")).toEqual(["好的，保留知识库条目 kb-023。"]);
    await hub.say("zhou", "/kb remove kb-023");
    expect(await hub.say("zhou", "确认")).toEqual(["已删除知识库条目 kb-023。"]);
    expect(await hub.db.kbEntry.count({ where: { id: "kb-023" } })).toBe(0);
  });

  it("adds an entry the bot answers partners from at once, numbered after the highest staff entry", async () => {
    expect((await hub.say("zhou", "/知识库 添加 周日有人值班吗 | 周日有客服在线，9:00-18:00"))[0]).toBe("已添加知识库条目 kb-staff-1：周日有人值班吗");
    expect((await hub.say(PARTNER, "周日有人值班吗？", "hz-group"))[0]).toContain("周日有客服在线，9:00-18:00");
    await hub.say("zhou", "/kb add 可以开专票吗 | 可以，请提供开票信息");
    await hub.say("zhou", "/kb remove kb-staff-1");
    await hub.say("zhou", "确认");
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
