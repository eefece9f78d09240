// /client: a client file (客户档案) for staff, found by code, name, pinyin or city, and never shown where
// a partner could read it. Every use is in the audit log, refusals too.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestHub } from "../helpers/hub.ts";
import { audited, PARTNER, STAFF_ONLY, startStaffHub } from "../helpers/staff-hub.ts";

let hub: TestHub;
beforeEach(async () => {
  hub = await startStaffHub();
});
afterEach(() => hub.close());

describe("/client", () => {
  it("shows staff the file with its owner, credit, years together and contact plan, and audits the look-up", async () => {
    const [card] = await hub.say("chen", "/client SH002");
    expect(card).toContain("【上海申达电器贸易有限公司（SH002）】");
    expect(card).toContain("负责人：周敏");
    expect(card).toContain("信用额度：200,000 元");
    expect(card).toContain("合作开始：2020-07-01（6 年）");
    expect(card).toContain("最近联系：暂无记录，约定每 14 天联系一次");
    expect(await audited(hub, "client")).toEqual([{ actor: "console:chen", detail: "/client SH002", allowed: true }]);
  });

  it("answers to its Chinese and pinyin short names", async () => {
    expect((await hub.say("zhou", "/客户 成都"))[0]).toContain("成都锦城家居体验馆（CD004）");
    expect((await hub.say("zhou", "/kh WH005"))[0]).toContain("武汉江城智家科技有限公司（WH005）");
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
});
