// reload() (a partner found removed) asked while a refresh is loading changed rows builds the index again after it.
import { afterEach, beforeEach, expect, it } from "vitest";
import { findPartners, type PartnerMatch } from "../../src/partners/search.ts";
import { startStaffHub } from "../helpers/staff-hub.ts";
import type { TestHub } from "../helpers/hub.ts";

let hub: TestHub;
beforeEach(async () => {
  hub = await startStaffHub();
});
afterEach(() => hub.close());
const codes = (m: PartnerMatch) => (m.kind === "none" ? [] : m.kind === "one" ? [m.partner.code] : m.partners.map((p) => p.code));

it("reload() asked while a refresh is loading changed rows is not lost", async () => {
  const index = hub.app.hub.partnerIndex;
  await findPartners(index, "warm");
  await hub.db.partner.delete({ where: { code: "HZ007" } }); // another process forgot it
  await hub.db.partner.update({ where: { code: "SH002" }, data: { notes: "x" } }); // and someone edited another: stamps moved
  const real = (index as any).db;
  let once = true;
  (index as any).db = new Proxy(real, {
    get(t, k) {
      if (k === "partner") {
        return new Proxy(t.partner, { get(pt, pk) {
          if (pk === "findMany" && once) { once = false; return (...a: unknown[]) => { index.reload(); /* partnerArg, for a concurrent search */ return pt.findMany(...a); }; }
          const v = pt[pk]; return typeof v === "function" ? v.bind(pt) : v;
        } });
      }
      const v = t[k]; return typeof v === "function" ? v.bind(t) : v;
    },
  });
  await index.fresh();
  (index as any).db = real;
  expect(codes(await findPartners(index, "杭州云帆"))).toEqual(["HZ001"]);
});
