// /questions: what partners asked that the bot handed to staff and nobody has answered, oldest first.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { QUESTIONS_SHOWN } from "../../src/commands/questions.ts";
import type { TestHub } from "../helpers/hub.ts";
import { audited, PARTNER, STAFF_ONLY, startStaffHub } from "../helpers/staff-hub.ts";

let hub: TestHub;
beforeEach(async () => {
  hub = await startStaffHub();
});
afterEach(() => hub.close());

describe("/questions", () => {
  it("lists open questions oldest first, how long they have waited, whose they are, and how to answer", async () => {
    expect((await hub.say("zhou", "/questions"))[0]).toBe("没有待回答的问题。");
    await hub.say(PARTNER, "今年的经销商大会在哪里开？", "hz-group");
    hub.clock.advance(3 * 3_600_000);
    await hub.say("passer-by", "你们的发票怎么开？"); // privately, from someone no partner is known for
    hub.clock.advance(25 * 60_000);
    // An agent sees only their own partners' questions and those given to them: 小陈 has none.
    expect((await hub.say("chen", "/questions"))[0]).toBe("没有待回答的问题。");
    expect((await hub.say("zhou", "/待回答"))[0]).toBe(
      [
        "待回答的问题（最早的在前）：",
        "#1 · 3 小时前 · 杭州云帆智能科技有限公司（HZ001）：今年的经销商大会在哪里开？（负责人 周敏）",
        "#2 · 25 分钟前 · 未绑定客户：你们的发票怎么开？（负责人 周敏）", // no owner: the first manager takes it
        "回答：/answer 编号 回答内容",
      ].join("\n"),
    );
  });

  it("drops a question once it is answered", async () => {
    await hub.say(PARTNER, "今年的经销商大会在哪里开？", "hz-group");
    await hub.say(PARTNER, "展会的展位费公司补贴吗？", "hz-group");
    await hub.say("zhou", "/answer 1 11月在杭州");
    const [list] = await hub.say("zhou", "/questions");
    expect(list).not.toContain("#1");
    expect(list).toContain("#2 · 刚刚 · 杭州云帆智能科技有限公司（HZ001）：展会的展位费公司补贴吗？");
  });

  it(`shows the oldest ${QUESTIONS_SHOWN} and says there are more`, async () => {
    const partnerId = (await hub.db.partner.findUniqueOrThrow({ where: { code: "SH002" } })).id;
    await hub.db.question.createMany({
      data: Array.from({ length: QUESTIONS_SHOWN + 1 }, (_, i) => ({
        partnerId, platform: "console", externalChatId: "sh-group", text: `问题${i + 1}`, askedAt: new Date(hub.clock.now().getTime() - (60 - i) * 60_000),
      })),
    });
    const [list] = await hub.say("zhou", "/questions");
    expect(list).toContain(`#${QUESTIONS_SHOWN} · `);
    expect(list).not.toContain(`#${QUESTIONS_SHOWN + 1} · `);
    expect(list).toContain(`……另有更多未列出（只显示最早的 ${QUESTIONS_SHOWN} 条）`);
  });

  it("refuses a partner's person, who sees no one's questions, and audits it", async () => {
    await hub.say(PARTNER, "今年的经销商大会在哪里开？", "hz-group");
    expect(await hub.say(PARTNER, "/questions", "hz-group")).toEqual([STAFF_ONLY("questions")]);
    expect(await audited(hub, "questions")).toEqual([{ actor: `console:${PARTNER}`, detail: "/questions", allowed: false }]);
  });
});
