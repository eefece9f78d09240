// /training takes its attendees as every command takes a 客户: an agent's limits, and a guess asked first.
import { afterEach, beforeEach, expect, it } from "vitest";
import { startStaffHub } from "../helpers/staff-hub.ts";
import type { TestHub } from "../helpers/hub.ts";

let hub: TestHub;
beforeEach(async () => {
  hub = await startStaffHub();
});
afterEach(() => hub.close());

it("an agent's /training does not take another agent's partner by its contact's phone", async () => {
  const [r] = await hub.say("chen", "/training add 门锁培训 2026-11-25 13800000003");
  expect(r).not.toMatch(/^已登记培训/);
});
it("/training does not act on a typo guess without asking", async () => {
  const [r] = await hub.say("zhou", "/training add 门锁培训 2026-11-25 shengda");
  expect(r).not.toMatch(/^已登记培训/);
});
