// Finding a client in one try (issue 14): by a contact's name, surname and rank (王总), phone (full or the
// last four digits) or e-mail, and through typos and homophones in names and cities.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPartners, type PartnerMatch } from "../../src/partners/search.ts";
import { COUNT_EVERY_MS } from "../../src/partners/search-index.ts";
import { editDistance } from "../../src/partners/search-grams.ts";
import { partnerSearchKey } from "../../src/partners/search-key.ts";
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
    expect(editDistance("wuhna", "wuhan", 1)).toBe(1); // two neighbours swapped: one slip
    expect(editDistance("wuhna", "wuhan", 0)).toBe(1);
    expect(editDistance("beijing", "hangzhou", 2)).toBe(3);
  });
});

describe("the index keeps up, and reads pinyin by syllables", () => {
  let own: TestHub;
  beforeAll(async () => {
    own = await startStaffHub();
  });
  afterAll(() => own.close());
  const findHere = (keyword: string) => findPartners(own.app.hub.partnerIndex, keyword);
  const addPartner = (code: string, name: string, city: string) =>
    own.db.partner.create({ data: { code, name, city, tier: "GENERAL", searchKey: partnerSearchKey({ code, name, city }) } });

  it("matches pinyin from a syllable's start, and lists what starts with the keyword first", async () => {
    await addPartner("CZ101", "常州恒通电器", "常州");
    await addPartner("NJ102", "南京鑫源电器有限公司", "南京");
    // changzhou holds hangzhou, but not from a syllable's start.
    expect(codes(await findHere("hangzhou")).sort()).toEqual(["HZ001", "HZ007"]);
    expect(codes(await findHere("changzhou"))).toEqual(["CZ101"]);
    // xian: 西安 (xi'an) starts XA006's name; 有限 (you·xian) is inside the others'.
    const xian = codes(await findHere("xian"));
    expect(xian[0]).toBe("XA006");
    expect(xian).toContain("NJ102");
  });

  it("finds a phone with an extension by its number and its last four digits", async () => {
    const xa = await own.db.partner.findUniqueOrThrow({ where: { code: "XA006" } });
    await own.db.contact.update({ where: { partnerId_name: { partnerId: xa.id, name: "周杰" } }, data: { phone: "029-8765 4321 转 8001" } });
    expect(codes(await findHere("02987654321"))).toEqual(["XA006"]);
    expect(codes(await findHere("4321"))).toEqual(["XA006"]);
  });

  it("sees a row committed after newer ones were read, and drops a removed partner at the next count", async () => {
    await findHere("warm");
    const wh = await own.db.partner.findUniqueOrThrow({ where: { code: "WH005" } });
    // Stamped a minute ago (its transaction was slow): no newest stamp moves, the next count's look-back sees it.
    await own.db.contact.update({ where: { partnerId_name: { partnerId: wh.id, name: "孙丽" } }, data: { phone: "13911112222", updatedAt: new Date(Date.now() - 60_000) } });
    own.clock.advance(COUNT_EVERY_MS);
    expect(codes(await findHere("13911112222"))).toEqual(["WH005"]);
    await addPartner("SZ103", "苏州星辰数码城", "苏州");
    expect(codes(await findHere("苏州星辰"))).toEqual(["SZ103"]);

    // Removed by another process: no stamp moves, so the count finds it out.
    await own.db.partner.delete({ where: { code: "SZ103" } });
    own.clock.advance(COUNT_EVERY_MS);
    expect(codes(await findHere("苏州星辰"))).toEqual([]);
  });
});
