// /client: a client file (客户档案) for staff, found by code, name, pinyin or city, and never shown where
// a partner could read it. Every use is in the audit log, refusals too.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { importPartners } from "../../src/partners/transfer.ts";
import type { TestHub } from "../helpers/hub.ts";
import { audited, EXAMPLE_PARTNERS, PARTNER, STAFF_ONLY, startStaffHub } from "../helpers/staff-hub.ts";

let hub: TestHub;
beforeEach(async () => {
  hub = await startStaffHub();
});
afterEach(() => hub.close());

describe("/client", () => {
  it("shows staff the file with its owner, credit, years together and contact plan, and audits the look-up", async () => {
    const [card] = await hub.say("zhou", "/client SH002");
    expect(card).toContain("【上海申达电器贸易有限公司（SH002）】");
    expect(card).toContain("负责人：周敏");
    expect(card).toContain("信用额度：200,000 元");
    expect(card).toContain("合作开始：2020-07-01（6 年）");
    expect(card).toContain("最近联系：暂无记录，约定每 14 天联系一次");
    expect(await audited(hub, "client")).toEqual([{ actor: "console:zhou", detail: "/client SH002", allowed: true }]);
  });

  it("finds one partner by code in any case, Traditional characters or pinyin, and shows its tier and contacts", async () => {
    const [byCode] = await hub.say("zhou", "/client hz001");
    expect(byCode).toContain("【杭州云帆智能科技有限公司（HZ001）】");
    expect(byCode).toContain("等级：战略（重点客户）");
    expect(byCode).toContain("张伟（总经理，13800000001");
    expect(byCode).toContain("生日 农历三月初八");
    expect((await hub.say("zhou", "/client 申達電器"))[0]).toContain("上海申达电器贸易有限公司（SH002）");
    expect((await hub.say("zhou", "/client chengdu"))[0]).toContain("CD004");
  });

  it("answers to its Chinese and pinyin short names, with or without a space before the keyword", async () => {
    expect((await hub.say("zhou", "/客户 成都"))[0]).toContain("成都锦城家居体验馆（CD004）");
    expect((await hub.say("zhou", "/客户SH002"))[0]).toContain("上海申达电器贸易有限公司（SH002）");
    expect((await hub.say("zhou", "/kh WH005"))[0]).toContain("武汉江城智家科技有限公司（WH005）");
  });

  it("lists the matches, strategic first, when several partners match; says so when none does; needs a keyword", async () => {
    const [many] = await hub.say("zhou", "/client hzyf");
    expect(many).toContain("找到 2 个客户");
    expect(many.indexOf("HZ001")).toBeLessThan(many.indexOf("HZ007"));
    expect((await hub.say("zhou", "/client 哈尔滨"))[0]).toContain("没有找到与「哈尔滨」匹配的客户");
    expect((await hub.say("zhou", "/client"))[0]).toContain("用法：/client");
  });

  it("shows the last contact and how far the agreed frequency is overdue", async () => {
    await hub.say(PARTNER, "在吗", "hz-group");
    hub.clock.advance(10 * 86_400_000);
    expect((await hub.say("zhou", "/client HZ001"))[0]).toMatch(/最近联系：.*10 天前.*约定每 7 天联系一次，已超期 3 天/);
  });

  it("refuses a partner's person, shows them nothing, and audits the attempt", async () => {
    const replies = await hub.say(PARTNER, "/client SH002", "hz-group");
    expect(replies).toEqual([STAFF_ONLY("client")]);
    expect(await audited(hub, "client")).toEqual([{ actor: `console:${PARTNER}`, detail: "/client SH002", allowed: false }]);
  });

  it("refuses staff too inside a partner's group, saying where to ask instead, and audits why", async () => {
    const [reply] = await hub.say("zhou", "/client SH002", "hz-group");
    expect(reply).toBe("为保护客户资料，/client 不能在客户群里使用。请私聊我查询；员工群可先发送 /bind 内部 设为内部员工群。");
    expect(await audited(hub, "client")).toEqual([{ actor: "console:zhou", detail: "/client SH002 (refused: 客户群)", allowed: false }]);
  });

  it("shows files in a group only once a manager made it an internal staff group, whose talk is no partner's", async () => {
    expect((await hub.say("zhou", "/client SH002", "new-group"))[0]).toContain("不能在未设为内部员工群的群里使用");
    await hub.say("zhou", "/bind 内部", "new-group"); // the confirmation itself: test/commands/bind-internal.test.ts
    expect((await hub.say("zhou", "确认", "new-group"))[0]).toContain("已将本群设为内部员工群");
    expect((await hub.say("zhou", "/client SH002", "new-group"))[0]).toContain("上海申达电器贸易有限公司（SH002）");
    await hub.say("zhou", "聊点内部的事", "new-group");
    await hub.app.log.flush();
    expect((await hub.db.interaction.findFirstOrThrow({ where: { text: "聊点内部的事" } })).partnerId).toBeNull();
  });
});

describe("the /client index follows imports made elsewhere", () => {
  it("finds a partner imported after the hub started, and a renamed one under its new name only", async () => {
    expect((await hub.say("zhou", "/client 青岛海纳"))[0]).toContain("没有找到");
    const other = await openDatabase(hub.databaseUrl); // another process: the CLI importing while the hub runs
    try {
      const dir = mkdtempSync(path.join(os.tmpdir(), "idx-"));
      const header = readFileSync(EXAMPLE_PARTNERS, "utf8").split("\n")[0];
      writeFileSync(path.join(dir, "new.csv"), `${header}\nQD010,青岛海纳电器有限公司,青岛,,,,,,一般,,,,,,,,,,,,\nHZ001,杭州云帆智慧家居有限公司,杭州,,,,,,战略,,,,,,,,,,,,\n`);
      hub.clock.advance(1000);
      await importPartners(other.db, path.join(dir, "new.csv"));
    } finally {
      await other.close();
    }
    expect((await hub.say("zhou", "/client 青岛海纳"))[0]).toContain("青岛海纳电器有限公司（QD010）");
    expect((await hub.say("zhou", "/client 智慧家居"))[0]).toContain("HZ001");
    expect((await hub.say("zhou", "/client 云帆智能"))[0]).toContain("没有找到");
  });
});
