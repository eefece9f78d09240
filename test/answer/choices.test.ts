// The bot's third outcome, end to end on the console (numbered replies): when it is not sure which entry a
// partner means it offers the closest ones; a number picks one (answered, cited, logged, learned), 0 or
// silence past HUB_CHOICE_TIMEOUT_MINUTES hands the question to staff with the choices listed, once.
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importPartners } from "../../src/partners/transfer.ts";
import { consoleEvent, importKbEntries, startTestHub, type TestHub } from "../helpers/hub.ts";
import { WARRANTIES } from "../helpers/warranties.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/partners.csv");
const CHOICES = "您是想问以下哪个问题？\n1. 智能门锁的保修期是多久？\n2. 空气净化器的保修期是多久？\n3. 扫地机器人的保修期是多久？\n0. 都不是，请同事来回答\n回复数字即可";

let hub: TestHub;
const inChat = (chatId: string) => hub.outputs.filter((o) => o.chatId === chatId).map((o) => o.rendered);

beforeEach(async () => {
  hub = await startTestHub({ env: { HUB_STAFF_CHAT: "console:staff-room", HUB_CHOICE_TIMEOUT_MINUTES: "30" } });
  await importPartners(hub.db, EXAMPLE);
  await importKbEntries(hub.db, WARRANTIES);
  await hub.addStaff("周敏", "zhou", "MANAGER");
  await hub.say("zhou", "/bind HZ001", "hz-group");
});
afterEach(() => hub.close());

describe("choices when the bot is not sure", () => {
  it("answers directly when sure, and offers the near-duplicates as numbered choices when not", async () => {
    expect((await hub.say("zhang", "返利什么时候到账？", "hz-group"))[0]).toContain("（kb-003）");
    expect(await hub.say("zhang", "保修期多久", "hz-group")).toEqual([CHOICES]);
    expect(await hub.db.question.count()).toBe(0);
    const prompt = await hub.db.prompt.findFirstOrThrow();
    expect(prompt).toMatchObject({ kind: "CHOICES", ref: `q-${prompt.id}`, addressee: "console:zhang", status: "OPEN", question: "保修期多久" });
  });

  it("answers a picked number with that entry, cited, logs it once, and answers that wording directly next time", async () => {
    await hub.say("zhang", "保修期多久", "hz-group");
    const [answer] = await hub.say("zhang", "2", "hz-group");
    expect(answer).toBe("空气净化器整机保修1年，电机保修3年。\n——出自知识库「空气净化器的保修期是多久？」（kb-026）");
    await hub.app.log.flush();
    const rows = await hub.db.interaction.findMany({ where: { chat: { externalChatId: "hz-group" } }, orderBy: { id: "asc" } });
    expect(rows.slice(-4).map((r) => [r.direction, r.kind, r.text.split("\n")[0]])).toEqual([
      ["IN", "message", "保修期多久"],
      ["OUT", "choices", "您是想问以下哪个问题？"],
      ["IN", "action", expect.stringMatching(/^\[操作\] poll:q-\d+:2=kb-026$/)],
      ["OUT", "picked", "空气净化器整机保修1年，电机保修3年。"],
    ]);
    expect((await hub.db.prompt.findFirstOrThrow()).status).toBe("PICKED");
    // The partner's wording is learned for the entry, kept apart from its questions.
    const entry = await hub.db.kbEntry.findUniqueOrThrow({ where: { id: "kb-026" } });
    expect([JSON.parse(entry.learned), JSON.parse(entry.variants)]).toEqual([["保修期多久"], []]);
    expect((await hub.say("li", "保修期多久？", "hz-group"))[0]).toContain("（kb-026）");
    // The same number again: nothing more to say.
    expect(await hub.say("zhang", "2", "hz-group")).toEqual([]);
  });

  it("hands the question to staff with the choices listed when the partner answers 0, once", async () => {
    await hub.say("zhang", "保修期多久", "hz-group");
    const [notice] = await hub.say("zhang", "0", "hz-group");
    expect(notice).toBe("这个问题我请同事周敏跟进，会尽快回复您（问题编号 #1）。");
    const [posted] = inChat("staff-room");
    expect(posted).toContain("【待回答 #1】杭州云帆智能科技有限公司（HZ001）");
    expect(posted).toContain("：保修期多久\n");
    expect(posted).toContain("已给客户这些选项，客户回答「都不是」：\n· kb-023 智能门锁的保修期是多久？\n· kb-026 空气净化器的保修期是多久？\n· kb-024 扫地机器人的保修期是多久？");
    expect(await hub.db.question.findFirstOrThrow()).toMatchObject({ via: "NONE_FIT", offered: JSON.stringify(["kb-023", "kb-026", "kb-024"]), text: "保修期多久" });
    // A later number is not a second pick: the choices are closed, and a bare number in a group is not for the bot.
    expect(await hub.say("zhang", "1", "hz-group")).toEqual([]);
    expect(await hub.db.question.count()).toBe(1);
    expect(inChat("staff-room")).toHaveLength(1);
  });

  it("hands an unpicked question to staff once the timeout passes, once, and tells the partner", async () => {
    await hub.say("zhang", "保修期多久", "hz-group");
    const sweep = hub.app.jobs.find((j) => j.name === "choice-timeouts")!;
    hub.clock.advance(29 * 60_000);
    await sweep.run();
    expect(await hub.db.question.count()).toBe(0);
    hub.clock.advance(2 * 60_000);
    await sweep.run();
    await sweep.run();
    await hub.app.worker.drain();
    expect(await hub.db.question.findFirstOrThrow()).toMatchObject({ via: "TIMEOUT", text: "保修期多久", status: "OPEN" });
    expect(inChat("staff-room")).toHaveLength(1);
    expect(inChat("staff-room")[0]).toContain("已给客户这些选项，客户没有在时限内选择：\n· kb-023");
    expect(inChat("hz-group").at(-1)).toBe("您问的「保修期多久」我请同事周敏跟进，会尽快回复您（问题编号 #1）。");
    // Past its time a bare number no longer picks.
    expect((await hub.db.prompt.findFirstOrThrow()).status).toBe("TIMEOUT");
    await hub.say("zhang", "2", "hz-group");
    expect(await hub.db.kbEntry.findUniqueOrThrow({ where: { id: "kb-026" } })).toMatchObject({ learned: "[]" });
  });

  it("lets two partners in one group each pick from their own list; a third person's number picks nothing", async () => {
    expect(await hub.say("zhang", "保修期多久", "hz-group")).toEqual([CHOICES]);
    expect((await hub.say("li", "保修几年", "hz-group"))[0]).toMatch(/^您是想问以下哪个问题？\n/);
    // li answers first, with the number kb-024 has in li's own list.
    const lis = await hub.db.prompt.findFirstOrThrow({ where: { addressee: "console:li" } });
    const n = JSON.parse(lis.options).findIndex((o: { value: string }) => o.value === "kb-024") + 1;
    expect(n).toBeGreaterThan(0);
    expect((await hub.say("li", String(n), "hz-group"))[0]).toContain("（kb-024）");
    expect((await hub.say("zhang", "1", "hz-group"))[0]).toContain("（kb-023）");
    const prompts = await hub.db.prompt.findMany({ orderBy: { id: "asc" } });
    expect(prompts.map((p) => [p.addressee, p.pickedEntryId])).toEqual([["console:zhang", "kb-023"], ["console:li", "kb-024"]]);
    // wang was offered nothing: "2" from wang is not anyone's pick.
    await hub.say("wang", "2", "hz-group");
    expect((await hub.db.prompt.findMany()).map((p) => p.pickedEntryId)).toEqual(["kb-023", "kb-024"]);
  });

  it("answers a pick once and logs it once when the same event is delivered again", async () => {
    await hub.say("zhang", "保修期多久");
    const pick = consoleEvent("pick-1", "2", "zhang", hub.clock.now());
    await hub.app.hub.handle(pick);
    await hub.app.hub.handle(pick);
    await hub.app.log.flush();
    const answers = hub.outputs.filter((o) => o.rendered.includes("（kb-026）"));
    expect(answers).toHaveLength(1);
    expect(await hub.db.interaction.count({ where: { externalMessageId: "pick-1" } })).toBe(1);
  });
});
