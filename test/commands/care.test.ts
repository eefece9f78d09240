// Where the relationship stands, on the client card, and a key partner's care plan (客户关怀计划, seed 002).
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importPartners } from "../../src/partners/transfer.ts";
import { startTestHub, type TestHub } from "../helpers/hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
let hub: TestHub;

beforeEach(async () => {
  hub = await startTestHub({ env: { HUB_STAFF_CHAT: "console:staff-room" } });
  await importPartners(hub.db, EXAMPLE);
  await hub.addStaff("周敏", "zhou", "MANAGER");
  await hub.say("zhou", "/bind HZ001", "hz-group");
});
afterEach(() => hub.close());

const field = (card: string, label: string) => card.split("\n").find((l) => l.startsWith(`${label}：`)) ?? null;

describe("the client card", () => {
  it("shows satisfaction with its trend, follow-ups due, proposals waiting and the care plan's goal and next step", async () => {
    const partner = await hub.db.partner.findUniqueOrThrow({ where: { code: "HZ001" } });
    let [card] = await hub.say("zhou", "/client HZ001");
    expect([field(card, "满意度"), field(card, "待办回访"), field(card, "客户建议")]).toEqual([null, null, null]);
    expect(field(card, "关怀计划")).toBe("关怀计划：还没有（/care 客户 目标 内容）");

    const campaign = await hub.db.campaign.create({ data: { kind: "poll", title: "满意度", text: "请打分", audience: "{}", sendAt: hub.clock.now(), createdAt: hub.clock.now() } });
    await hub.db.pollResponse.create({ data: { campaignId: campaign.id, responder: "contact:1", partnerId: partner.id, score: 4, answeredAt: new Date("2026-08-20T02:00:00Z") } });
    await hub.db.pollResponse.create({ data: { campaignId: campaign.id, responder: "contact:2", partnerId: partner.id, score: 2, answeredAt: new Date("2026-11-19T02:00:00Z") } });
    await hub.say("zhou", "/followup add HZ001 2026-11-25 季度拜访");
    await hub.say("zhangwei", "建议：样机能不能按季度换新", "hz-group");
    await hub.say("zhou", "/care HZ001 目标 成为华东第一大经销商");
    await hub.say("zhou", "/care HZ001 下一步 12月拜访总经理，谈明年任务");

    [card] = await hub.say("zhou", "/client HZ001");
    // Two people answering one poll: one score, their average, and no trend between them.
    expect(field(card, "满意度")).toBe("满意度：最近 3 分（2 人平均，2026-11-19）");
    const next = await hub.db.campaign.create({ data: { kind: "poll", title: "满意度", text: "请打分", audience: "{}", sendAt: hub.clock.now(), createdAt: hub.clock.now() } });
    await hub.db.pollResponse.create({ data: { campaignId: next.id, responder: "contact:1", partnerId: partner.id, score: 5, answeredAt: hub.clock.now() } });
    [card] = await hub.say("zhou", "/client HZ001");
    expect(field(card, "满意度")).toBe("满意度：最近 5 分（2026-11-20），上次调查 3 分，回升");
    // A late answer to the older poll does not make it the latest.
    await hub.db.pollResponse.create({ data: { campaignId: campaign.id, responder: "contact:3", partnerId: partner.id, score: 1, answeredAt: new Date(hub.clock.now().getTime() + 60_000) } });
    [card] = await hub.say("zhou", "/client HZ001");
    expect(field(card, "满意度")).toBe("满意度：最近 5 分（2026-11-20），上次调查 2.3 分，回升");
    expect(field(card, "待办回访")).toBe("待办回访：1 个，最早 2026-11-25 到期（/followup 查看）");
    expect(field(card, "客户建议")).toBe("客户建议：1 条待处理（/proposal list）");
    expect(field(card, "关怀计划")).toBe("关怀计划：目标：成为华东第一大经销商；下一步：12月拜访总经理，谈明年任务");
  });
});

describe("/care", () => {
  it("shows and edits a key partner's plan, field by field, naming who changed it", async () => {
    expect((await hub.say("zhou", "/care HZ001"))[0]).toBe("杭州云帆智能科技有限公司（HZ001） 还没有关怀计划。用 /care HZ001 目标 内容 开始写。");
    expect((await hub.say("zhou", "/care HZ001 销售目标 2027年进货额 500 万"))[0]).toBe("已更新 杭州云帆智能科技有限公司（HZ001） 关怀计划的「销售目标」：2027年进货额 500 万");
    // A keyword that matches two partners writes nothing: it shows who was meant.
    expect((await hub.say("zhou", "/关怀 hzyf 障碍 二级网点少，安装人员不够"))[0]).toContain("1. HZ001");
    await hub.say("zhou", "/关怀 HZ001 障碍 二级网点少，安装人员不够");
    const [plan] = await hub.say("zhou", "/care HZ001");
    expect(plan.split("\n")).toEqual([
      "【关怀计划 · 杭州云帆智能科技有限公司（HZ001）】",
      "目标：（未填）",
      "销售目标：2027年进货额 500 万",
      "障碍：二级网点少，安装人员不够",
      "下一步：（未填）",
      "更新：周敏 2026-11-20 10:00",
    ]);
  });

  it("is not shown in a partner's group, and not to partners", async () => {
    await hub.say("zhou", "/care HZ001 目标 成为华东第一大经销商");
    expect((await hub.say("zhou", "/care HZ001", "hz-group"))[0]).toContain("不能在客户群里使用");
    expect((await hub.say("zhangwei", "/care HZ001", "hz-group"))[0]).toContain("仅限员工使用");
  });
});
