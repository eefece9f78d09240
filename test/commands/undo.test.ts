// Mistakes can be undone (issue 14): a handed-off question closed without answering the partner, with why;
// a staff member's own plain text is never handed to staff as a partner's question.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importKbEntries, type TestHub } from "../helpers/hub.ts";
import { startStaffHub } from "../helpers/staff-hub.ts";
import { STAFF_NOT_FOUND } from "../../src/hub/routes/question.ts";

let hub: TestHub;
beforeEach(async () => {
  hub = await startStaffHub();
});
afterEach(() => hub.close());
const staff = async (who: string, command: string) => {
  await hub.app.worker.drain();
  return (await hub.say(who, command)).at(-1);
};

describe("/questions close", () => {
  it("closes a question without answering the partner, logged with who and why; it leaves the list and cannot be answered by mistake", async () => {
    await hub.say("zhangwei", "@bot 加我微信 abc123 有好货", "hz-group");
    expect((await staff("zhou", "/questions"))).toContain("#1 ·");
    expect(await staff("zhou", "/questions close 1")).toContain("例如 /questions close 12 已电话答复");
    expect(await staff("chen", "/questions close 1 垃圾信息")).toBe("这家客户不由您负责，您没有权限查看或处理。如需处理，请联系经理。");
    expect(await staff("zhou", "/questions close #1 垃圾信息")).toBe("已关闭问题 #1（没有回复客户），原因记入客户的互动记录：垃圾信息");
    expect(await staff("zhou", "/questions")).toBe("没有待回答的问题。");
    expect(await staff("zhou", "/questions close 1 重复")).toBe("问题 #1 已经由 周敏 关闭了。");
    expect(await staff("zhou", "/answer 1 你好")).toBe("问题 #1 已由 周敏 关闭（垃圾信息），没有回复客户。需要回复的话，请直接在客户的会话里说明。");
    expect(await staff("zhou", "/history HZ001")).toContain("→ 员工 周敏 · 控制台：【问题 #1 已关闭，未回复客户】「加我微信 abc123 有好货」原因：垃圾信息");
    // Nothing was said to the partner about it beyond the first notice.
    expect(hub.outputs.filter((o) => o.chatId === "hz-group").map((o) => o.rendered)).toEqual(["这个问题我请同事周敏跟进，会尽快回复您（问题编号 #1）。"]);
    // Closed questions are not escalated.
    hub.clock.advance(3 * 86_400_000);
    expect(await hub.app.jobs.find((j) => j.name === "escalate-questions")!.run()).toEqual([]);
  });
});

describe("a staff member's own text", () => {
  it("is answered from the knowledge base, or pointed to /help, never handed to staff", async () => {
    await importKbEntries(hub.db, [{ id: "kb-003", question: "返利什么时候到账？", answer: "季度返利在下一季度首月20日前发放。" }]);
    expect((await hub.say("chen", "返利什么时候到账？"))[0]).toContain("季度返利在下一季度首月20日前发放");
    expect(await hub.say("chen", "帮我看看明天的会议安排")).toEqual([STAFF_NOT_FOUND]);
    expect(await hub.db.question.count()).toBe(0);
  });
});

describe("the history", () => {
  it("shows an answer staff gave as theirs, and the bot's own reply as the bot's", async () => {
    await hub.say("zhangwei", "@bot 下个月的经销商大会在哪里开？", "hz-group");
    await staff("zhou", "/answer 1 12月20日在杭州");
    await hub.app.worker.drain();
    await hub.app.log.flush();
    const history = await staff("zhou", "/history HZ001");
    expect(history).toContain("→ 员工 周敏 · 控制台：关于您的问题「下个月的经销商大会在哪里开？」： 12月20日在杭州");
    expect(history).toContain("→ 伙伴通 · 控制台：这个问题我请同事周敏跟进，会尽快回复您（问题编号 #1）。");
  });
});
