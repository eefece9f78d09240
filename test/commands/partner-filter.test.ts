// 客户= in a notice's filter, picked by number: Traditional or full-width input, and several 客户= conditions.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestHub } from "../helpers/hub.ts";
import { startStaffHub } from "../helpers/staff-hub.ts";
import { withPartnerCode } from "../../src/commands/partner-filter.ts";

let hub: TestHub;
beforeEach(async () => {
  hub = await startStaffHub();
});
afterEach(() => hub.close());

describe("客户= pick list rerun", () => {
  it("Traditional characters in the keyword: the pick drafts the notice", async () => {
    const [list] = await hub.say("zhou", "/notice preview 客户=杭州雲帆");
    expect(list).toMatch(/^找到 2 个客户/);
    const [after] = await hub.say("zhou", "1");
    expect(after).toMatch(/杭州云帆智能科技有限公司（HZ001）/);
  });
  it("full-width ＝: the pick drafts the notice", async () => {
    const [list] = await hub.say("zhou", "/notice preview 客户＝杭州云帆");
    expect(list).toMatch(/^找到 2 个客户/);
    const [after] = await hub.say("zhou", "1");
    expect(after).toMatch(/杭州云帆智能科技有限公司（HZ001）/);
  });
  it("two 客户= tokens: the pick replaces the keyword in the second", async () => {
    const [list] = await hub.say("zhou", "/notice preview 客户=SH002 客户=杭州云帆");
    expect(list).toMatch(/^找到 2 个客户/);
    const [after] = await hub.say("zhou", "1");
    expect(after).toMatch(/杭州云帆智能科技有限公司（HZ001）/);
  });
  it("withPartnerCode units", () => {
    expect(withPartnerCode("/notice preview 客户=杭州雲帆", "杭州云帆", "HZ001")).toBe("/notice preview 客户=HZ001");
    expect(withPartnerCode("/notice preview 客户=SH002 客户=杭州云帆", "杭州云帆", "HZ001")).toBe("/notice preview 客户=SH002 客户=HZ001");
    expect(withPartnerCode("/notice preview 客户=ｈｚｙｆ", "hzyf", "HZ001")).toBe("/notice preview 客户=HZ001");
  });
});
