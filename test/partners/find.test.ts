// Finding a client in one try (issue 14): by a contact's name, surname and rank (王总), phone (full or the
// last four digits) or e-mail, and through typos and homophones in names and cities.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPartners, type PartnerMatch } from "../../src/partners/search.ts";
import { editDistance } from "../../src/partners/search-index.ts";
import { startStaffHub } from "../helpers/staff-hub.ts";
import type { TestHub } from "../helpers/hub.ts";

let hub: TestHub;
beforeAll(async () => {
  hub = await startStaffHub();
});
afterAll(() => hub.close());

const codes = (m: PartnerMatch) => (m.kind === "none" ? [] : m.kind === "one" ? [m.partner.code] : m.partners.map((p) => p.code));
const find = (keyword: string) => findPartners(hub.app.hub.partnerIndex, keyword);

describe("finding a client", () => {
  it.each([
    ["王强", ["SH002"], "联系人 王强（总经理）"],
    ["wangqiang", ["SH002"], "联系人 王强（总经理）"],
    ["王总", ["SH002"], "联系人 王强（总经理）"],
    ["孙总", ["WH005"], "联系人 孙丽（副总经理）"],
    ["赵老板", ["CD004"], "联系人 赵敏（老板）"],
    ["13800000003", ["SH002"], "联系人 王强（总经理） · 电话 13800000003"],
    ["+86 138-0000-0003", ["SH002"], "联系人 王强（总经理） · 电话 13800000003"],
    ["0003", ["SH002"], "联系人 王强（总经理） · 电话尾号 0003"],
    ["WangQiang@Shenda.example", ["SH002"], "联系人 王强（总经理） · wangqiang@shenda.example"],
    ["shengda", ["SH002"], "相近拼音「shenda」"],
    ["上海申打", ["SH002"], "按读音「shanghaishenda」"],
  ])("%s finds %j (%s)", async (keyword, expected, why) => {
    const m = await find(keyword);
    expect(codes(m)).toEqual(expected);
    expect(m.kind === "one" && m.partner.why).toBe(why);
  });

  it("reads a city or a name by its sound, and a pinyin typo, offering every partner that fits", async () => {
    expect(codes(await find("杭洲")).sort()).toEqual(["HZ001", "HZ007"]);
    expect(codes(await find("hangzou")).sort()).toEqual(["HZ001", "HZ007"]);
    // Nothing near enough is still nothing.
    expect(codes(await find("beijing"))).toEqual([]);
    expect(codes(await find("9999"))).toEqual([]);
  });

  it("sees contacts and partners changed since it last looked", async () => {
    await hub.db.contact.update({ where: { partnerId_name: { partnerId: (await hub.db.partner.findUniqueOrThrow({ where: { code: "GZ003" } })).id, name: "刘洋" } }, data: { phone: "139 1234 5678", title: "总经理" } });
    expect(codes(await find("5678"))).toEqual(["GZ003"]);
    expect(codes(await find("刘总"))).toEqual(["GZ003"]);
  });

  it("counts edits between words, giving up past the budget", () => {
    expect(editDistance("hangzou", "hangzhou", 1)).toBe(1);
    expect(editDistance("shengda", "shenda", 1)).toBe(1);
    expect(editDistance("wuhna", "wuhan", 1)).toBe(2); // a swap is two edits: over a budget of one
    expect(editDistance("beijing", "hangzhou", 2)).toBe(3);
  });
});
