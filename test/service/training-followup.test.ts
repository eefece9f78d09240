// After a training: the next day the attendees' groups are invited to ask, questions in the window are
// filed under the training, and the trainer hears which are still unanswered when it closes.
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importPartners } from "../../src/partners/transfer.ts";
import { startTestHub, type TestHub } from "../helpers/hub.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
let hub: TestHub;
const job = (name: string) => hub.app.jobs.find((j) => j.name === name)!;
const chat = (id: string) => hub.outputs.filter((o) => o.chatId === id).map((o) => o.rendered);

beforeEach(async () => {
  hub = await startTestHub({ now: "2026-11-24T06:00:00Z", env: { HUB_STAFF_CHAT: "console:staff-room" } }); // Tue 14:00 Shanghai
  await importPartners(hub.db, EXAMPLE);
  await hub.addStaff("周敏", "zhou", "MANAGER");
  await hub.say("zhou", "/bind HZ001", "hz-group");
  await hub.say("zhou", "/bind SH002", "sh-group");
  await hub.say("zhou", "/bind GZ003", "gz-group");
});
afterEach(() => hub.close());

describe("training follow-up", () => {
  it("answers from the training's own materials in its window", async () => {
    const { writeFileSync, mkdtempSync } = await import("node:fs");
    const os = await import("node:os");
    const { importKb } = await import("../../src/answer/kb-import.ts");
    const dir = mkdtempSync(path.join(os.tmpdir(), "kbt-"));
    writeFileSync(
      path.join(dir, "kb.json"),
      JSON.stringify([
        { id: "kb-033", question: "智能门锁可以安排上门安装吗？", answer: "可以，售后网点提供上门安装。", tags: ["安装"] },
        { id: "tr-1", question: "门锁安装时锁体方向怎么调？", answer: "拆下锁体背板，把斜舌旋转180度后装回。", tags: ["门锁安装培训"] },
      ]),
    );
    await importKb(hub.db, path.join(dir, "kb.json"));
    // Two entries fit equally well: on its own the bot is not sure and asks a colleague ...
    const ask = async (who: string, group: string) => {
      await hub.say(who, "安装门锁要注意什么", group);
      return chat(group).at(-1)!;
    };
    expect(await ask("zhangwei", "hz-group")).toContain("这个问题我请同事周敏跟进");
    // ... but a partner who attended the installation training gets that session's material.
    await hub.say("zhou", "/training add 门锁安装培训 今天 HZ001");
    expect(await ask("zhangwei", "hz-group")).toContain("（tr-1）");
    expect(await ask("wangqiang", "sh-group")).toContain("跟进"); // SH002 did not attend
  });

  it("records the session and its attendees", async () => {
    const [reply] = await hub.say("zhou", "/training add 门锁安装培训 今天 HZ001 SH002");
    expect(reply).toBe("已登记培训 #1「门锁安装培训」（2026-11-24），2 个客户参加。2026-11-25 会在他们的群里邀请提问，当天和次日的问题都会记在这次培训下。");
    expect((await hub.say("zhou", "/training add 门锁安装培训 今天 哈尔滨"))[0]).toMatch(/^没有找到与「哈尔滨」匹配的客户/);
    // Attendees are found as /client finds them: several matches are a pick list, its number records the session.
    expect((await hub.say("zhou", "/training add 产品培训 今天 杭州云帆 SH002"))[0]).toMatch(/^找到 2 个客户/);
    expect((await hub.say("zhou", "2"))[0]).toBe("已登记培训 #2「产品培训」（2026-11-24），2 个客户参加。2026-11-25 会在他们的群里邀请提问，当天和次日的问题都会记在这次培训下。");
    const list = (await hub.say("zhou", "/training list"))[0];
    expect(list).toContain("#1 2026-11-24「门锁安装培训」讲师 周敏，2 个客户");
    expect(list.split("\n")).toHaveLength(2); // the one not found recorded nothing
  });

  it("invites the attendees' groups the next day, files their questions under the training, and reports the open ones", async () => {
    await hub.say("zhou", "/training add 门锁安装培训 2026-11-24 HZ001 SH002");
    expect(await job("training-invite").run()).toEqual([]); // not before the next day

    hub.clock.set("2026-11-25T02:00:00Z"); // Wednesday 10:00
    expect(await job("training-invite").run()).toEqual([1]);
    await hub.app.worker.drain(); // the tick planned them; the outbox sends them
    expect(chat("hz-group").at(-1)).toContain("昨天「门锁安装培训」之后，大家还有什么疑问吗？");
    expect(chat("sh-group").at(-1)).toContain("讲师周敏");
    expect(chat("gz-group").some((t) => t.includes("培训"))).toBe(false); // not an attendee
    expect(await job("training-invite").run()).toEqual([]); // once

    await hub.say("zhangwei", "锁体装反了怎么调换方向？", "hz-group");
    await hub.say("liuyang", "锁体装反了怎么调换方向？", "gz-group");
    const filed = await hub.db.question.findMany({ orderBy: { id: "asc" } });
    expect(filed.map((q) => q.trainingId)).toEqual([1, null]);

    hub.clock.set("2026-11-25T10:00:00Z"); // Wednesday 18:00: the window is still open
    expect(await job("training-report").run()).toEqual([]);
    hub.clock.set("2026-11-26T10:00:00Z"); // Thursday 18:00: closed
    expect(await job("training-report").run()).toEqual([1]);
    await hub.app.worker.drain();
    expect(chat("staff-room").at(-1)).toBe(
      "【培训答疑】讲师周敏：「门锁安装培训」培训后还有 1 个问题没有回答：\n#1 锁体装反了怎么调换方向？\n回答：/answer 编号 回答内容",
    );
  });
});
