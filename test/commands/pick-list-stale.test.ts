// A pick list answers only right after it, whatever the platform's timestamps; a partner forgotten in another
// process is never listed, nor its people.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestHub } from "../helpers/hub.ts";
import { startStaffHub } from "../helpers/staff-hub.ts";
import { forgetPartner } from "../../src/partners/privacy.ts";

let hub: TestHub;
beforeEach(async () => {
  hub = await startStaffHub();
});
afterEach(() => hub.close());

describe("pick lists", () => {
  it("goes stale after another command whose platform timestamp (whole seconds, as WeChat's) is before the list was opened", async () => {
    hub.clock.advance(700); // 02:00:00.700
    await hub.say("zhou", "/client 杭州云帆");
    // Sent at 02:00:00.900, the platform stamps it 02:00:00.
    hub.clock.advance(200);
    await hub.adapter.say("zhou", "/whoami", undefined, new Date("2026-11-20T02:00:00Z"));
    hub.clock.advance(1000);
    expect((await hub.say("zhou", "1"))[0]).not.toMatch(/^【/);
  });

  it("control: same, with the platform stamp at the hub's time", async () => {
    hub.clock.advance(700);
    await hub.say("zhou", "/client 杭州云帆");
    hub.clock.advance(200);
    await hub.adapter.say("zhou", "/whoami", undefined, hub.clock.now());
    hub.clock.advance(1000);
    expect((await hub.say("zhou", "1"))[0]).not.toMatch(/^【/);
  });

  it("a forgotten partner's contact is not offered by 王总", async () => {
    await hub.db.contact.create({ data: { partnerId: (await hub.db.partner.findUniqueOrThrow({ where: { code: "GZ003" } })).id, name: "王磊", title: "总经理" } });
    await hub.say("zhou", "/client warm");
    await forgetPartner(hub.db, "SH002", "cli", new Date());
    const [list] = await hub.say("zhou", "/client 王总");
    expect(list).not.toContain("王强");
  });

  it("a partner forgotten (in another process) is not offered, nor its people", async () => {
    await hub.say("zhou", "/client warm");
    await forgetPartner(hub.db, "HZ007", "cli", new Date());
    const [list] = await hub.say("zhou", "/client 杭州云帆");
    expect(list).not.toContain("HZ007");
  });
});
