// Staff see where the knowledge base is thin: /kb gaps lists the questions the bot did not answer itself,
// grouped by the entry staff finally answered with (or none), newest first; the morning digest counts
// yesterday's questions answered, picked and handed off.
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importPartners } from "../../src/partners/transfer.ts";
import { importKbEntries, startTestHub, type TestHub } from "../helpers/hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
let hub: TestHub;
const inChat = (chatId: string) => hub.outputs.filter((o) => o.chatId === chatId).map((o) => o.rendered);

beforeEach(async () => {
  // 10:00 in Shanghai.
  hub = await startTestHub({ env: { HUB_STAFF_CHAT: "console:staff-room" }, now: "2026-11-20T02:00:00Z" });
  await importPartners(hub.db, EXAMPLE);
  await importKbEntries(hub.db, [
    { id: "kb-023", question: "智能门锁的保修期是多久？", answer: "智能门锁整机保修2年。", tags: ["保修期", "智能门锁"] },
    { id: "kb-024", question: "扫地机器人的保修期是多久？", answer: "扫地机器人整机保修1年。", tags: ["保修期", "扫地机器人"] },
    { id: "kb-026", question: "空气净化器的保修期是多久？", answer: "空气净化器整机保修1年。", tags: ["保修期", "空气净化器"] },
    { id: "kb-003", question: "返利什么时候到账？", answer: "季度返利在下一季度首月20日前发放至返利账户。", tags: ["返利"] },
  ]);
  await hub.addStaff("周敏", "zhou", "MANAGER");
  await hub.say("zhou", "/bind HZ001", "hz-group");
});
afterEach(() => hub.close());

describe("/kb gaps", () => {
  it("lists what went to staff, grouped by the entry they answered with, newest first, naming how it got there", async () => {
    expect((await hub.say("zhou", "/kb gaps"))[0]).toBe("最近 7 天没有转给同事的问题：知识库都答上了。");
    await hub.say("zhang", "今天杭州下雨吗", "hz-group"); // #1: nothing relevant
    hub.clock.advance(60_000);
    await hub.say("zhang", "保修期多久", "hz-group");
    await hub.say("zhang", "0", "hz-group"); // #2: 都不是
    hub.clock.advance(60_000);
    await hub.say("li", "保修几年", "hz-group");
    hub.clock.advance(31 * 60_000);
    await hub.app.jobs.find((j) => j.name === "choice-timeouts")!.run(); // #3: not picked in time
    await hub.say("zhou", "/answer 2 --kb kb-023");
    await hub.say("zhou", "取消");
    const [gaps] = await hub.say("zhou", "/kb gaps 7");
    expect(gaps.split("\n")).toEqual([
      "最近 7 天机器人没有直接回答、转给同事的问题 3 个，按同事最终所用的条目分组，新的在前：",
      "【没有用条目回答（可考虑新增条目）】2 个，待回答 2 个",
      "· #3 11-20 10:02 客户没有选：保修几年（待回答）",
      "· #1 11-20 10:00 没有相关条目：今天杭州下雨吗（待回答）",
      "【kb-023 智能门锁的保修期是多久？】1 个",
      "· #2 11-20 10:01 客户选了都不是：保修期多久",
      "用条目回答待回答的问题：/answer 编号 --kb 条目编号（这种问法会记到该条目下）",
    ]);
    // Older than the days asked for: not listed.
    hub.clock.advance(2 * 86_400_000);
    expect((await hub.say("zhou", "/kb gaps 1")).at(-1)).toBe("最近 1 天没有转给同事的问题：知识库都答上了。");
    expect((await hub.say("zhou", "/kb gaps 0"))[0]).toContain("天数写 1 到 365 的整数");
    expect((await hub.say("zhang", "/kb gaps"))[0]).toContain("仅限员工使用");
  });
});

describe("the morning digest", () => {
  it("adds yesterday's questions answered, picked from choices and handed off", async () => {
    await hub.say("zhang", "返利什么时候到账？", "hz-group");
    await hub.say("zhang", "保修期多久", "hz-group");
    await hub.say("zhang", "1", "hz-group");
    await hub.say("li", "保修几年", "hz-group");
    await hub.say("li", "0", "hz-group");
    await hub.say("wang", "今天杭州下雨吗", "hz-group");
    // The next morning's plan, sent at the morning send time.
    hub.clock.set(new Date("2026-11-20T16:05:00Z"));
    await hub.app.outreach.planDay(hub.app.outreach.today());
    hub.clock.set(new Date("2026-11-21T02:00:00Z"));
    await hub.app.worker.drain();
    expect(inChat("staff-room").filter((t) => t.startsWith("【昨日问答】"))).toEqual([
      "【昨日问答】直接回答 1 个，给出选项 2 个（客户选定 1 个），转给同事 2 个。知识库薄弱处：/kb gaps",
    ]);
  });
});
