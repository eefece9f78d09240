import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findPartners, type PartnerMatch } from "../../src/partners/search.ts";
import { partnerSearchKey } from "../../src/partners/search-key.ts";
import { COUNT_EVERY_MS } from "../../src/partners/search-index.ts";
import { startStaffHub } from "../helpers/staff-hub.ts";
import type { TestHub } from "../helpers/hub.ts";

let hub: TestHub;
beforeEach(async () => {
  hub = await startStaffHub();
});
afterEach(() => hub.close());
const codes = (m: PartnerMatch) => (m.kind === "none" ? [] : m.kind === "one" ? [m.partner.code] : m.partners.map((p) => p.code));
const find = (k: string) => findPartners(hub.app.hub.partnerIndex, k);
const rename = async (code: string, data: { name?: string; code?: string; city?: string }) => {
  const p = await hub.db.partner.findUniqueOrThrow({ where: { code } });
  const next = { code: data.code ?? p.code, name: data.name ?? p.name, city: data.city ?? p.city, region: p.region };
  await hub.db.partner.update({ where: { code }, data: { ...data, searchKey: partnerSearchKey(next) } });
};

// Found by trying to break the index (issue 14): codes moved between partners in one load, removals, a phone
// keyword with its extension, exactly a list's worth of matches.
describe("index after changes", () => {
  it("re-coded partners (codes moved along in one refresh): each code finds its partner", async () => {
    await find("warm");
    // HZ001 -> TMP, HZ007 -> HZ001... (HZ001 has the lower id)
    await rename("HZ007", { code: "HZ009" });
    await rename("HZ001", { code: "HZ007" });
    expect(codes(await find("HZ007"))).toEqual(["HZ007"]);
    const m = await find("HZ007");
    expect(m.kind === "one" && m.partner.name).toBe("杭州云帆智能科技有限公司");
    expect(hub.app.hub.partnerIndex.byCode("HZ007")?.name).toBe("杭州云帆智能科技有限公司");
  });
  it("a partner or contact removed elsewhere is seen at the next count (commands check what they list at once)", async () => {
    await find("warm");
    await hub.db.partner.delete({ where: { code: "HZ007" } });
    const sh = await hub.db.partner.findUniqueOrThrow({ where: { code: "SH002" } });
    await hub.db.contact.delete({ where: { partnerId_name: { partnerId: sh.id, name: "王强" } } });
    // /client never lists or opens the removed partner (src/commands/partner-arg.ts checks what it found).
    expect((await hub.say("zhou", "/client 杭州云帆"))[0]).toMatch(/^【杭州云帆智能科技有限公司（HZ001）】/);
    hub.clock.advance(COUNT_EVERY_MS);
    expect(codes(await find("杭州云帆"))).toEqual(["HZ001"]);
    expect(codes(await find("王强"))).toEqual([]);
    expect(codes(await find("13800000003"))).toEqual([]);
  });
  it("a phone keyword with an extension finds the number", async () => {
    expect(codes(await find("13800000003转8001"))).toEqual(["SH002"]);
    expect(codes(await find("138-0000-0003 ext 8001"))).toEqual(["SH002"]);
  });
  it("exactly 50 matches: no 'more'", async () => {
    for (let i = 0; i < 50; i++) {
      const code = `QQ${String(i).padStart(3, "0")}`;
      const name = `甲乙丙贸易${i}号`;
      await hub.db.partner.create({ data: { code, name, city: "北京", tier: "GENERAL", searchKey: partnerSearchKey({ code, name, city: "北京" }) } });
    }
    const m = await find("甲乙丙");
    expect(m.kind === "many" && m.partners.length).toBe(50);
    expect(m.kind === "many" && m.more).toBe(false);
  });
});
